package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// Who may see a post is decided here and only here: visibleSQL is the
// rule, MaySee asks it of one post, and every listing (feeds, threads,
// profiles, notifications, collections) is built with it. A viewer is an
// actor id: a member signed in here, or Stranger.
//
//	visibility   who may see it
//	public       everyone
//	unlisted     everyone
//	followers    its author, the author's accepted followers, those it addresses or mentions
//	direct       its author, those it addresses or mentions
//
// Moderators and admins are not given more: privacy comes first, as on
// Mastodon, which shows a moderator a private post only inside a report
// about it (docs/visibility.md).

// Stranger is the viewer nobody knows: someone not signed in, or a
// server fetching ActivityPub documents.
const Stranger = ""

// Listed reports whether a post of the visibility is for everyone:
// public or unlisted. Only such posts are relayed by a subwiki.
func Listed(visibility string) bool { return visibility == Public || visibility == Unlisted }

// visibleTemplate is the rule in SQL: $p is the alias of the post's row,
// $v the viewer's actor id (empty for a stranger).
// A suspended member's posts are seen by nobody until the suspension
// is lifted. A block hides a post both ways (blockFreeTemplate, of its
// author: $a).
const visibleTemplate = `(NOT EXISTS (SELECT 1 FROM member_suspensions ms WHERE ms.member_id = $p.author_id)
	AND ($p.visibility IN ('public', 'unlisted')
	OR $p.author_id = $v
	OR EXISTS (SELECT 1 FROM post_recipients pr WHERE pr.post_id = $p.id AND pr.actor_id = $v)
	OR ($p.visibility = 'followers' AND EXISTS (SELECT 1 FROM follows pf
		WHERE pf.follower_id = $v AND pf.followee_id = $p.author_id AND pf.state = 'accepted')))
	AND ` + blockFreeTemplate + `)`

// blockFreeTemplate is true unless the account $a and the viewer $v are
// in a block, either way. A block hides what an account posts or boosts
// both ways: from the one it blocked (who may then not reply to it
// either), and from the blocker (whom a blocked account's mention does
// not reach). Whether the viewer is in any block is asked first: not
// correlated with the account, it is computed once a query, so that
// feeds of the many who block nobody pay nothing a post.
const blockFreeTemplate = `((NOT EXISTS (SELECT 1 FROM blocks pb WHERE pb.blocker_id = $v)
			AND NOT EXISTS (SELECT 1 FROM blocks pb WHERE pb.blocked_id = $v))
		OR (NOT EXISTS (SELECT 1 FROM blocks pb WHERE pb.blocker_id = $a AND pb.blocked_id = $v)
			AND NOT EXISTS (SELECT 1 FROM blocks pb WHERE pb.blocker_id = $v AND pb.blocked_id = $a)))`

// visibleSQL is the condition under which the viewer may see the post:
// post is the alias of its posts row, viewer an SQL expression for the
// viewer's actor id, such as a parameter.
func visibleSQL(post, viewer string) string {
	return strings.NewReplacer("$p", post, "$a", post+".author_id", "$v", viewer).Replace(visibleTemplate)
}

// blockFreeTo is the condition that the account whose id is the SQL
// expression account and the viewer are in no block, with the arguments
// of its placeholders.
func blockFreeTo(account, viewerID string) (string, []any) {
	args := make([]any, strings.Count(blockFreeTemplate, "$v"))
	for i := range args {
		args[i] = viewerID
	}
	return strings.NewReplacer("$a", account, "$v", "?").Replace(blockFreeTemplate), args
}

// visibleTo is visibleSQL for the posts aliased p and the viewer, with
// the arguments of its placeholders.
func visibleTo(viewerID string) (string, []any) {
	args := make([]any, strings.Count(visibleTemplate, "$v"))
	for i := range args {
		args[i] = viewerID
	}
	return visibleSQL("p", "?"), args
}

// maySee reports whether the viewer may see the post with the id; it is
// false too when there is no such post.
func (tx *Tx) maySee(ctx context.Context, viewerID, postID string) (bool, error) {
	cond, args := visibleTo(viewerID)
	var ok bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM posts p WHERE p.id = ? AND `+cond+`)`,
		append([]any{postID}, args...)...).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("may see %s: %w", postID, err)
	}
	return ok, nil
}

// mustSee refuses, as if there were no such post, a viewer who may not
// see it: acting on a post (liking, replying, correcting) needs seeing it.
func (tx *Tx) mustSee(ctx context.Context, viewerID, postID string) error {
	ok, err := tx.maySee(ctx, viewerID, postID)
	if err != nil {
		return err
	}
	if !ok {
		return Errorf(ENotFound, "No such post.")
	}
	return nil
}

// MaySee reports whether the viewer ("" for a stranger) may see the post.
func (db *DB) MaySee(ctx context.Context, viewerID, postID string) (bool, error) {
	var ok bool
	err := db.read(ctx, func(tx *Tx) (err error) {
		ok, err = tx.maySee(ctx, viewerID, postID)
		return err
	})
	return ok, err
}

// VisiblePost returns a post with its author and subwiki, if the viewer
// ("" for a stranger) may see it; otherwise it is not found.
func (db *DB) VisiblePost(ctx context.Context, viewerID, id string) (*Post, error) {
	cond, args := visibleTo(viewerID)
	page, err := db.listPosts(ctx, `p.id = ? AND `+cond, "", 1, append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	if len(page.Posts) == 0 {
		return nil, Errorf(ENotFound, "No such post.")
	}
	return page.Posts[0], nil
}

// addRecipients records which members here a post is addressed to or
// mentions, given actor ids (URIs) of every kind and server.
func (tx *Tx) addRecipients(ctx context.Context, postID string, uris []string) error {
	var local []string
	for _, uri := range uris {
		if tx.db.Site.IsLocal(uri) {
			local = append(local, uri)
		}
	}
	if len(local) == 0 {
		return nil
	}
	list, err := json.Marshal(local)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO post_recipients (post_id, actor_id)
		SELECT ?, a.id FROM actors a JOIN members m ON m.id = a.id WHERE a.uri IN (SELECT value FROM json_each(?))`,
		postID, string(list))
	if err != nil {
		return fmt.Errorf("recipients of %s: %w", postID, err)
	}
	return nil
}

// inheritRecipients makes the members a private post was for, and its
// author when a member here, recipients of a reply to it.
func (tx *Tx) inheritRecipients(ctx context.Context, postID string, parent *Post) error {
	_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO post_recipients (post_id, actor_id)
		SELECT ?, actor_id FROM post_recipients WHERE post_id = ?
		UNION SELECT ?, id FROM members WHERE id = ?`, postID, parent.ID, postID, parent.AuthorID)
	if err != nil {
		return fmt.Errorf("recipients of the reply %s: %w", postID, err)
	}
	return nil
}

// mentionURIs are the actor ids the mentions resolved to.
func mentionURIs(mentions []Mention) []string {
	uris := make([]string, 0, len(mentions))
	for _, m := range mentions {
		if m.URI != "" {
			uris = append(uris, m.URI)
		}
	}
	return uris
}
