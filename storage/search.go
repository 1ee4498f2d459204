package storage

import (
	"context"
	"strings"
)

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
	if q.Limit <= 0 || q.Limit > 100 {
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
// make, with its arguments. The words are matched in the index; the
// posts it finds are then read by rowid and ordered by id.
func (db *DB) searchCond(ctx context.Context, viewerID string, t searchTerms) (string, []any, error) {
	visible, args := visibleTo(viewerID)
	reach, reachArgs := reachTo(viewerID)
	conds := []string{`p.visibility <> 'direct'`, visible, reach}
	args = append(args, reachArgs...)
	if t.match != "" {
		conds = append(conds, `p.rowid IN (SELECT rowid FROM post_search WHERE post_search MATCH ?)`)
		args = append(args, t.match)
	}
	if t.tag != "" {
		conds = append(conds, `p.id IN (SELECT post_id FROM post_tags WHERE tag = ?)`)
		args = append(args, t.tag)
	}
	err := db.read(ctx, func(tx *Tx) error {
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
		return "", nil, err
	}
	return strings.Join(conds, " AND "), args, nil
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
