package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// A limited server's accounts reach only the members who follow them:
// their posts are left out of the subwiki arm of the home feed, of
// subwiki pages and of threads for everyone else, and they notify only
// their followers. Their profile pages and the links to their posts
// still show them, as Mastodon shows a limited account to whoever looks
// it up.

// limitedAuthorTemplate is true when the actor $a is on a limited server
// (a host covered as coveringEntries says). domain_blocks is read first,
// so that with no limited server the test costs one probe of an empty
// index. Hosts are compared with GLOB, whose wildcards no host name has;
// an IPv6 address (in brackets) matches here only when given exactly.
const limitedAuthorTemplate = `EXISTS (SELECT 1 FROM domain_blocks lb WHERE lb.level = 'limit'
	AND EXISTS (SELECT 1 FROM actors la WHERE la.id = $a AND la.local = 0 AND (la.host = lb.host
		OR la.host GLOB '*.' || lb.host
		OR (instr(lb.host, ':') = 0 AND (la.host GLOB lb.host || ':*' OR la.host GLOB '*.' || lb.host || ':*')))))`

// limitedAuthorSQL is the condition that the actor with the id in the SQL
// expression author is on a limited server.
func limitedAuthorSQL(author string) string {
	return strings.ReplaceAll(limitedAuthorTemplate, "$a", author)
}

// reachTemplate is true when the post $p reaches the viewer $v: its
// author is not limited, or is the viewer, or the viewer follows them.
const reachTemplate = `($p.author_id = $v OR NOT ` + limitedAuthorTemplate + ` OR EXISTS (SELECT 1 FROM follows rf
	WHERE rf.follower_id = $v AND rf.followee_id = $p.author_id AND rf.state = 'accepted'))`

// reachTo is the condition that the posts aliased p reach the viewer,
// with the arguments of its placeholders.
func reachTo(viewerID string) (string, []any) {
	cond := strings.NewReplacer("$a", "p.author_id", "$p", "p", "$v", "?").Replace(reachTemplate)
	args := make([]any, strings.Count(cond, "?"))
	for i := range args {
		args[i] = viewerID
	}
	return cond, args
}

// unreached reports whether the actor, on a limited server, may not
// reach the member, who does not follow them: their notices are not made.
func (tx *Tx) unreached(ctx context.Context, actorID, memberID string) (bool, error) {
	var host string
	var local, follows bool
	err := tx.QueryRowContext(ctx, `SELECT host, local, EXISTS (SELECT 1 FROM follows WHERE follower_id = ?
		AND followee_id = actors.id AND state = 'accepted') FROM actors WHERE id = ?`, memberID, actorID).Scan(&host, &local, &follows)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reach of %s: %w", actorID, err)
	}
	return !local && !follows && tx.db.limited(ctx, host), nil
}

// limitedActor reports whether the actor is on a limited server.
func (tx *Tx) limitedActor(ctx context.Context, actorID string) (bool, error) {
	var host string
	var local bool
	err := tx.QueryRowContext(ctx, `SELECT host, local FROM actors WHERE id = ?`, actorID).Scan(&host, &local)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("server of %s: %w", actorID, err)
	}
	return !local && tx.db.limited(ctx, host), nil
}
