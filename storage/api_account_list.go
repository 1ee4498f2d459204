package storage

import (
	"context"
	"fmt"
)

// AccountPage is a page of accounts from a list a client pages through
// by IDPage, newest entry first. Cursors[i] is the id of Actors[i]'s
// entry in the list (a follow's id; for blocks and mutes, which have no
// id of their own, the account's), which the page's links name.
type AccountPage struct {
	Actors  []*Actor
	Cursors []string
	// Hidden: the list is a member's network, which they keep to
	// themselves; it is empty for everyone else.
	Hidden bool
}

// accountPage reads a page of the actors joined to the list in from
// (aliased l), whose cursor column is cursor.
func (tx *Tx) accountPage(ctx context.Context, cursor, from, cond string, page IDPage, args ...any) (*AccountPage, error) {
	bound, boundArgs, orderLimit := page.clause(cursor)
	rows, err := tx.QueryContext(ctx, `SELECT `+cursor+`, `+actorFields+actorFrom+`JOIN `+from+
		` WHERE `+cond+` AND `+bound+` `+orderLimit, append(args, boundArgs...)...)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	out := &AccountPage{}
	for rows.Next() {
		var c string
		a, err := scanActor(rows, &c)
		if err != nil {
			return nil, fmt.Errorf("list accounts: %w", err)
		}
		out.Actors, out.Cursors = append(out.Actors, a), append(out.Cursors, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	newestFirst(page, out.Actors)
	newestFirst(page, out.Cursors)
	return out, nil
}

// networkHidden reports whether the viewer may not see whom the actor
// follows and who follows it: a member here who hides it, to everyone
// but themselves.
func (tx *Tx) networkHidden(ctx context.Context, viewerID, actorID string) (bool, error) {
	if viewerID == actorID {
		return false, nil
	}
	var hidden bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM members WHERE id = ? AND hide_network = 1)`, actorID).Scan(&hidden)
	if err != nil {
		return false, fmt.Errorf("network of %s: %w", actorID, err)
	}
	return hidden, nil
}

// NetworkShown reports whether the viewer ("" for a stranger) may see
// whom the actor follows and who follows it: always, but for a member
// here who hides it from everyone but themselves. The profile page, the
// follow lists and the client API all ask it.
func (db *DB) NetworkShown(ctx context.Context, viewerID, actorID string) (bool, error) {
	var hidden bool
	err := db.read(ctx, func(tx *Tx) (err error) {
		hidden, err = tx.networkHidden(ctx, viewerID, actorID)
		return err
	})
	return !hidden, err
}

// followPage pages through one side of the accepted follows of the
// actor, unless the viewer may not see it.
func (db *DB) followPage(ctx context.Context, viewerID, actorID, join, side string, page IDPage) (*AccountPage, error) {
	var out *AccountPage
	err := db.read(ctx, func(tx *Tx) error {
		hidden, err := tx.networkHidden(ctx, viewerID, actorID)
		if err != nil || hidden {
			out = &AccountPage{Hidden: true}
			return err
		}
		out, err = tx.accountPage(ctx, "l.id", "follows l ON "+join, side+" = ? AND l.state = 'accepted' AND "+shownAccountSQL, page, actorID)
		return err
	})
	return out, err
}

// FollowersPage pages through the accounts that follow the actor, as the
// viewer ("" for a stranger) may see them: a member who hides their
// network shows it to themselves only.
func (db *DB) FollowersPage(ctx context.Context, viewerID, actorID string, page IDPage) (*AccountPage, error) {
	return db.followPage(ctx, viewerID, actorID, "l.follower_id = a.id", "l.followee_id", page)
}

// FollowingPage pages through the accounts the actor follows, as
// FollowersPage.
func (db *DB) FollowingPage(ctx context.Context, viewerID, actorID string, page IDPage) (*AccountPage, error) {
	return db.followPage(ctx, viewerID, actorID, "l.followee_id = a.id", "l.follower_id", page)
}

// FollowRequestsPage pages through the accounts waiting for the member
// to approve their follow.
func (db *DB) FollowRequestsPage(ctx context.Context, memberID string, page IDPage) (*AccountPage, error) {
	var out *AccountPage
	err := db.read(ctx, func(tx *Tx) (err error) {
		out, err = tx.accountPage(ctx, "l.id", "follows l ON l.follower_id = a.id", "l.followee_id = ? AND l.state = 'pending'", page, memberID)
		return err
	})
	return out, err
}

// BlockedPage pages through the accounts the member blocked.
func (db *DB) BlockedPage(ctx context.Context, memberID string, page IDPage) (*AccountPage, error) {
	var out *AccountPage
	err := db.read(ctx, func(tx *Tx) (err error) {
		out, err = tx.accountPage(ctx, "l.blocked_id", "blocks l ON l.blocked_id = a.id", "l.blocker_id = ?", page, memberID)
		return err
	})
	return out, err
}

// MutedPage pages through the accounts and subwikis the member muted.
func (db *DB) MutedPage(ctx context.Context, memberID string, page IDPage) (*AccountPage, error) {
	var out *AccountPage
	err := db.read(ctx, func(tx *Tx) (err error) {
		out, err = tx.accountPage(ctx, "l.target_id", "mutes l ON l.target_id = a.id", "l.member_id = ?", page, memberID)
		return err
	})
	return out, err
}
