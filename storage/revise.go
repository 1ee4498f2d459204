package storage

import (
	"context"
	"fmt"
	"time"
)

// Outbox event kinds of corrections.
const (
	// EventReviseHeadline: a revision of a post this server decides on;
	// Subject: the post. The author's Update (for our posts) or the
	// subwiki's relay (for others in a subwiki of ours) tells those who
	// have the post.
	EventReviseHeadline = "revise_headline"
	EventLockHeadline   = "lock_headline"   // Subject: the post; Payload.ObjectURI: its id
	EventUnlockHeadline = "unlock_headline" // the same, undone
)

// mayCorrect decides whether the editor may correct the post's headline:
// the author always may, unless it is locked; others as the subwiki's
// rule, or the instance's, says.
func (tx *Tx) mayCorrect(ctx context.Context, c *correctionTarget, editorID string) error {
	p := c.post
	if err := tx.mustSee(ctx, editorID, p.ID); err != nil {
		return err
	}
	if err := tx.mustNotBeBanned(ctx, editorID, p.SubwikiID); err != nil {
		return err
	}
	if locked, reason, err := tx.headlineLock(ctx, p.ID); err != nil || locked {
		if err != nil {
			return err
		}
		return Errorf(EForbidden, "The headline is locked by the moderators: %s", reason)
	}
	if editorID == p.AuthorID {
		return nil
	}
	editor, err := tx.actorWhere(ctx, "a.id = ?", editorID)
	if err != nil {
		return err
	}
	if c.subwiki != nil && editor.Local {
		if mod, err := tx.isModerator(ctx, editorID, c.subwiki.ID); err != nil || mod {
			return err
		}
	}
	switch c.editableBy {
	case EditableModerators:
		return Errorf(EForbidden, "Only the moderators may correct headlines here.")
	case EditableMembers:
		if p.SubwikiID != "" {
			f, err := tx.followWhere(ctx, "follower_id = ? AND followee_id = ? AND state = ?", editorID, p.SubwikiID, FollowAccepted)
			if err != nil {
				return err
			}
			if f == nil {
				return Errorf(EForbidden, "Only members of this subwiki may correct its headlines. Join it first.")
			}
		} else if !editor.Local {
			return Errorf(EForbidden, "Only members of this instance may correct headlines of posts outside subwikis.")
		}
	}
	return tx.oldEnough(ctx, editor)
}

// oldEnough refuses an editor whose account is younger than the policy.
func (tx *Tx) oldEnough(ctx context.Context, editor *Actor) error {
	since := editor.Published
	if editor.Local {
		if m, err := tx.memberWhere(ctx, "id = ?", editor.ID); err == nil {
			since = m.CreatedAt
		}
	}
	if since.IsZero() {
		since = editor.UpdatedAt
	}
	wait := tx.db.Corrections.MinAccountAge - tx.now.Sub(since)
	if wait > 0 {
		return Errorf(EForbidden, "New accounts may correct headlines after %s; yours can in %s.",
			roundDuration(tx.db.Corrections.MinAccountAge), roundDuration(wait))
	}
	return nil
}

// roundDuration says a duration in whole hours or minutes.
func roundDuration(d time.Duration) string {
	if d >= time.Hour {
		return fmt.Sprintf("%d hours", int(d.Round(time.Hour).Hours()))
	}
	return fmt.Sprintf("%d minutes", max(1, int(d.Round(time.Minute).Minutes())))
}

