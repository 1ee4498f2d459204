package storage

import (
	"context"
	"database/sql"
	"time"
)

// ExportBookmark is a post the member bookmarked.
type ExportBookmark struct {
	PostURI      string    `json:"post_uri"`
	PostURL      string    `json:"post_url"`
	Headline     string    `json:"headline,omitempty"` // when the member may still see the post
	BookmarkedAt time.Time `json:"bookmarked_at"`
}

// ExportBookmarks returns a page of the member's bookmarks, oldest
// first, and the next cursor. A bookmarked post the member may no longer
// see is named by its addresses only.
func (db *DB) ExportBookmarks(ctx context.Context, memberID, after string) ([]ExportBookmark, string, error) {
	var list []ExportBookmark
	visible, args := visibleTo(memberID)
	next, err := db.exportRows(ctx, `SELECT b.id, p.uri, p.url, CASE WHEN `+visible+` THEN p.headline ELSE '' END, b.created_at
		FROM bookmarks b JOIN posts p ON p.id = b.post_id
		WHERE b.member_id = ? AND b.id > ? ORDER BY b.id LIMIT ?`,
		append(args, memberID, after), func(rows *sql.Rows, cursor *string) error {
			var b ExportBookmark
			var created int64
			err := rows.Scan(cursor, &b.PostURI, &b.PostURL, &b.Headline, &created)
			b.BookmarkedAt = fromMillis(created)
			list = append(list, b)
			return err
		})
	return list, next, err
}

// ExportApp is an app the member gave access to their account. Its
// secret and the tokens it holds are never exported: they would sign in
// as the member.
type ExportApp struct {
	Name         string    `json:"name"`
	Website      string    `json:"website,omitempty"`
	Scopes       []string  `json:"scopes"`
	AuthorizedAt time.Time `json:"authorized_at"`
}

// ExportApps returns the apps that hold access to the member's account,
// as the settings page of apps lists them (AuthorizedApps). They are
// few, so they are read at once.
func (db *DB) ExportApps(ctx context.Context, memberID string) ([]ExportApp, error) {
	apps, err := db.AuthorizedApps(ctx, memberID)
	if err != nil {
		return nil, err
	}
	list := make([]ExportApp, 0, len(apps))
	for _, a := range apps {
		scopes := a.Scopes
		if scopes == nil {
			scopes = []string{}
		}
		list = append(list, ExportApp{Name: a.App.Name, Website: a.App.Website, Scopes: scopes, AuthorizedAt: a.AuthorizedAt})
	}
	return list, nil
}
