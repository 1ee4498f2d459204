package storage

import (
	"context"
	"fmt"
	"strings"
)

// Corrected reports whether the post's headline is not the one its
// author published: a revert to the original takes the mark away, as
// nothing is corrected any more. A post whose first revision is not
// known (FirstHeadline "") counts as corrected once it has others.
func (p *Post) Corrected() bool {
	return p.Revision > 1 && p.FirstHeadline != p.Headline
}

// loadCorrectors fills in CorrectedBy, the editor of the current
// headline revision, for the listed posts whose headline is corrected.
// Posts never corrected cost nothing: most of a feed.
func (tx *Tx) loadCorrectors(ctx context.Context, posts []*Post) error {
	byID := map[string]*Post{}
	args := []any{}
	for _, p := range posts {
		if p.Corrected() {
			byID[p.ID] = p
			args = append(args, p.ID)
		}
	}
	if len(args) == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT p.id, `+actorFields+actorFrom+`
		JOIN headline_revisions r ON r.editor_id = a.id
		JOIN posts p ON p.id = r.post_id AND r.number = p.revision
		WHERE p.id IN (?`+strings.Repeat(", ?", len(args)-1)+`)`, args...)
	if err != nil {
		return fmt.Errorf("list correctors: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var postID string
		a, err := scanActor(rows, &postID)
		if err != nil {
			return fmt.Errorf("read corrector: %w", err)
		}
		if p := byID[postID]; p != nil {
			p.CorrectedBy = a
		}
	}
	return rows.Err()
}
