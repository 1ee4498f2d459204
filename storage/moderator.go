package storage

import (
	"context"
	"fmt"
)

// addModerator makes a member a moderator of a subwiki.
func (tx *Tx) addModerator(ctx context.Context, subwikiID, memberID string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO subwiki_moderators (subwiki_id, member_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT DO NOTHING`, subwikiID, memberID, millis(tx.now))
	if err != nil {
		return fmt.Errorf("add moderator: %w", err)
	}
	return nil
}

func (tx *Tx) isModerator(ctx context.Context, memberID, subwikiID string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM subwiki_moderators WHERE subwiki_id = ? AND member_id = ?`,
		subwikiID, memberID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check moderator: %w", err)
	}
	return n > 0, nil
}

// mustModerate refuses a member who is not a moderator of the subwiki.
func (tx *Tx) mustModerate(ctx context.Context, memberID, subwikiID string) error {
	ok, err := tx.isModerator(ctx, memberID, subwikiID)
	if err != nil {
		return err
	}
	if !ok {
		return Errorf(EForbidden, "Only moderators of this subwiki can do that.")
	}
	return nil
}

// IsModerator reports whether the member moderates the subwiki.
func (db *DB) IsModerator(ctx context.Context, memberID, subwikiID string) (bool, error) {
	var ok bool
	err := db.read(ctx, func(tx *Tx) (err error) {
		ok, err = tx.isModerator(ctx, memberID, subwikiID)
		return err
	})
	return ok, err
}

// Moderators lists the moderators of a subwiki, longest serving first.
func (db *DB) Moderators(ctx context.Context, subwikiID string) ([]*Member, error) {
	var list []*Member
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+memberColumns+` FROM members WHERE id IN
			(SELECT member_id FROM subwiki_moderators WHERE subwiki_id = ?) ORDER BY id`, subwikiID)
		if err != nil {
			return err
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
	if err != nil {
		return nil, fmt.Errorf("moderators of %s: %w", subwikiID, err)
	}
	return list, nil
}

// AddModerator lets a moderator make another active member a moderator.
func (db *DB) AddModerator(ctx context.Context, byMemberID, subwikiID, username string) error {
	return db.write(ctx, func(tx *Tx) error {
		if err := tx.mustModerate(ctx, byMemberID, subwikiID); err != nil {
			return err
		}
		m, err := tx.memberWhere(ctx, "username = ?", username)
		if err != nil || m.Status != MemberActive {
			return Errorf(ENotFound, "There is no member @%s here.", username)
		}
		return tx.addModerator(ctx, subwikiID, m.ID)
	})
}

// RemoveModerator lets a moderator remove a moderator (themselves too);
// a subwiki always keeps at least one.
func (db *DB) RemoveModerator(ctx context.Context, byMemberID, subwikiID, username string) error {
	return db.write(ctx, func(tx *Tx) error {
		if err := tx.mustModerate(ctx, byMemberID, subwikiID); err != nil {
			return err
		}
		m, err := tx.memberWhere(ctx, "username = ?", username)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM subwiki_moderators WHERE subwiki_id = ?`, subwikiID).Scan(&n); err != nil {
			return err
		}
		if ok, err := tx.isModerator(ctx, m.ID, subwikiID); err != nil || !ok {
			if err != nil {
				return err
			}
			return Errorf(ENotFound, "@%s is not a moderator here.", username)
		}
		if n <= 1 {
			return Errorf(EConflict, "A subwiki needs at least one moderator; add another before removing @%s.", username)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM subwiki_moderators WHERE subwiki_id = ? AND member_id = ?`, subwikiID, m.ID)
		return err
	})
}
