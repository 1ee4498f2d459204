package storage

import (
	"context"
	"fmt"
)

// FeedPage is a page of posts, newest first.
type FeedPage struct {
	Posts []*Post
	Next  string // pass as before for the next page; "" at the end
}

// listPosts pages through the posts matching cond, newest first, with
// their authors.
func (db *DB) listPosts(ctx context.Context, cond string, before string, limit int, args ...any) (*FeedPage, error) {
	if before == "" {
		before = "\uffff"
	}
	return db.postPage(ctx, postsSelect+`WHERE `+cond+` AND p.id < ? ORDER BY p.id DESC LIMIT ?`, limit,
		append(args, before, limit+1)...)
}

// postsSelect reads posts with their authors and subwikis; a WHERE clause
// and an order complete it.
const postsSelect = `SELECT ` + postFields + `, ` + actorFields + `, ` + groupFields + actorFrom +
	`JOIN posts p ON p.author_id = a.id LEFT JOIN actors g ON g.id = p.subwiki_id `

// postPage runs query, which selects up to limit+1 posts with postsSelect,
// newest first, and makes a page of them. Every query is a text fixed in
// the code (queryFixed keeps it compiled).
func (db *DB) postPage(ctx context.Context, query string, limit int, args ...any) (*FeedPage, error) {
	page := &FeedPage{}
	err := db.read(ctx, func(tx *Tx) (err error) {
		page.Posts, err = tx.listedPosts(ctx, query, args...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list posts: %w", err)
	}
	if len(page.Posts) > limit {
		page.Posts = page.Posts[:limit]
		page.Next = page.Posts[limit-1].ID
	}
	return page, nil
}

// listedPosts runs query, which selects posts with postsSelect, in the
// transaction: the posts with their authors, subwikis, correctors,
// supporter badges and images.
func (tx *Tx) listedPosts(ctx context.Context, query string, args ...any) ([]*Post, error) {
	rows, err := tx.queryFixed(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var posts []*Post
	for rows.Next() {
		var author actorRow
		var group groupRow
		p, err := scanPost(rows, append(author.targets(), group.targets()...)...)
		if err != nil {
			return nil, err
		}
		p.Author, p.Subwiki = author.actor(), group.actor()
		posts = append(posts, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := tx.loadCorrectors(ctx, posts); err != nil {
		return nil, err
	}
	if err := tx.loadSupporterBadges(ctx, posts); err != nil {
		return nil, err
	}
	return posts, tx.loadAttachments(ctx, posts)
}

// groupFields are the few columns of a post's subwiki shown with it.
const groupFields = `coalesce(g.id, ''), coalesce(g.uri, ''), coalesce(g.username, ''), coalesce(g.host, ''),
	coalesce(g.display_name, ''), coalesce(g.local, 0), coalesce(g.url, '')`

// groupRow receives groupFields.
type groupRow struct{ a Actor }

func (r *groupRow) targets() []any {
	return []any{&r.a.ID, &r.a.URI, &r.a.Username, &r.a.Host, &r.a.DisplayName, &r.a.Local, &r.a.URL}
}

func (r *groupRow) actor() *Actor {
	if r.a.ID == "" {
		return nil
	}
	a := r.a
	a.Kind = KindGroup
	return &a
}

// HomeFeed pages through the posts (not comments, not direct posts) of
// the member, of the accounts they follow and of the subwikis they
// joined, newest first: those the member may see; and the boosts of the
// member and of the accounts they follow, each listed by its own entry
// id (Post.EntryID), which is the cursor.
// The accounts and subwikis the member muted are left out, and so are
// the posts with words they muted.
func (db *DB) HomeFeed(ctx context.Context, memberID, before string, limit int) (*FeedPage, error) {
	return db.withoutMutedWords(ctx, memberID, before, limit, func(before string) (*FeedPage, error) {
		page, err := db.homeFeed(ctx, memberID, before, limit, homeFeedWindow)
		if err != nil {
			return nil, err
		}
		return db.withHomeBoosts(ctx, memberID, page, before, limit)
	})
}

// homeFeedWindow is how many of the newest posts before the cursor the
// home feed looks through before it asks each source for its posts. At a
// million posts, 10,000 balances the two costs for the slowest feeds,
// those that just miss filling a page from the window (docs/BENCHMARKS.md).
const homeFeedWindow = 10_000

// homeFeed is HomeFeed with the window as a parameter, for tests.
func (db *DB) homeFeed(ctx context.Context, memberID, before string, limit, window int) (*FeedPage, error) {
	if before == "" {
		before = "\uffff"
	}
	return db.postPage(ctx, homeFeedQuery, limit, memberID, before, limit+1, window)
}

// homeFeedQuery selects a page of the home feed: ?1 is the member, ?2 the
// cursor, ?3 the number of posts, ?4 the window. Comments and direct posts
// are never in it; the indexes of migration 0010 hold only the other
// posts, with every column the query reads of them (the visibility rule's
// among them), so that finding a page reads them and not the posts table.
// Of the sources' posts, only those the member may see are taken. The
// posts of the member and of the accounts they follow are theirs to see
// by the rule's own terms (they are the author, or an accepted follower,
// and direct posts are left out), so the rule is asked only of the posts
// of the subwikis they joined: a followers-only post there is not theirs
// to see unless they follow its author or it names them. TestHomeFeedWindow
// checks the pages against the rule asked of every post.
//
// It is two plans, each fast where the other is slow (see "Home feed" in
// docs/BENCHMARKS.md). recent walks back from the cursor through the
// newest ?4 posts and keeps the sources' ones; it stops when it has ?3, as
// it soon does for a member who follows much, and then it is the page.
// With fewer, the page reaches back past the window: fallback then lists
// the sources again, each one's posts before the cursor are read from its
// index, and the newest ?3 of them all are the page. SQLite computes the
// count that decides once, before it reads any source's posts, so a full
// recent costs nothing more. CROSS JOIN keeps the sources in the outer
// loop, where SQLite would rather walk all the posts; the subwiki arm
// leaves out what the author arm has.
//
// A member's own id is among the sources: the member's posts are theirs,
// and no post is in a subwiki with a Person's id. What the member muted
// is not a source, and muted authors' posts in the subwikis are left out.
var homeFeedQuery = postsSelect + `WHERE p.id IN (
	WITH muted(id) AS (
		SELECT target_id FROM mutes WHERE member_id = ?1
	), sources(id) AS (
		SELECT ?1 UNION SELECT followee_id FROM follows WHERE follower_id = ?1 AND state = 'accepted'
			AND followee_id NOT IN muted
	), recent(id) AS MATERIALIZED (
		SELECT id FROM (
			SELECT id, author_id, subwiki_id, visibility FROM posts
			WHERE kind <> 'comment' AND visibility <> 'direct' AND id < ?2 ORDER BY id DESC LIMIT ?4
		) w WHERE author_id IN sources OR (subwiki_id IN sources AND author_id NOT IN muted AND ` + visibleSQL("w", "?1") + `
			AND NOT ` + limitedAuthorSQL("w.author_id") + `)
		ORDER BY id DESC LIMIT ?3
	), fallback(id) AS MATERIALIZED (
		SELECT id FROM sources WHERE (SELECT count(*) FROM recent) < ?3
	)
	SELECT id FROM recent WHERE (SELECT count(*) FROM recent) = ?3
	UNION ALL SELECT p.id FROM fallback s CROSS JOIN posts p ON p.author_id = s.id
		WHERE p.kind <> 'comment' AND p.visibility <> 'direct' AND p.id < ?2
	UNION ALL SELECT p.id FROM fallback s CROSS JOIN posts p ON p.subwiki_id = s.id
		WHERE p.kind <> 'comment' AND p.visibility <> 'direct' AND p.id < ?2 AND p.author_id NOT IN sources
		AND p.author_id NOT IN muted AND ` + visibleSQL("p", "?1") + ` AND NOT ` + limitedAuthorSQL("p.author_id") + `
	ORDER BY id DESC LIMIT ?3
) ORDER BY p.id DESC`

// postsByCond selects an actor's posts (not comments, not direct posts)
// that the viewer may see.
func postsByCond(viewerID, actorID string) (string, []any) {
	visible, args := visibleTo(viewerID)
	return `p.author_id = ? AND p.kind <> 'comment' AND p.visibility <> 'direct' AND ` + visible,
		append([]any{actorID}, args...)
}

// PostsBy pages through the posts (not comments, not direct posts) of an
// actor that the viewer ("" for a stranger) may see.
func (db *DB) PostsBy(ctx context.Context, viewerID, actorID, before string, limit int) (*FeedPage, error) {
	cond, args := postsByCond(viewerID, actorID)
	return db.listPosts(ctx, cond, before, limit, args...)
}

// SubwikiFeed pages through the posts (not comments, not direct posts) of
// a subwiki, here or elsewhere, that the viewer ("" for a stranger) may
// see and that reach them (domain_block_reach.go), newest first. Muted
// authors and muted words are left out.
func (db *DB) SubwikiFeed(ctx context.Context, viewerID, groupID, before string, limit int) (*FeedPage, error) {
	cond, args := subwikiFeedCond(viewerID, groupID)
	return db.withoutMutedWords(ctx, viewerID, before, limit, func(before string) (*FeedPage, error) {
		return db.listPosts(ctx, cond, before, limit, args...)
	})
}

// Thread returns the comments of a post that the viewer ("" for a
// stranger) may see and that reach them, oldest first, with authors; the web page nests them
// by ParentID.
// Comments of accounts the viewer muted are left out.
func (db *DB) Thread(ctx context.Context, viewerID, rootID string) ([]*Post, error) {
	visible, args := visibleTo(viewerID)
	reach, reachArgs := reachTo(viewerID)
	page, err := db.listPosts(ctx, `p.root_id = ? AND `+visible+` AND `+reach+` AND `+notMutedSQL("?", "p.author_id"), "", 5000,
		append(append(append([]any{rootID}, args...), reachArgs...), viewerID)...)
	if err != nil {
		return nil, err
	}
	for i, j := 0, len(page.Posts)-1; i < j; i, j = i+1, j-1 {
		page.Posts[i], page.Posts[j] = page.Posts[j], page.Posts[i]
	}
	return page.Posts, nil
}

// CountLocalPosts returns how many posts members of this instance made.
func (db *DB) CountLocalPosts(ctx context.Context) (int, error) {
	var n int
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM posts WHERE local = 1`).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count local posts: %w", err)
	}
	return n, nil
}

// CountPostsBy counts the posts PostsBy lists for the viewer.
func (db *DB) CountPostsBy(ctx context.Context, viewerID, actorID string) (int, error) {
	var n int
	cond, args := postsByCond(viewerID, actorID)
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM posts p WHERE `+cond, args...).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count posts of %s: %w", actorID, err)
	}
	return n, nil
}
