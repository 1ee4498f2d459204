package storage

import (
	"context"
	"fmt"
	"html"
	"strings"
)

// plainText is the text of a post's sanitized HTML without its markup:
// what full-text search indexes (posts.search_text). A tag becomes a
// space, so that words on either side of it stay apart; migration 0026
// computed the same for the posts it found.
func plainText(content string) string {
	return strings.TrimSpace(html.UnescapeString(tagPattern.ReplaceAllString(content, " ")))
}

// reindexPost writes the searchable text of a post whose content
// changed, which the triggers of migration 0026 put in the index, and
// the hashtags of a local post, which its author writes in the text.
// Every change of posts.content goes through it; a remote post's
// hashtags come from its tags (setPostTags).
func (tx *Tx) reindexPost(ctx context.Context, p *Post) error {
	if _, err := tx.ExecContext(ctx, `UPDATE posts SET search_text = ? WHERE id = ?`, plainText(p.Content), p.ID); err != nil {
		return fmt.Errorf("index post %s: %w", p.ID, err)
	}
	if !p.Local {
		return nil
	}
	return tx.setPostTags(ctx, p.ID, localHashtags(p))
}

// localHashtags are the hashtags a member wrote in a post's headline
// and text.
func localHashtags(p *Post) []string { return p.WrittenHashtags() }

// WrittenHashtags are the hashtags, normalized, written in a post's
// headline and Markdown text: a member's own post's tags (the rendered
// text holds a linked #tag as two words, so the source is read).
func (p *Post) WrittenHashtags() []string {
	return HashtagsIn(p.Headline + "\n" + p.Source)
}
