package storage

import (
	"context"
	"fmt"
)

// The kinds of Change.
const (
	ChangePostCreated = "post_created" // a post was made here or arrived
	ChangePostUpdated = "post_updated" // its text, headline or warning changed
	ChangePostDeleted = "post_deleted" // it was deleted or removed
	ChangeNotified    = "notified"     // a member here was given a notice
	ChangeBoosted     = "boosted"      // a boost was made here or arrived (BoostID)
)

// Change is what a committed write changed that a member's open stream
// may show at once: a post made, changed or deleted, a notice given. It
// names the rows only; whoever shows them reads them again through the
// rules of visibility, as their viewer.
type Change struct {
	Kind   string
	PostID string
	// Listed is whether a deleted post was for everyone; when not,
	// Audience names the members here who could see it, since once it
	// is gone nobody can ask.
	Listed   bool
	Audience []string
	// NotificationID and MemberID name a notice and the member given it.
	NotificationID string
	MemberID       string
	// BoostID names a boost entry (Post.EntryID of a boost).
	BoostID string
}

// OnChange has fn called with every Change once its transaction has
// committed, in the order of the commits, so that open streams need not
// poll. fn runs on the writer's goroutine: it must not block or write.
// Commits by another process (the admin commands) call nothing.
func (db *DB) OnChange(fn func(Change)) { db.onChange.Store(&fn) }

// changed tells OnChange's function of c once the transaction commits.
func (tx *Tx) changed(c Change) {
	fn := tx.db.onChange.Load()
	if fn == nil {
		return
	}
	for _, seen := range tx.changes {
		if seen.Kind == c.Kind && seen.PostID == c.PostID && seen.NotificationID == c.NotificationID && seen.BoostID == c.BoostID {
			return // a post revised twice in one write is one change
		}
	}
	if len(tx.changes) == 0 {
		tx.onCommitted = append(tx.onCommitted, func() {
			for _, c := range tx.changes {
				(*fn)(c)
			}
		})
	}
	tx.changes = append(tx.changes, c)
}

// postDeleted tells of the deletion of p, read before it is deleted: for
// a post not for everyone, with the members here who may see it.
func (tx *Tx) postDeleted(ctx context.Context, p *Post) error {
	if tx.db.onChange.Load() == nil {
		return nil
	}
	c := Change{Kind: ChangePostDeleted, PostID: p.ID, Listed: Listed(p.Visibility)}
	if !c.Listed {
		// Only its author, those it names and the author's followers may
		// see such a post (visibility.go), so only they are asked the rule.
		rows, err := tx.QueryContext(ctx, `SELECT m.id FROM posts p JOIN members m ON m.id IN (
				SELECT p.author_id UNION SELECT actor_id FROM post_recipients WHERE post_id = p.id
				UNION SELECT follower_id FROM follows WHERE followee_id = p.author_id AND state = 'accepted')
			WHERE p.id = ? AND m.status = 'active' AND `+visibleSQL("p", "m.id"), p.ID)
		if err != nil {
			return fmt.Errorf("audience of %s: %w", p.ID, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return fmt.Errorf("audience of %s: %w", p.ID, err)
			}
			c.Audience = append(c.Audience, id)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("audience of %s: %w", p.ID, err)
		}
	}
	tx.changed(c)
	return nil
}
