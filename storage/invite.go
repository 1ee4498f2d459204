package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Invite lets one person join when registration needs an invite (or skip
// the approval queue).
type Invite struct {
	Code      string
	CreatedBy string // member id; "" when an admin made it on the command line
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedBy    string // username of the member who used it, if anyone did
	UsedAt    time.Time
}

// Used reports whether somebody joined with the invite.
func (i *Invite) Used() bool { return !i.UsedAt.IsZero() }

// Expired reports whether the invite can no longer be used at time now.
func (i *Invite) Expired(now time.Time) bool { return !now.Before(i.ExpiresAt) }

const (
	inviteLifetime = 7 * 24 * time.Hour
	// maxOpenInvites limits the unused, unexpired invites a member may hold.
	maxOpenInvites = 20
	// inviteAlphabet avoids letters and digits that look alike.
	inviteAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	inviteLength   = 12
)

// newInviteCode returns a random code of inviteLength characters.
func newInviteCode() (string, error) {
	raw := make([]byte, inviteLength)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("invite code: %w", err)
	}
	code := make([]byte, inviteLength)
	for i, b := range raw {
		code[i] = inviteAlphabet[int(b)%len(inviteAlphabet)]
	}
	return string(code), nil
}

// CreateInvite makes an invite valid for seven days. memberID names the
// active member who makes it, or is "" for an admin on the command line.
func (db *DB) CreateInvite(ctx context.Context, memberID string) (*Invite, error) {
	code, err := newInviteCode()
	if err != nil {
		return nil, err
	}
	var inv *Invite
	err = db.write(ctx, func(tx *Tx) error {
		var creator any
		if memberID != "" {
			m, err := tx.memberWhere(ctx, "id = ?", memberID)
			if err != nil {
				return err
			}
			if m.Status != MemberActive {
				return Errorf(EForbidden, "Only active members can invite people.")
			}
			if err := tx.mayInvite(ctx, m); err != nil {
				return err
			}
			var open int
			err = tx.QueryRowContext(ctx, `SELECT count(*) FROM invites WHERE created_by = ? AND used_at IS NULL AND expires_at > ?`,
				memberID, millis(tx.now)).Scan(&open)
			if err != nil {
				return fmt.Errorf("count invites of %s: %w", memberID, err)
			}
			if open >= maxOpenInvites && !m.IsAdmin {
				return Errorf(ERateLimited, "You have %d unused invites already. Share those first.", open)
			}
			creator = memberID
		}
		inv = &Invite{Code: code, CreatedBy: memberID, CreatedAt: tx.now, ExpiresAt: tx.now.Add(inviteLifetime)}
		_, err := tx.ExecContext(ctx, `INSERT INTO invites (code, created_by, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			inv.Code, creator, millis(inv.CreatedAt), millis(inv.ExpiresAt))
		if err != nil {
			return fmt.Errorf("insert invite: %w", err)
		}
		return nil
	})
	return inv, err
}

// InvitesBy lists the invites a member made, newest first.
func (db *DB) InvitesBy(ctx context.Context, memberID string) ([]*Invite, error) {
	var list []*Invite
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `
			SELECT i.code, i.created_at, i.expires_at, coalesce(m.username, ''), coalesce(i.used_at, 0)
			FROM invites i LEFT JOIN members m ON m.id = i.used_by
			WHERE i.created_by = ? ORDER BY i.created_at DESC LIMIT 100`, memberID)
		if err != nil {
			return fmt.Errorf("list invites: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			inv := &Invite{CreatedBy: memberID}
			var created, expires, used int64
			if err := rows.Scan(&inv.Code, &created, &expires, &inv.UsedBy, &used); err != nil {
				return fmt.Errorf("list invites: %w", err)
			}
			inv.CreatedAt, inv.ExpiresAt = fromMillis(created), fromMillis(expires)
			if used != 0 {
				inv.UsedAt = fromMillis(used)
			}
			list = append(list, inv)
		}
		return rows.Err()
	})
	return list, err
}

// normalizeInviteCode forgives case and surrounding spaces in a typed code.
func normalizeInviteCode(code string) string {
	return strings.ToLower(strings.TrimSpace(code))
}

// checkInvite refuses a code that does not exist, is used or expired.
func (tx *Tx) checkInvite(ctx context.Context, code string) error {
	var expires int64
	var used sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT expires_at, used_at FROM invites WHERE code = ?`,
		normalizeInviteCode(code)).Scan(&expires, &used)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Errorf(EForbidden, "The invite code %q is not valid. Check it and try again.", code)
	case err != nil:
		return fmt.Errorf("check invite: %w", err)
	case used.Valid:
		return Errorf(EForbidden, "The invite code %q has been used already.", code)
	case expires <= millis(tx.now):
		return Errorf(EForbidden, "The invite code %q has expired. Ask for a new one.", code)
	}
	return nil
}

// useInvite marks a checked invite as used by the member.
func (tx *Tx) useInvite(ctx context.Context, code, memberID string) error {
	_, err := tx.ExecContext(ctx, `UPDATE invites SET used_by = ?, used_at = ? WHERE code = ? AND used_at IS NULL`,
		memberID, millis(tx.now), normalizeInviteCode(code))
	if err != nil {
		return fmt.Errorf("use invite: %w", err)
	}
	return nil
}
