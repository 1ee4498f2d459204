package storage

import (
	"context"
	"fmt"
	"time"
)

// Revision is one headline a post has had.
type Revision struct {
	Number    int
	Headline  string
	Previous  string // the headline it replaced ("" for the first)
	Editor    *Actor // nil when the editor's account is gone
	Reason    string
	SourceURL string
	RevertsTo int    // the revision it restored, for a revert
	LocalOnly bool   // kept on this instance only
	URI       string // its ActivityPub id, when it federates
	CreatedAt time.Time
}

// HeadlineHistory lists every headline revision of a post, first first.
func (db *DB) HeadlineHistory(ctx context.Context, postID string) ([]*Revision, error) {
	var list []*Revision
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT number, headline, reason, source_url, created_at, coalesce(editor_id, ''),
			reverts_to, local_only, uri FROM headline_revisions WHERE post_id = ? ORDER BY number`, postID)
		if err != nil {
			return err
		}
		editors := map[*Revision]string{}
		for rows.Next() {
			var r Revision
			var created int64
			var editorID string
			if err := rows.Scan(&r.Number, &r.Headline, &r.Reason, &r.SourceURL, &created, &editorID,
				&r.RevertsTo, &r.LocalOnly, &r.URI); err != nil {
				rows.Close()
				return err
			}
			r.CreatedAt = fromMillis(created)
			editors[&r] = editorID
			list = append(list, &r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i, r := range list {
			if i > 0 {
				r.Previous = list[i-1].Headline
			}
			if id := editors[r]; id != "" {
				if r.Editor, err = tx.actorWhere(ctx, "a.id = ?", id); err != nil && ErrorCode(err) != ENotFound {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("headline history of %s: %w", postID, err)
	}
	return list, nil
}

// addRevision records a new headline of a post as its next revision.
func (tx *Tx) addRevision(ctx context.Context, p *Post, headline, editorID, reason, source string) error {
	next := p.Revision + 1
	if _, err := tx.ExecContext(ctx, `INSERT INTO headline_revisions (post_id, number, headline, editor_id, reason, source_url, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, p.ID, next, headline, nullable(editorID), reason, source, millis(tx.now)); err != nil {
		return fmt.Errorf("revision %d of %s: %w", next, p.URI, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE posts SET headline = ?, revision = ? WHERE id = ?`, headline, next, p.ID); err != nil {
		return fmt.Errorf("revise %s: %w", p.URI, err)
	}
	p.Headline, p.Revision = headline, next
	tx.changed(Change{Kind: ChangePostUpdated, PostID: p.ID})
	return nil
}
