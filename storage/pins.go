package storage

import (
	"context"
	"fmt"
)

// MaxPins is how many posts a member may pin to their profile, as on
// Mastodon (StatusPinValidator).
const MaxPins = 5

// Outbox events of pins; both go to the member's followers.
const (
	EventPinPost   = "pin_post"   // Subject: post id; Payload: the post's id
	EventUnpinPost = "unpin_post" // Payload: the post's id
)

// PinPost pins the member's own public or unlisted post to their
// profile and tells their followers. Pinning a pinned post changes
// nothing.
func (db *DB) PinPost(ctx context.Context, memberID, postID string) error {
	return db.write(ctx, func(tx *Tx) error {
		p, err := tx.ownPost(ctx, memberID, postID)
		if err != nil {
			return err
		}
		if !Listed(p.Visibility) {
			return Errorf(EInvalid, "Only public and unlisted posts can be pinned.")
		}
		if pinned, err := tx.isPinned(ctx, memberID, postID); err != nil || pinned {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM pins WHERE member_id = ?`, memberID).Scan(&n); err != nil {
			return fmt.Errorf("count pins: %w", err)
		}
		if n >= MaxPins {
			return Errorf(EConflict, "You can pin at most %d posts. Unpin one first.", MaxPins)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO pins (member_id, post_id, pinned_at) VALUES (?, ?, ?)`,
			memberID, postID, millis(tx.now))
		if err != nil {
			return fmt.Errorf("pin %s: %w", postID, err)
		}
		return tx.enqueue(ctx, EventPinPost, p.ID, memberID, OutboxPayload{ObjectURI: p.URI})
	})
}

// UnpinPost takes a post off the member's profile and tells their
// followers. Unpinning a post not pinned changes nothing.
func (db *DB) UnpinPost(ctx context.Context, memberID, postID string) error {
	return db.write(ctx, func(tx *Tx) error {
		p, err := tx.ownPost(ctx, memberID, postID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM pins WHERE member_id = ? AND post_id = ?`, memberID, postID)
		if err != nil {
			return fmt.Errorf("unpin %s: %w", postID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return tx.enqueue(ctx, EventUnpinPost, "", memberID, OutboxPayload{ObjectURI: p.URI})
	})
}

// ownPost is the member's own post here; others' posts are refused.
func (tx *Tx) ownPost(ctx context.Context, memberID, postID string) (*Post, error) {
	p, err := tx.postWhere(ctx, "p.id = ?", postID)
	if err != nil {
		return nil, err
	}
	if p.AuthorID != memberID || !p.Local {
		return nil, Errorf(EForbidden, "You can only pin your own posts.")
	}
	return p, nil
}

func (tx *Tx) isPinned(ctx context.Context, memberID, postID string) (bool, error) {
	var ok bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pins WHERE member_id = ? AND post_id = ?)`,
		memberID, postID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("read pin: %w", err)
	}
	return ok, nil
}

// IsPinned reports whether the member pinned the post.
func (db *DB) IsPinned(ctx context.Context, memberID, postID string) (bool, error) {
	var ok bool
	err := db.read(ctx, func(tx *Tx) (err error) {
		ok, err = tx.isPinned(ctx, memberID, postID)
		return err
	})
	return ok, err
}

// PinnedPosts returns the posts the member pinned that the viewer may
// see, the last pinned first, with their authors and subwikis.
func (db *DB) PinnedPosts(ctx context.Context, viewerID, memberID string) ([]*Post, error) {
	cond, args := visibleTo(viewerID)
	page, err := db.postPage(ctx, postsSelect+`JOIN pins pin ON pin.post_id = p.id
		WHERE pin.member_id = ? AND `+cond+` ORDER BY pin.pinned_at DESC, p.id DESC LIMIT ?`,
		MaxPins, append(append([]any{memberID}, args...), MaxPins+1)...)
	if err != nil {
		return nil, err
	}
	return page.Posts, nil
}
