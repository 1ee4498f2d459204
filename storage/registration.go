package storage

import (
	"context"
	"fmt"
	"time"
)

// RegistrationMode decides who may create an account from the web.
type RegistrationMode string

// Registration modes.
const (
	RegistrationOpen     RegistrationMode = "open"     // anyone may register
	RegistrationApproval RegistrationMode = "approval" // new members wait for an admin, unless invited
	RegistrationWaitlist RegistrationMode = "waitlist" // new members wait in line, unless invited or supporters
	RegistrationInvite   RegistrationMode = "invite"   // an invite code is required
	RegistrationClosed   RegistrationMode = "closed"   // nobody may register
)

// RegistrationModes lists every mode, in the order the docs give them.
var RegistrationModes = []RegistrationMode{RegistrationOpen, RegistrationApproval, RegistrationWaitlist, RegistrationInvite, RegistrationClosed}

// Valid reports whether m is one of the registration modes.
func (m RegistrationMode) Valid() bool {
	for _, known := range RegistrationModes {
		if m == known {
			return true
		}
	}
	return false
}

// Registration is a sign-up request from the web.
type Registration struct {
	MemberCreate
	InviteCode string
}

// Register creates a member from a sign-up, as the instance's
// registration mode allows: open makes an active member; approval a
// pending one (an invite code skips the queue); invite requires a valid
// code, which it uses up; closed refuses.
func (db *DB) Register(ctx context.Context, r Registration) (*Member, error) {
	mode := db.Registration
	if mode == RegistrationClosed {
		return nil, Errorf(EForbidden, "This instance does not take new members at the moment.")
	}
	if mode == RegistrationInvite && r.InviteCode == "" {
		return nil, Errorf(EForbidden, "Joining this instance needs an invite code from a member.")
	}
	r.IsAdmin = false
	if err := r.check(); err != nil {
		return nil, err
	}
	secrets, err := db.newMemberSecrets(ctx, r.Password)
	if err != nil {
		return nil, err
	}
	var m *Member
	err = db.write(ctx, func(tx *Tx) error {
		status := MemberActive
		invited := mode != RegistrationOpen && r.InviteCode != ""
		if (mode == RegistrationApproval || mode == RegistrationWaitlist) && !invited {
			status = MemberPending
		}
		if invited {
			if err := tx.checkInvite(ctx, r.InviteCode); err != nil {
				return err
			}
		}
		m, err = tx.insertMember(ctx, r.MemberCreate, secrets, status)
		if err != nil {
			return err
		}
		if invited {
			return tx.useInvite(ctx, r.InviteCode, m.ID)
		}
		if status == MemberPending {
			return tx.queueWaitingMail(ctx, m.ID)
		}
		return nil
	})
	return m, err
}

// PendingMembers lists members waiting for approval, oldest first.
func (db *DB) PendingMembers(ctx context.Context) ([]*Member, error) {
	var list []*Member
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+memberColumns+` FROM members WHERE status = ? ORDER BY id`, MemberPending)
		if err != nil {
			return fmt.Errorf("list pending members: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMember(rows)
			if err != nil {
				return fmt.Errorf("list pending members: %w", err)
			}
			list = append(list, m)
		}
		return rows.Err()
	})
	return list, err
}

// pendingMember returns the member with the name if they await approval.
func (tx *Tx) pendingMember(ctx context.Context, username string) (*Member, error) {
	m, err := tx.memberWhere(ctx, "username = ?", username)
	if err != nil {
		return nil, err
	}
	if m.Status != MemberPending {
		return nil, Errorf(EConflict, "%s is not waiting for approval.", username)
	}
	return m, nil
}

// ApproveMember lets a pending member in.
func (db *DB) ApproveMember(ctx context.Context, username string) (*Member, error) {
	var m *Member
	err := db.write(ctx, func(tx *Tx) (err error) {
		if m, err = tx.pendingMember(ctx, username); err != nil {
			return err
		}
		return tx.admit(ctx, m)
	})
	return m, err
}

// admit makes a pending member active, tells them, and joins them to the
// starter subwikis.
func (tx *Tx) admit(ctx context.Context, m *Member) error {
	m.Status, m.UpdatedAt = MemberActive, tx.now
	_, err := tx.ExecContext(ctx, `UPDATE members SET status = ?, updated_at = ? WHERE id = ?`,
		MemberActive, millis(tx.now), m.ID)
	if err != nil {
		return fmt.Errorf("admit %s: %w", m.Username, err)
	}
	if err := tx.notifyApproval(ctx, m.ID); err != nil {
		return err
	}
	if err := tx.queueMail(ctx, MailApproved, m.ID, MailPayload{}, time.Time{}); err != nil {
		return err
	}
	return tx.joinStarterSubwikis(ctx, m.ID)
}

// admitIfWaiting admits the member at once if they wait in line (the
// registration mode is waitlist and they are pending): a supporter does
// not wait. In approval mode an admin still decides.
func (tx *Tx) admitIfWaiting(ctx context.Context, memberID string) error {
	if tx.db.Registration != RegistrationWaitlist {
		return nil
	}
	m, err := tx.memberWhere(ctx, "id = ?", memberID)
	if err != nil || m.Status != MemberPending {
		return err
	}
	return tx.admit(ctx, m)
}

// RejectMember removes a pending member's registration, freeing the name.
func (db *DB) RejectMember(ctx context.Context, username string) error {
	return db.write(ctx, func(tx *Tx) error {
		m, err := tx.pendingMember(ctx, username)
		if err != nil {
			return err
		}
		for _, table := range []string{"actors", "members"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = ?`, m.ID); err != nil {
				return fmt.Errorf("reject %s: %w", username, err)
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM handles WHERE name = ?`, username)
		return err
	})
}
