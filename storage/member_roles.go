package storage

import (
	"context"
	"fmt"
)

// MemberRoles is a member with what they may do here: admin, the
// subwikis they moderate, and whether they are suspended.
type MemberRoles struct {
	Member     *Member
	Moderates  []string    // names of subwikis
	Suspension *Suspension // nil when not suspended
}

// MembersWithRoles lists the instance's members, by name, for its
// admins; at most limit of them after the name given ("" for the first).
func (db *DB) MembersWithRoles(ctx context.Context, byAdminID, after string, limit int) ([]*MemberRoles, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var list []*MemberRoles
	err := db.read(ctx, func(tx *Tx) error {
		if err := tx.mustAdminister(ctx, byAdminID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+memberColumns+` FROM members WHERE username > ? ORDER BY username LIMIT ?`, after, limit)
		if err != nil {
			return fmt.Errorf("list members: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMember(rows)
			if err != nil {
				return fmt.Errorf("read member: %w", err)
			}
			list = append(list, &MemberRoles{Member: m})
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		for _, r := range list {
			if r.Moderates, err = tx.moderatedBy(ctx, r.Member.ID); err != nil {
				return err
			}
			if r.Suspension, err = tx.suspensionOf(ctx, r.Member.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return list, err
}

// moderatedBy lists the names of the subwikis the member moderates.
func (tx *Tx) moderatedBy(ctx context.Context, memberID string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT s.name FROM subwiki_moderators m JOIN subwikis s ON s.id = m.subwiki_id
		WHERE m.member_id = ? ORDER BY s.name`, memberID)
	if err != nil {
		return nil, fmt.Errorf("subwikis moderated: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, rows.Err()
}

// SetAdmin makes an active member an admin, or takes the role away; the
// instance always keeps at least one admin. byAdminID as for
// SuspendMember.
func (db *DB) SetAdmin(ctx context.Context, byAdminID, username string, admin bool) error {
	return db.write(ctx, func(tx *Tx) error {
		if err := tx.mustAdminister(ctx, byAdminID); err != nil {
			return err
		}
		m, err := tx.memberWhere(ctx, "username = ?", username)
		if err != nil {
			return Errorf(ENotFound, "There is no member @%s here.", username)
		}
		if m.IsAdmin == admin {
			return nil
		}
		if admin {
			if m.Status != MemberActive {
				return Errorf(EConflict, "@%s is not an active member.", username)
			}
			if s, err := tx.suspensionOf(ctx, m.ID); err != nil || s != nil {
				if err != nil {
					return err
				}
				return Errorf(EConflict, "@%s is suspended.", username)
			}
		} else {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM members WHERE is_admin = 1`).Scan(&n); err != nil {
				return fmt.Errorf("count admins: %w", err)
			}
			if n <= 1 {
				return Errorf(EConflict, "The instance needs at least one admin; make another before removing @%s.", username)
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE members SET is_admin = ?, updated_at = ? WHERE id = ?`, admin, millis(tx.now), m.ID)
		if err != nil {
			return fmt.Errorf("set admin %s: %w", username, err)
		}
		action := ModRevokeAdmin
		if admin {
			action = ModGrantAdmin
		}
		return tx.logModeration(ctx, ModerationEntry{ActorID: byAdminID, Action: action,
			TargetURI: tx.db.Site.ActorURI(m.Username), TargetText: "@" + m.Username})
	})
}

// Admins lists the instance's active admins, by name, for the about page.
func (db *DB) Admins(ctx context.Context) ([]*Member, error) {
	var list []*Member
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+memberColumns+` FROM members WHERE is_admin = 1 AND status = ?
			AND id NOT IN (SELECT member_id FROM member_suspensions) ORDER BY username`, MemberActive)
		if err != nil {
			return fmt.Errorf("list admins: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMember(rows)
			if err != nil {
				return err
			}
			list = append(list, m)
		}
		return rows.Err()
	})
	return list, err
}
