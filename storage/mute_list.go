package storage

import (
	"context"
	"fmt"
)

// Mutes lists what the member muted and blocked, newest first.
func (db *DB) Mutes(ctx context.Context, memberID string) (*MuteList, error) {
	list := &MuteList{}
	err := db.read(ctx, func(tx *Tx) error {
		muted, err := tx.actorsWhere(ctx, `a.id IN (SELECT target_id FROM mutes WHERE member_id = ?)`, memberID)
		if err != nil {
			return err
		}
		for _, a := range muted {
			if a.Kind == KindGroup {
				list.Subwikis = append(list.Subwikis, a)
			} else {
				list.Accounts = append(list.Accounts, a)
			}
		}
		if list.Blocked, err = tx.actorsWhere(ctx, `a.id IN (SELECT blocked_id FROM blocks WHERE blocker_id = ?)`, memberID); err != nil {
			return err
		}
		list.Words, err = tx.mutedWords(ctx, memberID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("mutes of %s: %w", memberID, err)
	}
	return list, nil
}

// actorsWhere lists the actors matching the condition, by handle.
func (tx *Tx) actorsWhere(ctx context.Context, cond string, args ...any) ([]*Actor, error) {
	rows, err := tx.QueryContext(ctx, actorSelect+"WHERE "+cond+" ORDER BY a.username, a.host", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []*Actor
	for rows.Next() {
		a, err := scanActor(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

// mutedWords lists the member's muted words in order.
func (tx *Tx) mutedWords(ctx context.Context, memberID string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT word FROM muted_words WHERE member_id = ? ORDER BY word`, memberID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var words []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, err
		}
		words = append(words, w)
	}
	return words, rows.Err()
}
