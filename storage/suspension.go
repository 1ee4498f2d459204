package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// maxSuspensionReasonLength bounds the reason an admin gives.
const maxSuspensionReasonLength = 500

// Suspension is an admin's suspension of a local member.
type Suspension struct {
	MemberID    string
	Reason      string
	SuspendedBy string // the admin; "" when done on the command line
	CreatedAt   time.Time
}

// SuspendMember suspends a local member: their sessions end, they cannot
// sign in or post, their profile and posts are hidden from others, and
// other servers are told (an Update of their actor, marked suspended,
// as Mastodon sends). byAdminID is the admin acting, or "" for the
// instance's operator on the command line. An admin is not suspended
// while an admin, and nobody suspends themselves.
func (db *DB) SuspendMember(ctx context.Context, byAdminID, username, reason string) (*Member, error) {
	reason = cleanLine(reason, maxSuspensionReasonLength)
	var m *Member
	err := db.write(ctx, func(tx *Tx) (err error) {
		if err := tx.mustAdminister(ctx, byAdminID); err != nil {
			return err
		}
		if m, err = tx.memberWhere(ctx, "username = ?", username); err != nil {
			return Errorf(ENotFound, "There is no member @%s here.", username)
		}
		switch {
		case m.ID == byAdminID:
			return Errorf(EConflict, "You cannot suspend yourself.")
		case m.IsAdmin:
			return Errorf(EConflict, "@%s is an admin; remove the role before suspending them.", username)
		}
		if s, err := tx.suspensionOf(ctx, m.ID); err != nil || s != nil {
			if err != nil {
				return err
			}
			return Errorf(EConflict, "@%s is suspended already.", username)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO member_suspensions (member_id, reason, suspended_by, created_at)
			VALUES (?, ?, ?, ?)`, m.ID, reason, nullable(byAdminID), millis(tx.now)); err != nil {
			return fmt.Errorf("suspend %s: %w", username, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE member_id = ?`, m.ID); err != nil {
			return fmt.Errorf("end sessions of %s: %w", username, err)
		}
		return tx.noteSuspension(ctx, ModSuspendMember, byAdminID, m, reason)
	})
	return m, err
}

// UnsuspendMember lifts a member's suspension; byAdminID as for
// SuspendMember.
func (db *DB) UnsuspendMember(ctx context.Context, byAdminID, username string) (*Member, error) {
	var m *Member
	err := db.write(ctx, func(tx *Tx) (err error) {
		if err := tx.mustAdminister(ctx, byAdminID); err != nil {
			return err
		}
		if m, err = tx.memberWhere(ctx, "username = ?", username); err != nil {
			return Errorf(ENotFound, "There is no member @%s here.", username)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM member_suspensions WHERE member_id = ?`, m.ID)
		if err != nil {
			return fmt.Errorf("unsuspend %s: %w", username, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Errorf(EConflict, "@%s is not suspended.", username)
		}
		return tx.noteSuspension(ctx, ModUnsuspendMember, byAdminID, m, "")
	})
	return m, err
}

// noteSuspension logs a suspension or its lifting in the instance's log
// and tells other servers through an Update of the member's actor.
func (tx *Tx) noteSuspension(ctx context.Context, action, byAdminID string, m *Member, reason string) error {
	actor, err := tx.actorWhere(ctx, "a.id = ?", m.ID)
	if err != nil {
		return err
	}
	if err := tx.logModeration(ctx, ModerationEntry{ActorID: byAdminID, Action: action, TargetURI: actor.URI,
		TargetText: actor.Handle(), Reason: reason}); err != nil {
		return err
	}
	return tx.enqueue(ctx, EventUpdateActor, m.ID, m.ID, OutboxPayload{})
}

// mustAdminister refuses anyone but an admin; "" is the operator on the
// command line, who runs the instance.
func (tx *Tx) mustAdminister(ctx context.Context, memberID string) error {
	if memberID == "" {
		return nil
	}
	m, err := tx.memberWhere(ctx, "id = ?", memberID)
	if err != nil || !m.IsAdmin {
		return Errorf(EForbidden, "Only admins of this instance can do that.")
	}
	return nil
}

// suspensionOf returns the member's suspension, or nil.
func (tx *Tx) suspensionOf(ctx context.Context, memberID string) (*Suspension, error) {
	var s Suspension
	var created int64
	err := tx.QueryRowContext(ctx, `SELECT member_id, reason, coalesce(suspended_by, ''), created_at
		FROM member_suspensions WHERE member_id = ?`, memberID).Scan(&s.MemberID, &s.Reason, &s.SuspendedBy, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find suspension: %w", err)
	}
	s.CreatedAt = fromMillis(created)
	return &s, nil
}

// SuspensionOf returns the suspension of the member or local actor with
// the id, or nil when they are not suspended.
func (db *DB) SuspensionOf(ctx context.Context, memberID string) (*Suspension, error) {
	var s *Suspension
	err := db.read(ctx, func(tx *Tx) (err error) {
		s, err = tx.suspensionOf(ctx, memberID)
		return err
	})
	return s, err
}

// mustNotBeSuspended refuses a suspended member, saying why.
func (db *DB) mustNotBeSuspended(ctx context.Context, memberID string) error {
	s, err := db.SuspensionOf(ctx, memberID)
	if err != nil || s == nil {
		return err
	}
	msg := "Your account is suspended by the admins"
	if s.Reason != "" {
		msg += ": " + s.Reason
	}
	return Errorf(EForbidden, "%s.", msg)
}
