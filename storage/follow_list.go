package storage

import (
	"context"
	"fmt"
)

// FollowPage is a page of actors from a follow list, newest follow first.
type FollowPage struct {
	Actors []*Actor
	Next   string // pass as before for the next page; "" at the end
}

// listFollows pages through one side of the follows matching cond;
// join names the side whose actors are listed.
func (db *DB) listFollows(ctx context.Context, join, cond string, before string, limit int, args ...any) (*FollowPage, error) {
	if before == "" {
		before = "\uffff"
	}
	page := &FollowPage{}
	var cursors []string
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT f.id, `+actorFields+actorFrom+`JOIN follows f ON `+join+
			` WHERE `+cond+` AND f.id < ? ORDER BY f.id DESC LIMIT ?`, append(args, before, limit+1)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var cursor string
			a, err := scanActor(rows, &cursor)
			if err != nil {
				return err
			}
			page.Actors = append(page.Actors, a)
			cursors = append(cursors, cursor)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list follows: %w", err)
	}
	if len(page.Actors) > limit {
		page.Actors = page.Actors[:limit]
		page.Next = cursors[limit-1]
	}
	return page, nil
}

const (
	followerJoin = "f.follower_id = a.id"
	followeeJoin = "f.followee_id = a.id"
)

// Followers pages through the accepted followers of the actor.
func (db *DB) Followers(ctx context.Context, actorID, before string, limit int) (*FollowPage, error) {
	return db.listFollows(ctx, followerJoin, "f.followee_id = ? AND f.state = 'accepted'", before, limit, actorID)
}

// Following pages through the actors the actor follows (accepted).
func (db *DB) Following(ctx context.Context, actorID, before string, limit int) (*FollowPage, error) {
	return db.listFollows(ctx, followeeJoin, "f.follower_id = ? AND f.state = 'accepted'", before, limit, actorID)
}

// FollowRequests lists the actors waiting for the member to approve
// their follow.
func (db *DB) FollowRequests(ctx context.Context, memberID string) ([]*Actor, error) {
	page, err := db.listFollows(ctx, followerJoin, "f.followee_id = ? AND f.state = 'pending'", "", 500, memberID)
	if err != nil {
		return nil, err
	}
	return page.Actors, nil
}

// FollowCounts returns how many follow the actor and how many it follows.
func (db *DB) FollowCounts(ctx context.Context, actorID string) (followers, following int, err error) {
	err = db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM follows WHERE followee_id = ? AND state = 'accepted'),
			(SELECT count(*) FROM follows WHERE follower_id = ? AND state = 'accepted')`, actorID, actorID).
			Scan(&followers, &following)
	})
	if err != nil {
		return 0, 0, fmt.Errorf("count follows of %s: %w", actorID, err)
	}
	return followers, following, nil
}

// FollowerInboxes returns the inboxes to deliver to for the actor's
// remote followers: each server's shared inbox once, or the personal
// inbox of a follower whose server has none.
func (db *DB) FollowerInboxes(ctx context.Context, actorID string) ([]string, error) {
	var inboxes []string
	err := db.read(ctx, func(tx *Tx) (err error) {
		inboxes, err = tx.textColumn(ctx, `SELECT DISTINCT CASE WHEN a.shared_inbox <> '' THEN a.shared_inbox ELSE a.inbox END
			FROM follows f JOIN actors a ON a.id = f.follower_id
			WHERE f.followee_id = ? AND f.state = 'accepted' AND a.local = 0`, actorID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("follower inboxes of %s: %w", actorID, err)
	}
	return inboxes, nil
}
