package storage

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
)

// FlaggedItem is one item in a moderation queue with its open flags.
type FlaggedItem struct {
	TargetURI string
	Post      *Post  // the post or comment flagged; nil for an account or a post gone
	Account   *Actor // the account flagged, or the post's author
	Counts    []CategoryCount
	Flags     []*Flag // oldest first
}

// CategoryCount is how many open flags of one category an item has.
type CategoryCount struct {
	Category string
	Label    string
	Count    int
}

const flagColumns = `f.id, f.target_uri, coalesce(f.post_id, ''), coalesce(f.account_id, ''), coalesce(f.subwiki_id, ''),
	coalesce(f.reporter_id, ''), f.category, f.comment, f.forwarded, f.activity_uri, f.state, f.created_at, f.resolved_at`

func scanFlag(row interface{ Scan(...any) error }) (*Flag, error) {
	var f Flag
	var created int64
	var resolved sql.NullInt64
	err := row.Scan(&f.ID, &f.TargetURI, &f.PostID, &f.AccountID, &f.SubwikiID, &f.ReporterID, &f.Category, &f.Comment,
		&f.Forwarded, &f.activityURI, &f.State, &created, &resolved)
	if err != nil {
		return nil, fmt.Errorf("read flag: %w", err)
	}
	f.Remote, f.CreatedAt = f.activityURI != "", fromMillis(created)
	if resolved.Valid {
		f.ResolvedAt = fromMillis(resolved.Int64)
	}
	return &f, nil
}

// flagsWhere lists flags matching the condition, with their reporter,
// post and account filled in.
func (tx *Tx) flagsWhere(ctx context.Context, cond string, args ...any) ([]*Flag, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+flagColumns+` FROM flags f WHERE `+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("list flags: %w", err)
	}
	defer rows.Close()
	var list []*Flag
	for rows.Next() {
		f, err := scanFlag(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list flags: %w", err)
	}
	rows.Close()
	for _, f := range list {
		if err := tx.fillFlag(ctx, f); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// fillFlag finds what a flag names, leaving out what is gone.
func (tx *Tx) fillFlag(ctx context.Context, f *Flag) error {
	for _, fill := range []struct {
		id  string
		set func() error
	}{
		{f.ReporterID, func() (err error) { f.Reporter, err = tx.actorWhere(ctx, "a.id = ?", f.ReporterID); return err }},
		{f.AccountID, func() (err error) { f.Account, err = tx.actorWhere(ctx, "a.id = ?", f.AccountID); return err }},
		{f.PostID, func() (err error) { f.Post, err = tx.postWhere(ctx, "p.id = ?", f.PostID); return err }},
	} {
		if fill.id == "" {
			continue
		}
		if err := fill.set(); err != nil && ErrorCode(err) != ENotFound {
			return err
		}
	}
	return nil
}

// mayHandleFlags refuses a member who may not see or act on a queue: a
// subwiki's is its moderators' and the admins', the instance's the
// admins'.
func (tx *Tx) mayHandleFlags(ctx context.Context, memberID, subwikiID string) error {
	m, err := tx.memberWhere(ctx, "id = ?", memberID)
	if err != nil || m.Status != MemberActive {
		return Errorf(EForbidden, "Only moderators can see flags.")
	}
	if m.IsAdmin {
		return nil
	}
	if subwikiID == "" {
		return Errorf(EForbidden, "Only admins can see the instance's flags.")
	}
	return tx.mustModerate(ctx, memberID, subwikiID)
}

// FlagQueue lists the items with open flags in a queue (a local
// subwiki's, or the instance's when subwikiID is ""), the longest
// waiting first, for a member who may handle it.
func (db *DB) FlagQueue(ctx context.Context, memberID, subwikiID string) ([]*FlaggedItem, error) {
	var items []*FlaggedItem
	err := db.read(ctx, func(tx *Tx) error {
		if err := tx.mayHandleFlags(ctx, memberID, subwikiID); err != nil {
			return err
		}
		flags, err := tx.flagsWhere(ctx, `f.subwiki_id IS ? AND f.state = 'open' ORDER BY f.id`, nullable(subwikiID))
		if err != nil {
			return err
		}
		items = groupFlags(flags)
		return nil
	})
	return items, err
}

// groupFlags gathers flags (oldest first) by item, counting categories.
func groupFlags(flags []*Flag) []*FlaggedItem {
	var items []*FlaggedItem
	byURI := map[string]*FlaggedItem{}
	for _, f := range flags {
		item := byURI[f.TargetURI]
		if item == nil {
			item = &FlaggedItem{TargetURI: f.TargetURI}
			byURI[f.TargetURI] = item
			items = append(items, item)
		}
		item.Flags = append(item.Flags, f)
		if item.Post == nil {
			item.Post = f.Post
		}
		if item.Account == nil {
			item.Account = f.Account
		}
	}
	for _, item := range items {
		n := map[string]int{}
		for _, f := range item.Flags {
			n[f.Category]++
		}
		for _, c := range FlagCategories {
			if n[c] > 0 {
				item.Counts = append(item.Counts, CategoryCount{Category: c, Label: FlagCategoryLabel(c), Count: n[c]})
			}
		}
		sort.SliceStable(item.Counts, func(i, j int) bool { return item.Counts[i].Count > item.Counts[j].Count })
	}
	return items
}
