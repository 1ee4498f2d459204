package storage

import (
	"context"
	"encoding/json"
	"fmt"
)

// Relationship is how a member and another account stand towards each
// other: follows both ways (accepted or waiting), blocks both ways, and
// the member's mute.
type Relationship struct {
	Following   bool // the member follows the account
	Requested   bool // the member's follow waits for approval
	FollowedBy  bool // the account follows the member
	RequestedBy bool // the account's follow waits for the member's approval
	Blocking    bool
	BlockedBy   bool
	Muting      bool
}

// Relationships returns how the member stands towards each account with
// one of the ids, keyed by id, in one query; unknown ids are left out.
func (db *DB) Relationships(ctx context.Context, memberID string, ids []string) (map[string]Relationship, error) {
	out := make(map[string]Relationship, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("list account ids: %w", err)
	}
	err = db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT a.id,
			coalesce((SELECT state FROM follows WHERE follower_id = ?1 AND followee_id = a.id), ''),
			coalesce((SELECT state FROM follows WHERE follower_id = a.id AND followee_id = ?1), ''),
			EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?1 AND blocked_id = a.id),
			EXISTS (SELECT 1 FROM blocks WHERE blocker_id = a.id AND blocked_id = ?1),
			EXISTS (SELECT 1 FROM mutes WHERE member_id = ?1 AND target_id = a.id)
			FROM actors a WHERE a.id IN (SELECT value FROM json_each(?2))`, memberID, string(list))
		if err != nil {
			return fmt.Errorf("relationships of %s: %w", memberID, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, out1, in string
			var r Relationship
			if err := rows.Scan(&id, &out1, &in, &r.Blocking, &r.BlockedBy, &r.Muting); err != nil {
				return fmt.Errorf("relationship: %w", err)
			}
			r.Following, r.Requested = out1 == FollowAccepted, out1 == FollowPending
			r.FollowedBy, r.RequestedBy = in == FollowAccepted, in == FollowPending
			out[id] = r
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
