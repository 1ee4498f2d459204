package storage

import (
	"context"
	"fmt"
	"time"
)

// Notification kinds.
const (
	NotifyMention       = "mention"        // someone named the member in a post or comment
	NotifyReply         = "reply"          // someone replied to the member's post or comment
	NotifyCorrection    = "correction"     // someone corrected the headline of the member's post
	NotifyRevert        = "revert"         // someone restored an earlier headline of the member's post
	NotifyLock          = "lock"           // a moderator locked the headline of the member's post
	NotifyFollow        = "follow"         // someone follows the member
	NotifyFollowRequest = "follow_request" // someone asks to follow the member
	NotifyLike          = "like"           // someone liked the member's post or comment
	NotifyBoost         = "boost"          // someone boosted the member's post or comment
	NotifyApproved      = "approved"       // the member's account was approved
	NotifyModeration    = "moderation"     // a moderator removed the member's post or comment
)

// Notification tells a member that someone did something concerning them.
type Notification struct {
	ID    string
	Kind  string
	Actor *Actor // who did it; nil for the instance (an approval)
	Post  *Post  // the post it concerns; nil for follows, approvals and removals
	// Revision is the revision a correction or revert made.
	Revision int
	// Subject is the headline the notice speaks of as it was then: the
	// corrected one, or the removed post's (or a removed comment's
	// opening words). SubjectID and SubjectKind name the removed post.
	Subject     string
	SubjectID   string
	SubjectKind string
	Reason      string // a correction's, lock's or removal's reason
	CreatedAt   time.Time
	Read        bool
}

// notice is a notification to be made: a member, what happened, who did
// it ("" for the instance) and what it concerns.
type notice struct {
	memberID, kind, actorID, postID string
	revision                        int
	subjectID, subjectKind, subject string
	reason                          string
}

// byModerators reports whether notices of the kind tell of a moderator's
// action. Those are not hidden by a mute or block of the moderator: a
// member should know what was done to their post, and the notice names
// no one.
func byModerators(kind string) bool { return kind == NotifyLock || kind == NotifyModeration }

// notify makes a notice for a member here, keeping the rules every
// notice keeps: nobody hears of their own doing; a muted, blocked or
// blocking account, and one on a limited server the member does not
// follow, reaches nobody; a notice made once is not made again (a
// redelivered activity, a reply that also mentions).
func (tx *Tx) notify(ctx context.Context, n notice) error {
	var active int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM members WHERE id = ? AND status = 'active'`, n.memberID).Scan(&active); err != nil {
		return fmt.Errorf("find member to notify: %w", err)
	}
	if active == 0 || n.memberID == n.actorID {
		return nil
	}
	if n.actorID != "" && !byModerators(n.kind) {
		if unreached, err := tx.unreached(ctx, n.actorID, n.memberID); err != nil || unreached {
			return err
		}
		if hidden, err := tx.hides(ctx, n.memberID, n.actorID); err != nil || hidden {
			return err
		}
	}
	id := tx.newID()
	res, err := tx.ExecContext(ctx, `INSERT INTO notifications (id, member_id, kind, actor_id, post_id, revision,
		subject_id, subject_kind, subject, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		id, n.memberID, n.kind, nullable(n.actorID), nullable(n.postID), n.revision,
		n.subjectID, n.subjectKind, n.subject, n.reason, millis(tx.now))
	if err != nil {
		return fmt.Errorf("notify %s of %s: %w", n.memberID, n.kind, err)
	}
	if made, err := res.RowsAffected(); err == nil && made == 1 {
		tx.changed(Change{Kind: ChangeNotified, NotificationID: id, MemberID: n.memberID})
	}
	return nil
}

// notifyActorID notifies the member with the actor id, if it is a
// member, of a mention or reply in the post.
func (tx *Tx) notifyActorID(ctx context.Context, actorID, kind, byActorID, postID string) error {
	return tx.notify(ctx, notice{memberID: actorID, kind: kind, actorID: byActorID, postID: postID})
}

// notifyActorURI notifies the local member with the actor id (URI).
func (tx *Tx) notifyActorURI(ctx context.Context, uri, kind, byActorID, postID string) error {
	var id string
	if err := tx.queryRowFixed(ctx, `SELECT id FROM actors WHERE uri = ?`, uri).Scan(&id); err != nil {
		return nil // not an actor here: nobody to notify
	}
	return tx.notifyActorID(ctx, id, kind, byActorID, postID)
}
