package storage

import (
	"context"
	"encoding/json"
	"fmt"
)

// SetSupporterBadge turns on or off the "Supporter" mark beside the
// member's name. It shows only while they are a supporter; turning it on
// at another time is kept for when they are one.
func (db *DB) SetSupporterBadge(ctx context.Context, memberID string, on bool) error {
	return db.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE members SET supporter_badge = ?, updated_at = ? WHERE id = ?`,
			on, millis(tx.now), memberID)
		if err != nil {
			return fmt.Errorf("set supporter badge: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Errorf(ENotFound, "No such member.")
		}
		return nil
	})
}

// SupporterBadge reports whether the member chose the badge (wants) and
// whether it shows now (shown: they chose it and are a supporter).
func (db *DB) SupporterBadge(ctx context.Context, memberID string) (wants, shown bool, err error) {
	err = db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT supporter_badge = 1, supporter_badge = 1 AND `+supportedSQL("id", "?2")+`
			FROM members WHERE id = ?1`, memberID, millis(tx.now)).Scan(&wants, &shown)
	})
	if err != nil {
		return false, false, fmt.Errorf("read supporter badge: %w", err)
	}
	return wants, shown, nil
}

// badgedAuthorsQuery picks, of the local members whose ids ?1 lists (a
// JSON array), those who show the badge at ?2.
var badgedAuthorsQuery = `SELECT m.id FROM json_each(?1) j JOIN members m ON m.id = j.value
	WHERE m.supporter_badge = 1 AND ` + supportedSQL("m.id", "?2")

// loadSupporterBadges marks the posts whose authors show the supporter
// badge, with one query for the page.
func (tx *Tx) loadSupporterBadges(ctx context.Context, posts []*Post) error {
	seen := map[string]bool{}
	var ids []string
	for _, p := range posts {
		if p.Local && !seen[p.AuthorID] {
			seen[p.AuthorID] = true
			ids = append(ids, p.AuthorID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	rows, err := tx.queryFixed(ctx, badgedAuthorsQuery, string(list), millis(tx.now))
	if err != nil {
		return fmt.Errorf("list supporter badges: %w", err)
	}
	defer rows.Close()
	badged := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("read supporter badge: %w", err)
		}
		badged[id] = true
	}
	for _, p := range posts {
		p.AuthorSupporter = badged[p.AuthorID]
	}
	return rows.Err()
}
