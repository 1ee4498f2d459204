package storage

import (
	"context"
	"fmt"
)

// SubwikisToJoin lists up to limit subwikis of this instance for a
// visitor to start with: those most members joined first, then by name.
// It orders groups, never posts, so the feeds stay unranked.
func (db *DB) SubwikisToJoin(ctx context.Context, limit int) ([]*SubwikiListing, error) {
	var list []*SubwikiListing
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT s.id, s.name, s.title, s.description, s.members_only,
			(SELECT count(*) FROM follows f WHERE f.followee_id = s.id AND f.state = 'accepted') AS members
			FROM subwikis s ORDER BY members DESC, s.name LIMIT ?`, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var l SubwikiListing
			if err := rows.Scan(&l.ID, &l.Name, &l.Title, &l.Description, &l.MembersOnly, &l.Members); err != nil {
				return err
			}
			list = append(list, &l)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list subwikis to join: %w", err)
	}
	return list, nil
}
