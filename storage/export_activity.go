package storage

import (
	"context"
	"database/sql"
	"strconv"
	"time"
)

// ExportCorrection is a headline the member gave a post of someone
// else: a revision applied (here, or at the post's origin), or a
// proposal sent to the origin and what became of it.
type ExportCorrection struct {
	Kind      string    `json:"kind"` // "revision" or "proposal"
	PostURI   string    `json:"post_uri"`
	Number    int       `json:"number,omitempty"` // the revision's number; for a proposal, the revision it corrects
	Previous  string    `json:"previous_headline,omitempty"`
	Headline  string    `json:"headline"`
	Reason    string    `json:"reason,omitempty"`
	SourceURL string    `json:"source_url,omitempty"`
	RevertsTo int       `json:"reverts_to,omitempty"`
	State     string    `json:"state"` // applied; or pending, accepted, rejected for a proposal
	Answer    string    `json:"answer,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportRevisions returns a page of the revisions the member made to
// headlines of others' posts, oldest first, and the next cursor.
func (db *DB) ExportRevisions(ctx context.Context, memberID, after string) ([]ExportCorrection, string, error) {
	var list []ExportCorrection
	next, err := db.exportRows(ctx, `SELECT r.rowid, p.uri, r.number, coalesce(b.headline, ''), r.headline, r.reason,
			r.source_url, r.reverts_to, r.created_at
		FROM headline_revisions r JOIN posts p ON p.id = r.post_id
		LEFT JOIN headline_revisions b ON b.post_id = r.post_id AND b.number = r.number - 1
		WHERE r.editor_id = ? AND p.author_id <> r.editor_id AND r.rowid > ? ORDER BY r.rowid LIMIT ?`,
		[]any{memberID, rowidAfter(after)}, func(rows *sql.Rows, cursor *string) error {
			c := ExportCorrection{Kind: "revision", State: "applied"}
			var rowid, created int64
			err := rows.Scan(&rowid, &c.PostURI, &c.Number, &c.Previous, &c.Headline, &c.Reason, &c.SourceURL, &c.RevertsTo, &created)
			c.CreatedAt, *cursor = fromMillis(created), strconv.FormatInt(rowid, 10)
			list = append(list, c)
			return err
		})
	return list, next, err
}

// ExportProposals returns a page of the corrections the member proposed
// to the origins of posts on other servers, and the next cursor.
func (db *DB) ExportProposals(ctx context.Context, memberID, after string) ([]ExportCorrection, string, error) {
	var list []ExportCorrection
	next, err := db.exportRows(ctx, `SELECT h.id, p.uri, h.base_revision, coalesce(b.headline, ''), h.headline, h.reason,
			h.source_url, h.state, h.answer, h.created_at
		FROM headline_proposals h JOIN posts p ON p.id = h.post_id
		LEFT JOIN headline_revisions b ON b.post_id = h.post_id AND b.number = h.base_revision
		WHERE h.member_id = ? AND h.id > ? ORDER BY h.id LIMIT ?`,
		[]any{memberID, after}, func(rows *sql.Rows, cursor *string) error {
			c := ExportCorrection{Kind: "proposal"}
			var created int64
			err := rows.Scan(cursor, &c.PostURI, &c.Number, &c.Previous, &c.Headline, &c.Reason, &c.SourceURL, &c.State, &c.Answer, &created)
			c.CreatedAt = fromMillis(created)
			list = append(list, c)
			return err
		})
	return list, next, err
}

// ExportLike is a post the member liked.
type ExportLike struct {
	PostURI  string    `json:"post_uri"`
	Headline string    `json:"headline,omitempty"` // when the member may still see the post
	LikedAt  time.Time `json:"liked_at"`
}

// ExportLikes returns a page of the member's likes, oldest first, and
// the next cursor. A liked post the member may no longer see is named
// by its address only.
func (db *DB) ExportLikes(ctx context.Context, memberID, after string) ([]ExportLike, string, error) {
	return db.exportReactions(ctx, memberID, Like, after)
}

// ExportBoost is a post the member boosted.
type ExportBoost struct {
	PostURI   string    `json:"post_uri"`
	Headline  string    `json:"headline,omitempty"` // when the member may still see the post
	BoostedAt time.Time `json:"boosted_at"`
}

// ExportBoosts returns a page of the member's boosts, oldest first, and
// the next cursor, as ExportLikes.
func (db *DB) ExportBoosts(ctx context.Context, memberID, after string) ([]ExportBoost, string, error) {
	reactions, next, err := db.exportReactions(ctx, memberID, Announce, after)
	boosts := make([]ExportBoost, len(reactions))
	for i, r := range reactions {
		boosts[i] = ExportBoost{PostURI: r.PostURI, Headline: r.Headline, BoostedAt: r.LikedAt}
	}
	return boosts, next, err
}

// exportReactions returns a page of the member's reactions of a kind,
// oldest first, and the next cursor.
func (db *DB) exportReactions(ctx context.Context, memberID, kind, after string) ([]ExportLike, string, error) {
	var list []ExportLike
	visible, args := visibleTo(memberID)
	next, err := db.exportRows(ctx, `SELECT r.rowid, p.uri, CASE WHEN `+visible+` THEN p.headline ELSE '' END, r.created_at
		FROM reactions r JOIN posts p ON p.id = r.post_id
		WHERE r.actor_id = ? AND r.kind = ? AND r.rowid > ? ORDER BY r.rowid LIMIT ?`,
		append(args, memberID, kind, rowidAfter(after)), func(rows *sql.Rows, cursor *string) error {
			var l ExportLike
			var rowid, created int64
			err := rows.Scan(&rowid, &l.PostURI, &l.Headline, &created)
			l.LikedAt, *cursor = fromMillis(created), strconv.FormatInt(rowid, 10)
			list = append(list, l)
			return err
		})
	return list, next, err
}

// ExportFollow is an account or subwiki the member follows, or an
// account that follows them.
type ExportFollow struct {
	ActorURI string    `json:"actor_uri"`
	Handle   string    `json:"handle"`
	Kind     string    `json:"kind"`  // Person, Group, ...
	State    string    `json:"state"` // accepted, or pending while it waits for approval
	Since    time.Time `json:"since"`
}

// ExportFollows returns a page of whom the member follows (followers
// false) or who follows them, oldest first, and the next cursor.
func (db *DB) ExportFollows(ctx context.Context, memberID string, followers bool, after string) ([]ExportFollow, string, error) {
	mine, other := "f.follower_id", "f.followee_id"
	if followers {
		mine, other = other, mine
	}
	var list []ExportFollow
	next, err := db.exportRows(ctx, `SELECT f.id, a.uri, a.username, a.host, a.kind, f.state, f.created_at
		FROM follows f JOIN actors a ON a.id = `+other+`
		WHERE `+mine+` = ? AND f.id > ? ORDER BY f.id LIMIT ?`,
		[]any{memberID, after}, func(rows *sql.Rows, cursor *string) error {
			var f ExportFollow
			var user, host string
			var created int64
			err := rows.Scan(cursor, &f.ActorURI, &user, &host, &f.Kind, &f.State, &created)
			f.Handle, f.Since = "@"+user+"@"+host, fromMillis(created)
			list = append(list, f)
			return err
		})
	return list, next, err
}

// ExportFlag is a flag the member filed.
type ExportFlag struct {
	TargetURI  string     `json:"target_uri"`
	Category   string     `json:"category"`
	Comment    string     `json:"comment,omitempty"`
	Forwarded  bool       `json:"forwarded"`
	State      string     `json:"state"` // open, dismissed or actioned
	CreatedAt  time.Time  `json:"created_at"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
}

// ExportFlags returns a page of the flags the member filed, oldest
// first, and the next cursor.
func (db *DB) ExportFlags(ctx context.Context, memberID, after string) ([]ExportFlag, string, error) {
	var list []ExportFlag
	next, err := db.exportRows(ctx, `SELECT id, target_uri, category, comment, forwarded, state, created_at, coalesce(resolved_at, 0)
		FROM flags WHERE reporter_id = ? AND activity_uri = '' AND id > ? ORDER BY id LIMIT ?`,
		[]any{memberID, after}, func(rows *sql.Rows, cursor *string) error {
			var f ExportFlag
			var created, resolved int64
			err := rows.Scan(cursor, &f.TargetURI, &f.Category, &f.Comment, &f.Forwarded, &f.State, &created, &resolved)
			f.CreatedAt = fromMillis(created)
			if resolved != 0 {
				t := fromMillis(resolved)
				f.ResolvedAt = &t
			}
			list = append(list, f)
			return err
		})
	return list, next, err
}
