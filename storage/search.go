package storage

import (
	"context"
	"fmt"
	"strings"
)

// MaxSearchLimit is the most posts one page of a search holds.
const MaxSearchLimit = 100

// Search pages through the posts and comments that answer the query,
// newest first, as feeds are: Tidings never ranks. It finds only what the
// viewer ("" for a stranger) may see and what reaches them, and leaves
// out what the feeds leave out: direct posts, the accounts and subwikis
// the viewer muted (unless the query names them) and posts with words
// they muted. Posts removed by moderators and of suspended accounts are
// not found: the first are gone, the second seen by nobody.
func (db *DB) Search(ctx context.Context, viewerID string, q SearchQuery) (*FeedPage, error) {
	terms, err := q.parse()
	if err != nil {
		return nil, err
	}
	if q.Limit <= 0 || q.Limit > MaxSearchLimit {
		q.Limit = 20
	}
	cond, args, err := db.searchCond(ctx, viewerID, terms)
	if err != nil {
		return nil, err
	}
	return db.withoutMutedWords(ctx, viewerID, q.Before, q.Limit, func(before string) (*FeedPage, error) {
		return db.listPosts(ctx, cond, before, q.Limit, args...)
	})
}

// searchCond is the condition on the posts aliased p that the terms
// make, with its arguments.
//
// Which of two plans answers it depends on how many posts have the words
// (or the hashtag), as searchCommon counts. A few: they are read by rowid
// from the index, sorted by id, and the newest that pass the rest are the
// page; its cost grows with their number. Many: the posts are walked
// newest first and each is looked up in the set the index gives (the
// unary + keeps SQLite from reading them the first way), until the page
// is full, which the common words soon fill (docs/BENCHMARKS.md, "Search").
func (db *DB) searchCond(ctx context.Context, viewerID string, t searchTerms) (string, []any, error) {
	visible, args := visibleTo(viewerID)
	reach, reachArgs := reachTo(viewerID)
	conds := []string{`p.visibility <> 'direct'`, visible, reach}
	args = append(args, reachArgs...)
	err := db.read(ctx, func(tx *Tx) error {
		if t.match != "" {
			common, err := tx.searchCommon(ctx, `SELECT rowid FROM post_search WHERE post_search MATCH ?`, t.match)
			if err != nil {
				return err
			}
			conds = append(conds, walkOrLookUp(common)+`p.rowid IN (SELECT rowid FROM post_search WHERE post_search MATCH ?)`)
			args = append(args, t.match)
		}
		if t.tag != "" {
			common, err := tx.searchCommon(ctx, `SELECT post_id FROM post_tags WHERE tag = ?`, t.tag)
			if err != nil {
				return err
			}
			conds = append(conds, walkOrLookUp(common)+`p.id IN (SELECT post_id FROM post_tags WHERE tag = ?)`)
			args = append(args, t.tag)
		}
		if t.subwiki == "" {
			conds = append(conds, notMutedSQL("?", "coalesce(p.subwiki_id, '')"))
			args = append(args, viewerID)
		} else {
			g, err := tx.namedActor(ctx, t.subwiki, "No subwiki called %s is known here.")
			if err != nil {
				return err
			}
			if g.Kind != KindGroup {
				return Errorf(EInvalid, "%s is an account, not a subwiki: search from:%s for its posts.", t.subwiki, t.subwiki)
			}
			conds = append(conds, `p.subwiki_id = ?`)
			args = append(args, g.ID)
		}
		if t.author == "" {
			conds = append(conds, notMutedSQL("?", "p.author_id"))
			args = append(args, viewerID)
			return nil
		}
		a, err := tx.namedActor(ctx, t.author, "Nobody called @%s is known here.")
		if err != nil {
			return err
		}
		conds = append(conds, `p.author_id = ?`)
		args = append(args, a.ID)
		return nil
	})
	if err != nil {
		return "", nil, fmt.Errorf("search: %w", err)
	}
	return strings.Join(conds, " AND "), args, nil
}

// searchWalk is how many posts with the words make them common enough
// that walking the posts newest first finds a page sooner than reading
// every one of them (BenchmarkSearch).
const searchWalk = 1000

// searchCommon reports whether the query, which selects the posts with
// some words or a hashtag, selects at least searchWalk of them; it
// counts no further.
func (tx *Tx) searchCommon(ctx context.Context, query string, arg any) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (`+query+` LIMIT ?)`, arg, searchWalk).Scan(&n); err != nil {
		return false, fmt.Errorf("count matches: %w", err)
	}
	return n >= searchWalk, nil
}

// walkOrLookUp is the unary + that keeps a common term from choosing
// the posts to read.
func walkOrLookUp(common bool) string {
	if common {
		return "+"
	}
	return ""
}

// namedActor finds the actor a handle names: "name" or "@name" here,
// "name@server" elsewhere (known here already: a search fetches nothing).
// notFound is the message when there is none, with the handle for %s.
func (tx *Tx) namedActor(ctx context.Context, handle, notFound string) (*Actor, error) {
	handle = strings.TrimPrefix(handle, "@")
	name, host, remote := strings.Cut(handle, "@")
	if !remote {
		// Names here are lower case; elsewhere they keep their case.
		name, host = strings.ToLower(name), tx.db.Site.Domain
	}
	a, err := tx.actorWhere(ctx, "a.username = ? AND a.host = ? ORDER BY a.updated_at DESC LIMIT 1",
		name, strings.ToLower(host))
	if ErrorCode(err) == ENotFound {
		return nil, Errorf(EInvalid, notFound, handle)
	}
	return a, err
}
