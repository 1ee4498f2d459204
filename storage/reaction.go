package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// Reaction kinds.
const (
	Like     = "like"     // a favourite
	Announce = "announce" // a boost
)

// countColumn is the posts column that counts a reaction kind.
func countColumn(kind string) string {
	if kind == Announce {
		return "announce_count"
	}
	return "like_count"
}

// React records an actor's like or boost of a post we have. Reacting
// twice counts once; a reaction undone before it arrived is refused.
// relayInboundID, when set, is the stored activity a subwiki of ours
// that holds the post announces to its followers.
func (db *DB) React(ctx context.Context, actorID, postURI, kind, activityURI, relayInboundID string) error {
	if kind != Like && kind != Announce {
		return Errorf(EInvalid, "Unknown reaction %q.", kind)
	}
	return db.write(ctx, func(tx *Tx) error {
		if undone, err := tx.isTombstoned(ctx, activityURI); err != nil || undone {
			if undone {
				return Errorf(EConflict, "The %s %s was undone before it arrived.", kind, activityURI)
			}
			return err
		}
		p, err := tx.postWhere(ctx, "p.uri = ?", postURI)
		if err != nil {
			return err
		}
		if err := tx.mustNotBeBanned(ctx, actorID, p.SubwikiID); err != nil {
			return err
		}
		var entryID any // a boost is a timeline entry, with an id of its own
		if kind == Announce {
			entryID = tx.newID()
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO reactions (id, actor_id, post_id, kind, activity_uri, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, entryID, actorID, p.ID, kind, activityURI, millis(tx.now))
		if err != nil {
			return fmt.Errorf("insert %s: %w", kind, err)
		}
		if relayInboundID != "" {
			if err := tx.groupAnnounce(ctx, p, OutboxPayload{InboundID: relayInboundID}); err != nil {
				return err
			}
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		if kind == Announce {
			tx.changed(Change{Kind: ChangeBoosted, BoostID: entryID.(string)})
		}
		if err := tx.notifyReaction(ctx, p, actorID, kind); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE posts SET `+countColumn(kind)+` = `+countColumn(kind)+` + 1 WHERE id = ?`, p.ID)
		return err
	})
}

// Unreact takes back an actor's like or boost, named by the reaction
// activity's id or, when that is unknown, by the post; relayInboundID as
// for React. The reaction activity is marked undone, so that if it
// arrives only now, it is ignored.
func (db *DB) Unreact(ctx context.Context, actorID, kind, activityURI, postURI, relayInboundID string) error {
	return db.write(ctx, func(tx *Tx) error {
		if err := tx.markUndone(ctx, actorID, activityURI); err != nil {
			return err
		}
		var p Post
		err := tx.QueryRowContext(ctx, `SELECT r.post_id, coalesce(p.subwiki_id, ''), p.visibility FROM reactions r
			JOIN posts p ON p.id = r.post_id WHERE r.actor_id = ? AND r.kind = ? AND (r.activity_uri = ? OR p.uri = ?)`,
			actorID, kind, activityURI, postURI).Scan(&p.ID, &p.SubwikiID, &p.Visibility)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // nothing to take back
		}
		if err != nil {
			return fmt.Errorf("find %s to undo: %w", kind, err)
		}
		if relayInboundID != "" {
			if err := tx.groupAnnounce(ctx, &p, OutboxPayload{InboundID: relayInboundID}); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM reactions WHERE actor_id = ? AND post_id = ? AND kind = ?`,
			actorID, p.ID, kind); err != nil {
			return fmt.Errorf("delete %s: %w", kind, err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE posts SET `+countColumn(kind)+` = max(0, `+countColumn(kind)+` - 1) WHERE id = ?`, p.ID)
		return err
	})
}

// recountReactionsBy takes the reactions of an actor about to be
// deleted off the counts of the posts they reacted to.
func (tx *Tx) recountReactionsBy(ctx context.Context, actorID string) error {
	for _, kind := range []string{Like, Announce} {
		col := countColumn(kind)
		_, err := tx.ExecContext(ctx, `UPDATE posts SET `+col+` = max(0, `+col+` - 1)
			WHERE id IN (SELECT post_id FROM reactions WHERE actor_id = ? AND kind = ?)`, actorID, kind)
		if err != nil {
			return fmt.Errorf("recount %ss: %w", kind, err)
		}
	}
	return nil
}

// likeActivityURI is the id of one Like of a post by a member. Each like
// has its own (likeID is new each time): a server that saw an earlier
// like undone keeps that id as undone, and would refuse a like again
// under the same id. An Undo names the id its like was stored with.
func likeActivityURI(memberURI, postID, likeID string) string {
	return memberURI + "#likes/" + postID + "/" + likeID
}

// LikePost records the member's like of a post, once, and tells the
// post's author (and its subwiki).
func (db *DB) LikePost(ctx context.Context, memberID, postID string) error {
	return db.write(ctx, func(tx *Tx) error {
		p, member, err := tx.postAndMember(ctx, postID, memberID)
		if err != nil {
			return err
		}
		if err := tx.mustNotBeBanned(ctx, memberID, p.SubwikiID); err != nil {
			return err
		}
		activity := likeActivityURI(member.URI, p.ID, tx.newID())
		res, err := tx.ExecContext(ctx, `INSERT INTO reactions (actor_id, post_id, kind, activity_uri, created_at)
			VALUES (?, ?, 'like', ?, ?) ON CONFLICT DO NOTHING`, memberID, p.ID, activity, millis(tx.now))
		if err != nil {
			return fmt.Errorf("like %s: %w", p.URI, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // liked before
		}
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET like_count = like_count + 1 WHERE id = ?`, p.ID); err != nil {
			return err
		}
		if err := tx.notifyReaction(ctx, p, memberID, Like); err != nil {
			return err
		}
		eventID, err := tx.enqueueID(ctx, EventLike, p.ID, memberID,
			OutboxPayload{ObjectURI: p.URI, ActivityURI: activity, TargetActorID: p.AuthorID, SubwikiID: p.SubwikiID})
		if err != nil {
			return err
		}
		return tx.groupAnnounce(ctx, p, OutboxPayload{InnerEventID: eventID})
	})
}

// UnlikePost takes the member's like back.
func (db *DB) UnlikePost(ctx context.Context, memberID, postID string) error {
	return db.write(ctx, func(tx *Tx) error {
		p, _, err := tx.postAndMember(ctx, postID, memberID)
		if err != nil {
			return err
		}
		var like string
		err = tx.QueryRowContext(ctx, `DELETE FROM reactions WHERE actor_id = ? AND post_id = ? AND kind = 'like'
			RETURNING activity_uri`, memberID, p.ID).Scan(&like)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // not liked
		}
		if err != nil {
			return fmt.Errorf("unlike %s: %w", p.URI, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET like_count = max(0, like_count - 1) WHERE id = ?`, p.ID); err != nil {
			return err
		}
		eventID, err := tx.enqueueID(ctx, EventUndoLike, p.ID, memberID, OutboxPayload{ObjectURI: p.URI,
			ActivityURI: like + "#undo", TargetActorID: p.AuthorID, SubwikiID: p.SubwikiID})
		if err != nil {
			return err
		}
		return tx.groupAnnounce(ctx, p, OutboxPayload{InnerEventID: eventID})
	})
}

// postAndMember loads a post the member may see, and the member.
func (tx *Tx) postAndMember(ctx context.Context, postID, memberID string) (*Post, *Actor, error) {
	p, err := tx.postWhere(ctx, "p.id = ?", postID)
	if err != nil {
		return nil, nil, err
	}
	if err := tx.mustSee(ctx, memberID, p.ID); err != nil {
		return nil, nil, err
	}
	member, err := tx.actorWhere(ctx, "a.id = ? AND a.local = 1", memberID)
	if err != nil {
		return nil, nil, err
	}
	return p, member, nil
}

// LikedBy reports which of the posts the member likes.
func (db *DB) LikedBy(ctx context.Context, memberID string, postIDs []string) (map[string]bool, error) {
	return db.reactedBy(ctx, memberID, Like, postIDs)
}

// reactedBy reports which of the posts the actor reacted to with kind.
func (db *DB) reactedBy(ctx context.Context, memberID, kind string, postIDs []string) (map[string]bool, error) {
	liked := map[string]bool{}
	if len(postIDs) == 0 {
		return liked, nil
	}
	ids, err := json.Marshal(postIDs)
	if err != nil {
		return nil, err
	}
	err = db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT post_id FROM reactions WHERE actor_id = ? AND kind = ?
			AND post_id IN (SELECT value FROM json_each(?))`, memberID, kind, string(ids))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			liked[id] = true
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("%ss of %s: %w", kind, memberID, err)
	}
	return liked, nil
}
