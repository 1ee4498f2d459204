package storage

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// AdmissionPolicy is how members get in past the waiting list, and how
// many people each member may invite.
type AdmissionPolicy struct {
	// AdmitPerDay is how many of the oldest in line AdmitToday lets in
	// each UTC day; 0 leaves admitting to the admins.
	AdmitPerDay int
	// InvitesPerMember is how many invites a member may have used or
	// open at once; 0 leaves inviting to the admins, who have no limit.
	InvitesPerMember int
}

// DefaultAdmission is the policy of a database until the config sets one.
var DefaultAdmission = AdmissionPolicy{InvitesPerMember: 5}

// WaitingMember is a member on the waiting list, with their number in
// line: 1 for the oldest sign-up.
type WaitingMember struct {
	*Member
	Place int
}

// waitlistPlaceSQL counts the pending members who signed up no later
// than the member whose id is the argument: its number in line. Ids are
// time-sortable, so their order is the order of signing up. The number
// is computed, never stored, so an admission or a rejection moves
// everyone behind up at once.
const waitlistPlaceSQL = `SELECT CASE WHEN m.status = 'pending'
	THEN (SELECT count(*) FROM members p WHERE p.status = 'pending' AND p.id <= m.id) ELSE 0 END
	FROM members m WHERE m.id = ?`

// WaitlistPlace returns the member's number in line, or 0 when they are
// not waiting.
func (db *DB) WaitlistPlace(ctx context.Context, memberID string) (int, error) {
	var place int
	err := db.read(ctx, func(tx *Tx) (err error) {
		place, err = tx.waitlistPlace(ctx, memberID)
		return err
	})
	return place, err
}

func (tx *Tx) waitlistPlace(ctx context.Context, memberID string) (int, error) {
	var place int
	if err := tx.QueryRowContext(ctx, waitlistPlaceSQL, memberID).Scan(&place); err != nil {
		return 0, fmt.Errorf("place in line of %s: %w", memberID, err)
	}
	return place, nil
}

// Waitlist returns the first limit members waiting to be let in, oldest
// first, each with their number in line, and how many wait in all.
func (db *DB) Waitlist(ctx context.Context, limit int) (line []*WaitingMember, total int, err error) {
	err = db.read(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM members WHERE status = ?`, MemberPending).Scan(&total); err != nil {
			return fmt.Errorf("count the waiting list: %w", err)
		}
		first, err := tx.oldestWaiting(ctx, limit)
		line = make([]*WaitingMember, len(first))
		for i, m := range first {
			line[i] = &WaitingMember{Member: m, Place: i + 1}
		}
		return err
	})
	return line, total, err
}

// AdmitMember lets a waiting member in by hand: the admin's Admit on the
// waiting list, and "tidings admin admit NAME". It refuses, naming the
// problem, a name nobody has and a member who is not waiting.
func (db *DB) AdmitMember(ctx context.Context, username string) (*Member, error) {
	username = strings.TrimPrefix(strings.TrimSpace(username), "@")
	var m *Member
	err := db.write(ctx, func(tx *Tx) (err error) {
		m, err = tx.memberWhere(ctx, "username = ?", username)
		if ErrorCode(err) == ENotFound {
			return Errorf(ENotFound, "There is no member @%s here.", username)
		}
		if err != nil {
			return err
		}
		if m.Status != MemberPending {
			return Errorf(EConflict, "@%s is not on the waiting list: they are a member already.", username)
		}
		return tx.admit(ctx, m)
	})
	return m, err
}

// AdmitToday lets in the oldest in line, as many as the policy's
// AdmitPerDay allows on the current UTC day less those it let in that
// day already, and returns them. The day's count is stored in the same
// transaction as the admissions, so running it again, or after a
// restart, admits nobody twice. Admissions by hand, by invite or by
// supporting do not use the day's places. It does nothing unless the
// registration mode is waitlist.
func (db *DB) AdmitToday(ctx context.Context) ([]*Member, error) {
	perDay := db.Admission.AdmitPerDay
	if db.Registration != RegistrationWaitlist || perDay <= 0 {
		return nil, nil
	}
	var admitted []*Member
	err := db.write(ctx, func(tx *Tx) error {
		admitted = nil
		day := tx.now.UTC().Format(time.DateOnly)
		var done int
		err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT admitted FROM waitlist_days WHERE day = ?), 0)`, day).Scan(&done)
		if err != nil {
			return fmt.Errorf("count today's admissions: %w", err)
		}
		if done >= perDay {
			return nil
		}
		if admitted, err = tx.oldestWaiting(ctx, perDay-done); err != nil || len(admitted) == 0 {
			return err
		}
		for _, m := range admitted {
			if err := tx.admit(ctx, m); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO waitlist_days (day, admitted) VALUES (?, ?)
			ON CONFLICT (day) DO UPDATE SET admitted = admitted + excluded.admitted`, day, len(admitted))
		if err != nil {
			return fmt.Errorf("count today's admissions: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return admitted, nil
}

// oldestWaiting returns up to n pending members, oldest first.
func (tx *Tx) oldestWaiting(ctx context.Context, n int) ([]*Member, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+memberColumns+` FROM members WHERE status = ? ORDER BY id LIMIT ?`,
		MemberPending, n)
	if err != nil {
		return nil, fmt.Errorf("list the waiting list: %w", err)
	}
	defer rows.Close()
	var list []*Member
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, fmt.Errorf("list the waiting list: %w", err)
		}
		list = append(list, m)
	}
	return list, rows.Err()
}

// waitingRefusal is why a pending member cannot sign in yet: in waitlist
// mode, with their number in line.
func (db *DB) waitingRefusal(ctx context.Context, m *Member) error {
	if db.Registration != RegistrationWaitlist {
		return Errorf(EForbidden, "Your account is waiting for an admin's approval. You can sign in once it is approved.")
	}
	place, err := db.WaitlistPlace(ctx, m.ID)
	if err != nil {
		return err
	}
	return Errorf(EForbidden, "You are on the waiting list: number %d. You can sign in once you are admitted.", place)
}

// queueWaitingMail tells a member who signed up that they wait: in
// waitlist mode with their number in line at the time.
func (tx *Tx) queueWaitingMail(ctx context.Context, memberID string) error {
	var payload MailPayload
	if tx.db.Registration == RegistrationWaitlist {
		place, err := tx.waitlistPlace(ctx, memberID)
		if err != nil {
			return err
		}
		payload.Place = place
	}
	return tx.queueMail(ctx, MailWaitingList, memberID, payload, time.Time{})
}