// withinRate refuses an editor who corrected too many headlines in the
// last hour (proposals to other servers count too).
func (tx *Tx) withinRate(ctx context.Context, editorID string) error {
	limit := tx.db.Corrections.MaxPerHour
	if limit <= 0 {
		return nil
	}
	since := millis(tx.now.Add(-time.Hour))
	var n int
	err := tx.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM headline_revisions WHERE editor_id = ? AND created_at > ?) +
		(SELECT count(*) FROM headline_proposals WHERE member_id = ? AND created_at > ?)`,
		editorID, since, editorID, since).Scan(&n)
	if err != nil {
		return fmt.Errorf("count corrections: %w", err)
	}
	if n >= limit {
		return Errorf(ERateLimited, "You can correct at most %d headlines an hour. Try again later.", limit)
	}
	return nil
}

func (tx *Tx) headlineLock(ctx context.Context, postID string) (bool, string, error) {
	var locked bool
	var reason string
	err := tx.QueryRowContext(ctx, `SELECT headline_locked, lock_reason FROM posts WHERE id = ?`, postID).Scan(&locked, &reason)
	if err != nil {
		return false, "", fmt.Errorf("lock of %s: %w", postID, err)
	}
	return locked, reason, nil
}

// ReviseHeadline applies a correction (or revert) of a post's headline
// that this server decides on, or keeps it here only when nobody else
// takes corrections. The edit must be made against the current revision:
// if another edit came first, it is refused with the current headline.
// The revision is appended to the history, which nothing ever changes.
func (db *DB) ReviseHeadline(ctx context.Context, e HeadlineEdit) (*Revision, error) {
	if err := e.check(); err != nil {
		return nil, err
	}
	var rev *Revision
	err := db.write(ctx, func(tx *Tx) error {
		c, err := tx.target(ctx, e.PostID)
		if err != nil {
			return err
		}
		if c.authority == AuthorityOrigin {
			return Errorf(EForbidden, "The post's own server decides on its headline; propose the correction instead.")
		}
		rev, err = tx.revise(ctx, c, e)
		return err
	})
	return rev, err
}

// revise checks and writes a revision of a post this server decides on.
func (tx *Tx) revise(ctx context.Context, c *correctionTarget, e HeadlineEdit) (*Revision, error) {
	p := c.post
	if err := tx.mayCorrect(ctx, c, e.EditorID); err != nil {
		return nil, err
	}
	if e.BaseRevision != p.Revision {
		return nil, Errorf(EConflict, "Someone corrected the headline meanwhile; it is now “%s” (revision %d). "+
			"Check it and try again.", p.Headline, p.Revision)
	}
	if e.RevertTo > 0 {
		var old string
		err := tx.QueryRowContext(ctx, `SELECT headline FROM headline_revisions WHERE post_id = ? AND number = ?`,
			p.ID, e.RevertTo).Scan(&old)
		if err != nil || e.RevertTo >= p.Revision {
			return nil, Errorf(ENotFound, "There is no earlier revision %d to restore.", e.RevertTo)
		}
		e.Headline = old
	}
	if e.Headline == p.Headline {
		return nil, Errorf(EInvalid, "That is the headline already.")
	}
	if err := tx.withinRate(ctx, e.EditorID); err != nil {
		return nil, err
	}
	before := p.Headline
	if err := tx.addRevision(ctx, p, e.Headline, e.EditorID, e.Reason, e.SourceURL); err != nil {
		return nil, err
	}
	localOnly := c.authority == AuthorityLocalOnly
	uri := ""
	if !localOnly {
		uri = p.URI + "/revisions/" + fmt.Sprint(p.Revision)
		if !p.Local {
			uri = tx.db.Site.Base() + "/posts/" + p.ID + "/revisions/" + fmt.Sprint(p.Revision)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE headline_revisions SET reverts_to = ?, local_only = ?, uri = ? WHERE post_id = ? AND number = ?`,
		e.RevertTo, localOnly, uri, p.ID, p.Revision); err != nil {
		return nil, fmt.Errorf("describe revision: %w", err)
	}
	if err := tx.notifyRevision(ctx, p, e); err != nil {
		return nil, err
	}
	if p.Local {
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET updated = ? WHERE id = ?`, millis(editTime(p, tx.now)), p.ID); err != nil {
			return nil, fmt.Errorf("mark %s updated: %w", p.URI, err)
		}
	}
	rev := &Revision{Number: p.Revision, Headline: e.Headline, Previous: before, Reason: e.Reason, SourceURL: e.SourceURL,
		RevertsTo: e.RevertTo, LocalOnly: localOnly, URI: uri, CreatedAt: tx.now}
	if rev.Editor, _ = tx.actorWhere(ctx, "a.id = ?", e.EditorID); localOnly {
		return rev, nil
	}
	// Our own post: its author's Update, which the subwiki passes on. A
	// post from elsewhere in a subwiki of ours: the subwiki tells its
	// followers itself.
	sender := p.AuthorID
	if !p.Local {
		sender = p.SubwikiID
	}
	eventID, err := tx.enqueueID(ctx, EventReviseHeadline, p.ID, sender, OutboxPayload{SubwikiID: p.SubwikiID})
	if err != nil {
		return nil, err
	}
	if p.Local {
		return rev, tx.groupAnnounce(ctx, p, OutboxPayload{InnerEventID: eventID})
	}
	return rev, nil
}

// LockHeadline lets a moderator of the post's subwiki (or an admin, for
// a post outside subwikis) lock its headline against corrections, with a
// reason, or unlock it.
func (db *DB) LockHeadline(ctx context.Context, memberID, postID string, lock bool, reason string) error {
	reason = cleanLine(reason, maxReasonLength)
	if lock && reason == "" {
		return Errorf(EInvalid, "Say why the headline is locked.")
	}
	return db.write(ctx, func(tx *Tx) error {
		c, err := tx.target(ctx, postID)
		if err != nil {
			return err
		}
		if err := tx.mayModerate(ctx, memberID, c); err != nil {
			return err
		}
		if !lock {
			reason = ""
		}
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET headline_locked = ?, lock_reason = ? WHERE id = ?`,
			lock, reason, postID); err != nil {
			return fmt.Errorf("lock %s: %w", c.post.URI, err)
		}
		if err := tx.notifyLock(ctx, c.post, memberID, reason, lock); err != nil {
			return err
		}
		kind, action := EventLockHeadline, ModLockHeadline
		if !lock {
			kind, action = EventUnlockHeadline, ModUnlockHeadline
		}
		entry := ModerationEntry{ActorID: memberID, Action: action, TargetURI: c.post.URI,
			TargetText: c.post.Headline, Reason: reason}
		if c.subwiki != nil {
			entry.SubwikiID = c.subwiki.ID
		}
		if err := tx.logModeration(ctx, entry); err != nil {
			return err
		}
		eventID, err := tx.enqueueID(ctx, kind, c.post.ID, memberID, OutboxPayload{ObjectURI: c.post.URI,
			SubwikiID: c.post.SubwikiID, Reason: reason})
		if err != nil {
			return err
		}
		return tx.groupAnnounce(ctx, c.post, OutboxPayload{InnerEventID: eventID})
	})
}

