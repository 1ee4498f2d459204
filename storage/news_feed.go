package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// The news feeds (Atom) of a member and of a subwiki list what a
// stranger may see, and of that only public posts: an unlisted post is
// for everyone to read but not meant to be listed, as Mastodon keeps it
// out of its public timelines. PublicFeed is the instance's.

// PublicPostsBy pages through the public posts (not comments) of an
// actor that a stranger may see, newest first: the member's news feed.
func (db *DB) PublicPostsBy(ctx context.Context, actorID, before string, limit int) (*FeedPage, error) {
	cond, args := postsByCond(Stranger, actorID)
	return db.listPosts(ctx, cond+` AND p.visibility = 'public'`, before, limit, args...)
}

// PublicSubwikiFeed pages through the public posts (not comments) of a
// subwiki that a stranger may see and that reach a stranger, newest
// first: the subwiki's news feed.
func (db *DB) PublicSubwikiFeed(ctx context.Context, groupID, before string, limit int) (*FeedPage, error) {
	visible, args := visibleTo(Stranger)
	reach, reachArgs := reachTo(Stranger)
	cond := `p.subwiki_id = ? AND p.kind <> 'comment' AND p.visibility = 'public' AND ` + visible + ` AND ` + reach
	return db.listPosts(ctx, cond, before, limit, append(append([]any{groupID}, args...), reachArgs...)...)
}

// CurrentRevisions returns, by post id, the revision each corrected
// post's headline was at when the post was read (p.Revision), with its
// editor and time: what a news feed needs to date a correction and
// credit whoever made it. Posts never corrected are left out.
func (db *DB) CurrentRevisions(ctx context.Context, posts []*Post) (map[string]*Revision, error) {
	revs := map[string]*Revision{}
	err := db.read(ctx, func(tx *Tx) error {
		for _, p := range posts {
			if p.Revision < 2 {
				continue
			}
			r, err := tx.revisionOf(ctx, p)
			if err != nil {
				return err
			}
			if r != nil {
				revs[p.ID] = r
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("current revisions: %w", err)
	}
	return revs, nil
}

// revisionOf reads the post's revision numbered p.Revision, nil when
// there is none (the post is gone).
func (tx *Tx) revisionOf(ctx context.Context, p *Post) (*Revision, error) {
	r := &Revision{Number: p.Revision}
	var created int64
	var editorID string
	err := tx.QueryRowContext(ctx, `SELECT headline, reason, source_url, created_at, coalesce(editor_id, ''),
		reverts_to, local_only, uri FROM headline_revisions WHERE post_id = ? AND number = ?`, p.ID, p.Revision).
		Scan(&r.Headline, &r.Reason, &r.SourceURL, &created, &editorID, &r.RevertsTo, &r.LocalOnly, &r.URI)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("revision %d of %s: %w", p.Revision, p.ID, err)
	}
	r.CreatedAt = fromMillis(created)
	if editorID != "" {
		if r.Editor, err = tx.actorWhere(ctx, "a.id = ?", editorID); err != nil && ErrorCode(err) != ENotFound {
			return nil, err
		}
	}
	return r, nil
}
