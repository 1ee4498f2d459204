package storage

import (
	"context"
	"fmt"
)

// InviteAllowance is how many invites a member may still make.
type InviteAllowance struct {
	Unlimited bool // admins, and the command line, have no limit
	Allowed   int  // the policy's InvitesPerMember
	Left      int  // what Allowed leaves after the invites used or open
}

// InviteAllowanceOf returns the member's invite allowance. An invite
// counts against it once used, or while it is open; one that expired
// unused gives its place back, so a member whose invites went unheard
// is not left without.
func (db *DB) InviteAllowanceOf(ctx context.Context, memberID string) (InviteAllowance, error) {
	var a InviteAllowance
	err := db.read(ctx, func(tx *Tx) error {
		m, err := tx.memberWhere(ctx, "id = ?", memberID)
		if err != nil {
			return err
		}
		a, err = tx.inviteAllowance(ctx, m)
		return err
	})
	return a, err
}

func (tx *Tx) inviteAllowance(ctx context.Context, m *Member) (InviteAllowance, error) {
	allowed := tx.db.Admission.InvitesPerMember
	if m.IsAdmin {
		return InviteAllowance{Unlimited: true, Allowed: allowed}, nil
	}
	var given int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM invites
		WHERE created_by = ? AND (used_at IS NOT NULL OR expires_at > ?)`, m.ID, millis(tx.now)).Scan(&given)
	if err != nil {
		return InviteAllowance{}, fmt.Errorf("count invites of %s: %w", m.Username, err)
	}
	return InviteAllowance{Allowed: allowed, Left: max(allowed-given, 0)}, nil
}

// mayInvite refuses a member whose allowance is spent, naming it.
func (tx *Tx) mayInvite(ctx context.Context, m *Member) error {
	a, err := tx.inviteAllowance(ctx, m)
	switch {
	case err != nil:
		return err
	case a.Unlimited || a.Left > 0:
		return nil
	case a.Allowed == 0:
		return Errorf(EForbidden, "Only admins invite people to this instance.")
	}
	return Errorf(EForbidden, "You have given out all of your %d invites. One that nobody uses within seven days comes back to you.", a.Allowed)
}
