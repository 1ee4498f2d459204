package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Follow states.
const (
	FollowPending  = "pending"  // asked, not yet accepted
	FollowAccepted = "accepted" // in effect
)

// Follow is one actor following another.
type Follow struct {
	ID          string
	FollowerID  string
	FolloweeID  string
	State       string
	ActivityURI string // id of the Follow activity
	CreatedAt   time.Time
}

const followColumns = `id, follower_id, followee_id, state, activity_uri, created_at`

func scanFollow(row interface{ Scan(...any) error }) (*Follow, error) {
	var f Follow
	var created int64
	if err := row.Scan(&f.ID, &f.FollowerID, &f.FolloweeID, &f.State, &f.ActivityURI, &created); err != nil {
		return nil, err
	}
	f.CreatedAt = fromMillis(created)
	return &f, nil
}

// followWhere returns the follow matching cond, or nil if there is none.
func (tx *Tx) followWhere(ctx context.Context, cond string, args ...any) (*Follow, error) {
	f, err := scanFollow(tx.QueryRowContext(ctx, `SELECT `+followColumns+` FROM follows WHERE `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find follow: %w", err)
	}
	return f, nil
}

// FollowBetween returns the follow of follower to followee, or nil.
func (db *DB) FollowBetween(ctx context.Context, followerID, followeeID string) (*Follow, error) {
	var f *Follow
	err := db.read(ctx, func(tx *Tx) (err error) {
		f, err = tx.followWhere(ctx, "follower_id = ? AND followee_id = ?", followerID, followeeID)
		return err
	})
	return f, err
}

// insertFollow stores a new follow.
func (tx *Tx) insertFollow(ctx context.Context, followerID, followeeID, state, activityURI string) (*Follow, error) {
	f := &Follow{ID: tx.newID(), FollowerID: followerID, FolloweeID: followeeID, State: state, CreatedAt: tx.now}
	f.ActivityURI = activityURI
	if f.ActivityURI == "" {
		f.ActivityURI = tx.db.Site.ActivityURI(f.ID)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO follows (id, follower_id, followee_id, state, activity_uri, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, f.ID, followerID, followeeID, state, f.ActivityURI, millis(tx.now), millis(tx.now))
	if err != nil {
		return nil, fmt.Errorf("insert follow: %w", err)
	}
	return f, nil
}

func (tx *Tx) setFollowState(ctx context.Context, id, state string) error {
	_, err := tx.ExecContext(ctx, `UPDATE follows SET state = ?, updated_at = ? WHERE id = ?`, state, millis(tx.now), id)
	if err != nil {
		return fmt.Errorf("update follow %s: %w", id, err)
	}
	return nil
}

// followable returns the actor the member may follow, refusing oneself,
// the instance actor and members not yet approved.
func (tx *Tx) followable(ctx context.Context, memberID, targetID string) (*Actor, error) {
	target, err := tx.actorWhere(ctx, "a.id = ?", targetID)
	if err != nil {
		return nil, err
	}
	switch {
	case target.ID == memberID:
		return nil, Errorf(EInvalid, "You cannot follow yourself.")
	case target.Kind == KindApplication:
		return nil, Errorf(EInvalid, "%s is a server, not an account to follow.", target.Handle())
	}
	if blocked, err := tx.blockedEitherWay(ctx, memberID, target.ID); err != nil || blocked {
		if blocked {
			return nil, Errorf(EForbidden, "You cannot follow %s: one of you blocked the other.", target.Handle())
		}
		return nil, err
	}
	if target.Local && target.Kind != KindGroup {
		m, err := tx.memberWhere(ctx, "id = ?", target.ID)
		if err != nil || m.Status != MemberActive {
			return nil, Errorf(ENotFound, "No such account.")
		}
	}
	return target, nil
}

// Follow makes the member follow the actor. A local member who approves
// followers by hand, and every remote actor, first see a request; the
// remote one is sent a Follow. Following twice changes nothing.
func (db *DB) Follow(ctx context.Context, memberID, targetID string) (*Follow, error) {
	var f *Follow
	err := db.write(ctx, func(tx *Tx) (err error) {
		target, err := tx.followable(ctx, memberID, targetID)
		if err != nil {
			return err
		}
		if f, err = tx.followWhere(ctx, "follower_id = ? AND followee_id = ?", memberID, targetID); err != nil || f != nil {
			return err
		}
		state := FollowAccepted
		if !target.Local || target.ManuallyApprovesFollowers {
			state = FollowPending
		}
		if f, err = tx.insertFollow(ctx, memberID, targetID, state, ""); err != nil {
			return err
		}
		if err := tx.notifyFollow(ctx, f); err != nil {
			return err
		}
		if !target.Local {
			return tx.enqueue(ctx, EventFollow, f.ID, memberID, OutboxPayload{TargetActorID: targetID})
		}
		return nil
	})
	return f, err
}

// Unfollow ends the member's follow of the actor, or withdraws the
// request; a remote actor is sent an Undo of the Follow.
func (db *DB) Unfollow(ctx context.Context, memberID, targetID string) error {
	return db.write(ctx, func(tx *Tx) error {
		f, err := tx.followWhere(ctx, "follower_id = ? AND followee_id = ?", memberID, targetID)
		if err != nil || f == nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM follows WHERE id = ?`, f.ID); err != nil {
			return fmt.Errorf("delete follow: %w", err)
		}
		target, err := tx.actorWhere(ctx, "a.id = ?", targetID)
		if err != nil {
			return err
		}
		if target.Local {
			return nil
		}
		return tx.enqueue(ctx, EventUndoFollow, "", memberID, OutboxPayload{ObjectURI: f.ActivityURI, TargetActorID: targetID})
	})
}

// ReceiveFollow records a remote actor's Follow of a local member. It is
// accepted at once (and an Accept sent) unless the member approves
// followers by hand or the follower's server is limited. A repeated Follow is answered again, as Mastodon
// does, so a follower who lost our Accept gets another.
func (db *DB) ReceiveFollow(ctx context.Context, followerID, followeeID, activityURI string) (*Follow, error) {
	var f *Follow
	err := db.write(ctx, func(tx *Tx) (err error) {
		follower, err := tx.actorWhere(ctx, "a.id = ?", followerID)
		if err != nil {
			return err
		}
		if follower.Local {
			return Errorf(EForbidden, "A local actor cannot follow through the inbox.")
		}
		if tx.db.suspended(ctx, follower.Host) {
			return Errorf(EForbidden, "This server does not federate with %s.", follower.Host)
		}
		if undone, err := tx.isTombstoned(ctx, activityURI); err != nil || undone {
			if undone {
				return Errorf(EConflict, "The Follow %s was undone before it arrived.", activityURI)
			}
			return err
		}
		followee, err := tx.actorWhere(ctx, "a.id = ?", followeeID)
		if err != nil {
			return err
		}
		if !followee.Local || followee.Kind == KindApplication {
			return Errorf(ENotFound, "%s cannot be followed here.", followee.URI)
		}
		if followee.Kind != KindGroup {
			if m, err := tx.memberWhere(ctx, "id = ?", followeeID); err != nil || m.Status != MemberActive {
				return Errorf(ENotFound, "No such account.")
			}
		}
		if blocked, err := tx.blockedEitherWay(ctx, followerID, followeeID); err != nil || blocked {
			if blocked {
				return Errorf(EForbidden, "%s may not follow %s.", follower.URI, followee.URI)
			}
			return err
		}
		f, err = tx.followWhere(ctx, "follower_id = ? AND followee_id = ?", followerID, followeeID)
		if err != nil {
			return err
		}
		if f == nil {
			state := FollowAccepted
			if followee.ManuallyApprovesFollowers || tx.db.limited(ctx, follower.Host) {
				state = FollowPending
			}
			if f, err = tx.insertFollow(ctx, followerID, followeeID, state, activityURI); err != nil {
				return err
			}
			if err := tx.notifyFollow(ctx, f); err != nil {
				return err
			}
		} else if f.ActivityURI != activityURI {
			f.ActivityURI = activityURI
			if _, err := tx.ExecContext(ctx, `UPDATE follows SET activity_uri = ?, updated_at = ? WHERE id = ?`,
				activityURI, millis(tx.now), f.ID); err != nil {
				return fmt.Errorf("update follow: %w", err)
			}
		}
		if f.State == FollowAccepted {
			return tx.enqueue(ctx, EventAcceptFollow, f.ID, followeeID, OutboxPayload{ObjectURI: f.ActivityURI, TargetActorID: followerID})
		}
		return nil
	})
	return f, err
}

// ReceiveAccept records that the remote actor accepted a local member's
// Follow, named by its id (or, when the Accept does not name it, the
// one pending follow of the actor by followerID).
func (db *DB) ReceiveAccept(ctx context.Context, followeeID, followActivityURI, followerID string) error {
	return db.answerFollow(ctx, followeeID, followActivityURI, followerID, true)
}

// ReceiveReject records that the remote actor refused (or ended) a local
// member's follow.
func (db *DB) ReceiveReject(ctx context.Context, followeeID, followActivityURI, followerID string) error {
	return db.answerFollow(ctx, followeeID, followActivityURI, followerID, false)
}

func (db *DB) answerFollow(ctx context.Context, followeeID, activityURI, followerID string, accepted bool) error {
	return db.write(ctx, func(tx *Tx) error {
		var f *Follow
		var err error
		if activityURI != "" {
			f, err = tx.followWhere(ctx, "activity_uri = ? AND followee_id = ?", activityURI, followeeID)
		} else {
			f, err = tx.followWhere(ctx, "follower_id = ? AND followee_id = ?", followerID, followeeID)
		}
		if err != nil {
			return err
		}
		if f == nil {
			return Errorf(ENotFound, "No follow to answer.")
		}
		if accepted {
			return tx.setFollowState(ctx, f.ID, FollowAccepted)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM follows WHERE id = ?`, f.ID)
		return err
	})
}

// DecideJoin lets a moderator of a members-only subwiki accept (or
// refuse) an actor's request to join it.
func (db *DB) DecideJoin(ctx context.Context, moderatorID, subwikiID, followerID string, approve bool) error {
	return db.write(ctx, func(tx *Tx) error {
		if err := tx.mustModerate(ctx, moderatorID, subwikiID); err != nil {
			return err
		}
		f, err := tx.followWhere(ctx, "follower_id = ? AND followee_id = ? AND state = ?", followerID, subwikiID, FollowPending)
		if err != nil {
			return err
		}
		if f == nil {
			return Errorf(ENotFound, "There is no such request to join.")
		}
		return tx.decide(ctx, f, approve)
	})
}

// ApproveFollower accepts a pending follow request to the member.
func (db *DB) ApproveFollower(ctx context.Context, memberID, followerID string) error {
	return db.decideRequest(ctx, memberID, followerID, true)
}

// RejectFollower refuses a pending follow request to the member.
func (db *DB) RejectFollower(ctx context.Context, memberID, followerID string) error {
	return db.decideRequest(ctx, memberID, followerID, false)
}

func (db *DB) decideRequest(ctx context.Context, memberID, followerID string, approve bool) error {
	return db.write(ctx, func(tx *Tx) error {
		f, err := tx.followWhere(ctx, "follower_id = ? AND followee_id = ? AND state = ?", followerID, memberID, FollowPending)
		if err != nil {
			return err
		}
		if f == nil {
			return Errorf(ENotFound, "There is no such follow request.")
		}
		return tx.decide(ctx, f, approve)
	})
}

// decide accepts or refuses a pending follow and tells a remote follower.
func (tx *Tx) decide(ctx context.Context, f *Follow, approve bool) error {
	follower, err := tx.actorWhere(ctx, "a.id = ?", f.FollowerID)
	if err != nil {
		return err
	}
	kind := EventAcceptFollow
	if approve {
		err = tx.setFollowState(ctx, f.ID, FollowAccepted)
	} else {
		kind = EventRejectFollow
		_, err = tx.ExecContext(ctx, `DELETE FROM follows WHERE id = ?`, f.ID)
	}
	if err != nil || follower.Local {
		return err
	}
	return tx.enqueue(ctx, kind, f.ID, f.FolloweeID, OutboxPayload{ObjectURI: f.ActivityURI, TargetActorID: f.FollowerID})
}

// acceptPendingFollowers accepts every request to the member, for when
// they stop approving followers by hand.
func (tx *Tx) acceptPendingFollowers(ctx context.Context, memberID string) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+followColumns+` FROM follows WHERE followee_id = ? AND state = ?`, memberID, FollowPending)
	if err != nil {
		return fmt.Errorf("pending followers: %w", err)
	}
	var pending []*Follow
	for rows.Next() {
		f, err := scanFollow(rows)
		if err != nil {
			rows.Close()
			return err
		}
		pending = append(pending, f)
	}
	rows.Close()
	for _, f := range pending {
		if err := tx.decide(ctx, f, true); err != nil {
			return err
		}
	}
	return rows.Err()
}

// IsFollowedLocally reports whether any member here follows the actor,
// or has asked to, which makes its posts worth keeping. A pending follow
// counts: the author's Accept and their next post travel separately and
// the post may arrive first. (Feeds show posts of accepted follows only.)
func (db *DB) IsFollowedLocally(ctx context.Context, actorID string) (bool, error) {
	var n int
	err := db.queryRowFixed(ctx, `SELECT count(*) FROM follows f JOIN actors a ON a.id = f.follower_id
			WHERE f.followee_id = ? AND a.local = 1 LIMIT 1`, actorID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("local followers of %s: %w", actorID, err)
	}
	return n > 0, nil
}

// FollowByID returns the follow with the id, or nil when it is gone.
func (db *DB) FollowByID(ctx context.Context, id string) (*Follow, error) {
	var f *Follow
	err := db.read(ctx, func(tx *Tx) (err error) {
		f, err = tx.followWhere(ctx, "id = ?", id)
		return err
	})
	return f, err
}
