package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Boost is one account's boost of a post, as a timeline shows it: an
// entry of its own, newer than the post, named by its own id.
type Boost struct {
	ID          string // a ULID made when boosted: the timeline entry's id
	Booster     *Actor
	At          time.Time
	ActivityURI string // the Announce's id
}

// EntryID is the id a post has where it is listed: its boost's when it
// is shown as boosted, its own otherwise. Timelines page by it.
func (p *Post) EntryID() string {
	if p.Boost != nil {
		return p.Boost.ID
	}
	return p.ID
}

// boostActivityURI is the id of one Announce of a post by a member; as
// a like's, each boost has its own, so that a boost undone and made
// again is not refused by a server that keeps the first id as undone.
func boostActivityURI(memberURI, boostID string) string {
	return memberURI + "#boosts/" + boostID
}

// BoostPost records the member's boost of a post, once: it shows in
// their followers' home feeds, and their followers elsewhere and the
// post's author hear of it. Only a post for everyone (public or
// unlisted) may be boosted, as on Mastodon: a boost shows the post to
// the booster's followers, who may not be its audience.
func (db *DB) BoostPost(ctx context.Context, memberID, postID string) error {
	return db.write(ctx, func(tx *Tx) error {
		p, member, err := tx.postAndMember(ctx, postID, memberID)
		if err != nil {
			return err
		}
		if !Listed(p.Visibility) {
			return Errorf(EForbidden, "Only posts for everyone can be boosted: this one is for a smaller audience.")
		}
		if err := tx.mustNotBeBanned(ctx, memberID, p.SubwikiID); err != nil {
			return err
		}
		id := tx.newID()
		activity := boostActivityURI(member.URI, id)
		res, err := tx.ExecContext(ctx, `INSERT INTO reactions (id, actor_id, post_id, kind, activity_uri, created_at)
			VALUES (?, ?, ?, 'announce', ?, ?) ON CONFLICT DO NOTHING`, id, memberID, p.ID, activity, millis(tx.now))
		if err != nil {
			return fmt.Errorf("boost %s: %w", p.URI, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // boosted before
		}
		tx.changed(Change{Kind: ChangeBoosted, BoostID: id})
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET announce_count = announce_count + 1 WHERE id = ?`, p.ID); err != nil {
			return err
		}
		if err := tx.notifyReaction(ctx, p, memberID, Announce); err != nil {
			return err
		}
		return tx.enqueue(ctx, EventBoost, p.ID, memberID,
			OutboxPayload{ObjectURI: p.URI, ActivityURI: activity, TargetActorID: p.AuthorID})
	})
}

// UnboostPost takes the member's boost back.
func (db *DB) UnboostPost(ctx context.Context, memberID, postID string) error {
	return db.write(ctx, func(tx *Tx) error {
		p, _, err := tx.postAndMember(ctx, postID, memberID)
		if err != nil {
			return err
		}
		var boost string
		err = tx.QueryRowContext(ctx, `DELETE FROM reactions WHERE actor_id = ? AND post_id = ? AND kind = 'announce'
			RETURNING activity_uri`, memberID, p.ID).Scan(&boost)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // not boosted
		}
		if err != nil {
			return fmt.Errorf("unboost %s: %w", p.URI, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET announce_count = max(0, announce_count - 1) WHERE id = ?`, p.ID); err != nil {
			return err
		}
		return tx.enqueue(ctx, EventUndoBoost, p.ID, memberID,
			OutboxPayload{ObjectURI: p.URI, ActivityURI: boost, TargetActorID: p.AuthorID})
	})
}

// BoostedBy reports which of the posts the member boosted.
func (db *DB) BoostedBy(ctx context.Context, memberID string, postIDs []string) (map[string]bool, error) {
	return db.reactedBy(ctx, memberID, Announce, postIDs)
}

// StreamedBoost returns the boost entry with the id if the timeline s
// lists it for the viewer, as StreamedPost does for posts; only home
// feeds list boosts. ENotFound if it does not.
func (db *DB) StreamedBoost(ctx context.Context, viewerID, boostID string, s Stream) (*Post, error) {
	if s.Kind != StreamHome {
		return nil, Errorf(ENotFound, "No such boost.")
	}
	return db.oneBoostEntry(ctx, viewerID, `r.id = ? AND `+homeBoostersCond, boostID, viewerID, viewerID, viewerID)
}
