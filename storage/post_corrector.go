package storage

import (
	"context"
	"encoding/json"
	"fmt"
)

// Corrected reports whether the post's headline is not the one its
// author published: a revert to the original takes the mark away, as
// nothing is corrected any more. A post whose first revision is not
// known (FirstHeadline "") counts as corrected once it has others.
func (p *Post) Corrected() bool {
	return p.Revision > 1 && p.FirstHeadline != p.Headline
}

// correctorsQuery reads the editors of the current headlines of the
// posts whose ids ?1 lists (a JSON array). Its text is fixed, so its
// statement stays compiled (statement_cache.go) whatever the number of
// posts. Only what names and links the editor is read.
const correctorsQuery = `SELECT p.id, a.id, a.uri, a.kind, a.local, a.username, a.host FROM actors a
	JOIN headline_revisions r ON r.editor_id = a.id
	JOIN posts p ON p.id = r.post_id AND r.number = p.revision
	WHERE p.id IN (SELECT value FROM json_each(?1))`

// loadCorrectors fills in CorrectedBy, the editor of the current headline
// revision, for the listed posts whose headline is corrected. Posts never
// corrected cost nothing: most of a feed.
func (tx *Tx) loadCorrectors(ctx context.Context, posts []*Post) error {
	byID := map[string]*Post{}
	var ids []string
	for _, p := range posts {
		if p.Corrected() {
			byID[p.ID] = p
			ids = append(ids, p.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	rows, err := tx.queryFixed(ctx, correctorsQuery, string(list))
	if err != nil {
		return fmt.Errorf("list correctors: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var postID string
		var a Actor
		if err := rows.Scan(&postID, &a.ID, &a.URI, &a.Kind, &a.Local, &a.Username, &a.Host); err != nil {
			return fmt.Errorf("read corrector: %w", err)
		}
		if p := byID[postID]; p != nil {
			p.CorrectedBy = &a
		}
	}
	return rows.Err()
}