// MayLockHeadline reports whether the member may lock the post's
// headline, for showing the form; LockHeadline enforces it.
func (db *DB) MayLockHeadline(ctx context.Context, memberID, postID string) (bool, error) {
	may := false
	err := db.read(ctx, func(tx *Tx) error {
		c, err := tx.target(ctx, postID)
		if err != nil {
			return err
		}
		err = tx.mayModerate(ctx, memberID, c)
		may = err == nil
		if ErrorCode(err) == EForbidden || ErrorCode(err) == ENotFound {
			return nil
		}
		return err
	})
	return may, err
}

// mayModerate lets moderators of the post's subwiki here, or admins for
// posts outside a subwiki of ours, act on it.
func (tx *Tx) mayModerate(ctx context.Context, memberID string, c *correctionTarget) error {
	if err := tx.mustSee(ctx, memberID, c.post.ID); err != nil {
		return err
	}
	if c.subwiki != nil {
		return tx.mustModerate(ctx, memberID, c.subwiki.ID)
	}
	m, err := tx.memberWhere(ctx, "id = ?", memberID)
	if err != nil {
		return err
	}
	if !m.IsAdmin {
		return Errorf(EForbidden, "Only moderators can lock headlines.")
	}
	return nil
}

// editTime is the updated time an edit gives a post: now, but a whole
// second after both its publication and its last edit. Servers compare
// these times at the second (that is all ActivityPub documents carry),
// and Mastodon applies an Update only when updated is newer.
func editTime(p *Post, now time.Time) time.Time {
	return EditTime(p.Published, p.Updated, now)
}

// EditTime is editTime of a post published and last updated at the
// times (updated zero when never): what a reader of a post's history
// needs to tell a headline's revision from a later edit of the text.
func EditTime(published, updated, now time.Time) time.Time {
	floor := published
	if updated.After(floor) {
		floor = updated
	}
	floor = floor.Truncate(time.Second).Add(time.Second)
	if now.Before(floor) {
		return floor
	}
	return now
}

// LockFromGroup records that a remote subwiki locked (or unlocked) the
// headline of a post in it; only the post's own subwiki may.
func (db *DB) LockFromGroup(ctx context.Context, groupID, postURI string, lock bool, reason string) error {
	return db.write(ctx, func(tx *Tx) error {
		p, err := tx.postWhere(ctx, "p.uri = ?", postURI)
		if err != nil {
			return err
		}
		if p.SubwikiID != groupID || p.Local {
			return Errorf(EForbidden, "That subwiki does not decide on %s.", postURI)
		}
		if !lock {
			reason = ""
		}
		_, err = tx.ExecContext(ctx, `UPDATE posts SET headline_locked = ?, lock_reason = ? WHERE id = ?`,
			lock, cleanLine(reason, maxReasonLength), p.ID)
		return err
	})
}
