package storage

import (
	"context"
	"fmt"
	"time"
)

// RemotePost is a post as another server describes it.
type RemotePost struct {
	URI        string
	AuthorID   string // a stored remote actor
	Content    string // HTML; sanitized before it is stored
	URL        string
	Visibility string
	InReplyTo  string
	Published  time.Time
	Updated    time.Time
}

// SaveRemotePost stores a remote actor's post, or applies an edit of it.
// The post's id must be on its author's server; a deleted post does not
// come back; an edit is applied only when it is newer than the copy.
func (db *DB) SaveRemotePost(ctx context.Context, r RemotePost) (*Post, error) {
	switch r.Visibility {
	case Public, Unlisted, Followers, Direct:
	default:
		return nil, Errorf(EInvalid, "Unknown visibility %q.", r.Visibility)
	}
	if err := checkWebURL("post id", r.URI); err != nil || r.URI == "" {
		return nil, Errorf(EInvalid, "The post id %q is not an http(s) URL.", r.URI)
	}
	if err := checkWebURL("post url", r.URL); err != nil {
		r.URL = ""
	}
	content := sanitizeHTML(r.Content)
	var p *Post
	err := db.write(ctx, func(tx *Tx) error {
		author, err := tx.actorWhere(ctx, "a.id = ?", r.AuthorID)
		if err != nil {
			return err
		}
		if author.Local {
			return Errorf(EForbidden, "Posts of local members are not taken from other servers.")
		}
		if !sameHost(r.URI, author.URI) {
			return Errorf(EForbidden, "The post %s is not on the server of its author %s.", r.URI, author.URI)
		}
		if gone, err := tx.isTombstoned(ctx, r.URI); err != nil || gone {
			if gone {
				return Errorf(EConflict, "The post %s was deleted.", r.URI)
			}
			return err
		}
		existing, err := tx.postWhere(ctx, "p.uri = ?", r.URI)
		if ErrorCode(err) == ENotFound {
			p = &Post{ID: tx.db.ids.next(publishedForID(r.Published, tx.now)), URI: r.URI, AuthorID: author.ID,
				Content: content, URL: r.URL, Visibility: r.Visibility, InReplyTo: r.InReplyTo,
				Published: publishedForID(r.Published, tx.now), Updated: r.Updated}
			return tx.insertPost(ctx, p)
		}
		if err != nil {
			return err
		}
		if existing.AuthorID != author.ID {
			return Errorf(EForbidden, "The post %s belongs to another author.", r.URI)
		}
		p = existing
		if r.Updated.IsZero() || !r.Updated.After(existing.Updated) {
			return nil // not newer: nothing to apply
		}
		p.Content, p.URL, p.Updated = content, r.URL, r.Updated
		_, err = tx.ExecContext(ctx, `UPDATE posts SET content = ?, url = ?, updated = ? WHERE id = ?`,
			p.Content, p.URL, millis(p.Updated), p.ID)
		if err != nil {
			return fmt.Errorf("update post %s: %w", p.URI, err)
		}
		return nil
	})
	return p, err
}

// publishedForID keeps a remote publication time from sorting a post
// into the future (or, without one, dates it at arrival).
func publishedForID(published, now time.Time) time.Time {
	if published.IsZero() || published.After(now) {
		return now
	}
	return published
}

// DeleteRemotePost deletes a remote post at its author's request; a
// request from anyone else is refused. Deleting what is not here leaves
// a tombstone, so a Create arriving late is ignored.
func (db *DB) DeleteRemotePost(ctx context.Context, actorID, uri string) error {
	return db.write(ctx, func(tx *Tx) error {
		actor, err := tx.actorWhere(ctx, "a.id = ?", actorID)
		if err != nil {
			return err
		}
		if !sameHost(uri, actor.URI) {
			return Errorf(EForbidden, "%s cannot delete %s.", actor.URI, uri)
		}
		p, err := tx.postWhere(ctx, "p.uri = ?", uri)
		if ErrorCode(err) == ENotFound {
			return tx.tombstone(ctx, uri)
		}
		if err != nil {
			return err
		}
		if p.AuthorID != actor.ID {
			return Errorf(EForbidden, "%s cannot delete a post by someone else.", actor.URI)
		}
		return tx.deletePost(ctx, p)
	})
}

// DeleteRemoteActor forgets a remote actor who deleted their account:
// their posts, follows and reactions go, and their id is tombstoned.
func (db *DB) DeleteRemoteActor(ctx context.Context, actorID string) error {
	return db.write(ctx, func(tx *Tx) error {
		actor, err := tx.actorWhere(ctx, "a.id = ?", actorID)
		if err != nil {
			return err
		}
		if actor.Local {
			return Errorf(EForbidden, "Local accounts are not deleted from elsewhere.")
		}
		rows, err := tx.QueryContext(ctx, `SELECT uri FROM posts WHERE author_id = ?`, actorID)
		if err != nil {
			return fmt.Errorf("posts of %s: %w", actor.URI, err)
		}
		var uris []string
		for rows.Next() {
			var uri string
			if err := rows.Scan(&uri); err != nil {
				rows.Close()
				return err
			}
			uris = append(uris, uri)
		}
		rows.Close()
		for _, uri := range append(uris, actor.URI) {
			if err := tx.tombstone(ctx, uri); err != nil {
				return err
			}
		}
		if err := tx.recountReactionsBy(ctx, actorID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM actors WHERE id = ?`, actorID); err != nil {
			return fmt.Errorf("delete actor %s: %w", actor.URI, err)
		}
		return nil
	})
}

// IsDeleted reports whether the object or actor with the id was deleted.
func (db *DB) IsDeleted(ctx context.Context, uri string) (bool, error) {
	var gone bool
	err := db.read(ctx, func(tx *Tx) (err error) {
		gone, err = tx.isTombstoned(ctx, uri)
		return err
	})
	return gone, err
}
