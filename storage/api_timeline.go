package storage

import (
	"context"
	"fmt"
)

// Timeline is one page of a timeline the client API pages through with
// an IDPage: its posts newest first, and the ids at the two ends of what
// was read. Posts with words the member muted are left out after the
// page is read, so the page may hold fewer posts than asked; Newest and
// Oldest still bound what was read, so the next page starts past it.
type Timeline struct {
	Posts  []*Post
	Newest string // "" when nothing was read
	Oldest string
}

// idPagePosts reads the posts matching cond (fixed in the code, with
// the alias p) within the page, newest first, with their authors,
// subwikis and images, leaving out those with words the viewer muted.
func (db *DB) idPagePosts(ctx context.Context, viewerID, cond string, page IDPage, args ...any) (*Timeline, error) {
	pageCond, pageArgs, orderLimit := page.clause("p.id")
	read, err := db.postPage(ctx, postsSelect+`WHERE `+cond+` AND `+pageCond+` `+orderLimit, page.limit(),
		append(args, pageArgs...)...)
	if err != nil {
		return nil, err
	}
	newestFirst(page, read.Posts)
	return db.withoutMutedWordsOf(ctx, viewerID, read.Posts)
}

// withoutMutedWordsOf makes a Timeline of posts read newest first,
// leaving out those with words the viewer muted.
func (db *DB) withoutMutedWordsOf(ctx context.Context, viewerID string, posts []*Post) (*Timeline, error) {
	t := &Timeline{Posts: posts}
	if len(posts) == 0 {
		return t, nil
	}
	t.Newest, t.Oldest = posts[0].EntryID(), posts[len(posts)-1].EntryID()
	if viewerID == Stranger {
		return t, nil
	}
	var words []string
	if err := db.read(ctx, func(tx *Tx) (err error) {
		words, err = tx.mutedWords(ctx, viewerID)
		return err
	}); err != nil {
		return nil, fmt.Errorf("muted words of %s: %w", viewerID, err)
	}
	if len(words) == 0 {
		return t, nil
	}
	muted := mutedWordsPattern(words)
	kept := posts[:0:0]
	for _, p := range posts {
		if !muted.MatchString(postWords(p)) {
			kept = append(kept, p)
		}
	}
	t.Posts = kept
	return t, nil
}

// PublicTimeline pages through the public posts (not comments) that the
// viewer ("" for a stranger) may see and that reach them: the instance's
// members' with local, other servers' with remote, all of them
// otherwise. Unlisted, followers-only and direct posts are never in it,
// as in Mastodon's public timelines; muted authors are left out. With
// local it lists what PublicFeed lists.
func (db *DB) PublicTimeline(ctx context.Context, viewerID string, local, remote bool, page IDPage) (*Timeline, error) {
	cond, args := publicTimelineCond(viewerID, local, remote)
	return db.idPagePosts(ctx, viewerID, cond, page, args...)
}

// publicTimelineCond selects the posts of PublicTimeline.
func publicTimelineCond(viewerID string, local, remote bool) (string, []any) {
	visible, args := visibleTo(viewerID)
	reach, reachArgs := reachTo(viewerID)
	cond := `p.kind <> 'comment' AND p.visibility = 'public' AND ` + visible + ` AND ` + reach +
		` AND ` + notMutedSQL("?", "p.author_id")
	switch {
	case local:
		cond = `p.local = 1 AND ` + cond
	case remote:
		cond = `p.local = 0 AND ` + cond
	}
	return cond, append(append(args, reachArgs...), viewerID)
}

// TagTimeline pages through what the hashtag's page lists (Search of
// the hashtag, the same rule), by IDPage.
func (db *DB) TagTimeline(ctx context.Context, viewerID, tag string, page IDPage) (*Timeline, error) {
	cond, args, err := db.tagTimelineCond(ctx, viewerID, tag)
	if err != nil {
		return nil, err
	}
	return db.idPagePosts(ctx, viewerID, cond, page, args...)
}

// tagTimelineCond selects the posts of TagTimeline.
func (db *DB) tagTimelineCond(ctx context.Context, viewerID, tag string) (string, []any, error) {
	if NormalizeHashtag(tag) == "" {
		return "", nil, Errorf(EInvalid, "That is not a hashtag: hashtags are letters, digits and _.")
	}
	terms, err := SearchQuery{Tag: tag}.parse()
	if err != nil {
		return "", nil, err
	}
	return db.searchCond(ctx, viewerID, terms)
}

// SubwikiTimeline pages through what SubwikiFeed lists, by IDPage.
func (db *DB) SubwikiTimeline(ctx context.Context, viewerID, groupID string, page IDPage) (*Timeline, error) {
	cond, args := subwikiFeedCond(viewerID, groupID)
	return db.idPagePosts(ctx, viewerID, cond, page, args...)
}

// subwikiFeedCond selects the posts of SubwikiFeed.
func subwikiFeedCond(viewerID, groupID string) (string, []any) {
	visible, args := visibleTo(viewerID)
	reach, reachArgs := reachTo(viewerID)
	cond := `p.subwiki_id = ? AND p.kind <> 'comment' AND p.visibility <> 'direct' AND ` + visible + ` AND ` + reach +
		` AND ` + notMutedSQL("?", "p.author_id")
	return cond, append(append(append([]any{groupID}, args...), reachArgs...), viewerID)
}
