package storage

import (
	"context"
	"fmt"
	"strings"
)

// PostEdit is a member's change to the text of their own post or comment
// and to its content warning. Headlines change by revision, not here.
type PostEdit struct {
	MemberID string
	PostID   string
	Text     string    // Markdown: the commentary of news, the body of a discussion or comment
	Mentions []Mention // the handles in Text, resolved by the caller
	// ContentWarning replaces the post's warning; "" takes it away.
	ContentWarning string
}

// EditPost changes the text and the content warning of the member's own
// post or comment, and tells those who have it. A post is sensitive
// exactly when it carries a warning: members mark nothing sensitive
// without one.
func (db *DB) EditPost(ctx context.Context, e PostEdit) (*Post, error) {
	e.Text = strings.TrimSpace(e.Text)
	if err := checkText("text", e.Text, maxBodyLength, true); err != nil {
		return nil, err
	}
	var err error
	if e.ContentWarning, err = checkContentWarning(e.ContentWarning); err != nil {
		return nil, err
	}
	var p *Post
	err = db.write(ctx, func(tx *Tx) (err error) {
		if p, err = tx.postWhere(ctx, "p.id = ?", e.PostID); err != nil {
			return err
		}
		if p.AuthorID != e.MemberID || !p.Local {
			return Errorf(EForbidden, "You can only edit what you wrote.")
		}
		if e.Text == "" && p.Kind != KindNews {
			// The rule of ErrEmptyPost: a post with images may lose its text.
			images, err := tx.imageCount(ctx, p.ID)
			if err != nil {
				return err
			}
			if err := saysSomething(e.Text, images); err != nil {
				return Errorf(EInvalid, "The text cannot be empty.")
			}
		}
		p.Source, p.Content, p.Updated = e.Text, RenderPostMarkdown(e.Text, e.Mentions, tx.db.Site.TagBase()), editTime(p, tx.now)
		p.ContentWarning, p.Sensitive = e.ContentWarning, e.ContentWarning != ""
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET source = ?, content = ?, updated = ?,
			content_warning = ?, sensitive = ? WHERE id = ?`,
			p.Source, p.Content, millis(p.Updated), p.ContentWarning, p.Sensitive, p.ID); err != nil {
			return fmt.Errorf("edit post %s: %w", p.URI, err)
		}
		if err := tx.reindexPost(ctx, p); err != nil {
			return err
		}
		tx.changed(Change{Kind: ChangePostUpdated, PostID: p.ID})
		eventID, err := tx.enqueueID(ctx, EventUpdatePost, p.ID, e.MemberID, OutboxPayload{})
		if err != nil {
			return err
		}
		return tx.groupAnnounce(ctx, p, OutboxPayload{InnerEventID: eventID})
	})
	return p, err
}
