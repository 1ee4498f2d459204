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
	Kind       string // KindNote when empty
	Headline   string
	LinkURL    string
	Content    string // HTML; sanitized before it is stored
	URL        string
	Visibility string
	InReplyTo  string
	SubwikiID  string // the Group (ours or remote) it was published in

	// ContentWarning is the post's summary when it is a content warning;
	// Sensitive is its sensitive flag.
	ContentWarning string
	Sensitive      bool
	Published      time.Time
	Updated        time.Time

	// RelayInboundID, for a post sent to a subwiki of ours, is the stored
	// activity that brought it: the subwiki announces it to its followers.
	RelayInboundID string

	// Mentioned are the ids of the actors the post names; members here
	// among them are notified.
	Mentioned []string

	// Recipients are the ids the post is addressed to (to and cc). Members
	// here among them, and among Mentioned, may see the post whatever its
	// visibility.
	Recipients []string

	// HistoryURI is the history collection of the post at its origin,
	// when the origin takes corrections of its headline (another Tidings).
	HistoryURI string

	// Attachments are the images the post carries, in order; an edit
	// replaces them.
	Attachments []Attachment

	// Hashtags are the names of its tags of type Hashtag; an edit
	// replaces them.
	Hashtags []string

	// Revision is the origin's account of the current headline's revision,
	// when it sends one: who made it and why.
	Revision *RemoteRevision
}

// RemoteRevision is a headline revision as the post's origin describes it.
type RemoteRevision struct {
	Number    int
	EditorID  string // a stored actor, or "" when unknown
	Reason    string
	SourceURL string
	RevertsTo int
	URI       string
	CreatedAt time.Time
}

// clean makes what another server sent fit the rules of posts here.
func (r *RemotePost) clean() {
	if r.Kind == "" {
		r.Kind = KindNote
	}
	r.Headline = cleanLine(r.Headline, MaxHeadlineLength)
	r.ContentWarning = cleanLine(r.ContentWarning, MaxContentWarningLength)
	if checkWebURL("link", r.LinkURL) != nil {
		r.LinkURL = ""
	}
	if r.Kind == KindNews && r.LinkURL == "" {
		r.Kind = KindDiscussion
	}
	if (r.Kind == KindNews || r.Kind == KindDiscussion) && r.Headline == "" {
		r.Kind = KindNote
	}
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
	content := localHashtagLinks(sanitizeHTML(r.Content), r.Hashtags, db.Site.TagBase())
	r.clean()
	var p *Post
	err := db.write(ctx, func(tx *Tx) error {
		tx.keepsDocuments() // remote posts show in no local actor's document nor in NodeInfo
		r.Updated = remoteTime(r.Updated, tx.now)
		author, err := tx.actorWhere(ctx, "a.id = ?", r.AuthorID)
		if err != nil {
			return err
		}
		if author.Local {
			return Errorf(EForbidden, "Posts of local members are not taken from other servers.")
		}
		if tx.db.suspended(ctx, author.Host) {
			return Errorf(EForbidden, "This server does not federate with %s.", author.Host)
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
				Kind: r.Kind, Headline: r.Headline, LinkURL: r.LinkURL, Content: content, URL: r.URL,
				Visibility: r.Visibility, InReplyTo: r.InReplyTo, SubwikiID: r.SubwikiID,
				ContentWarning: r.ContentWarning, Sensitive: r.Sensitive,
				Published: publishedForID(r.Published, tx.now), Updated: r.Updated}
			if err := tx.placeInThread(ctx, p); err != nil {
				return err
			}
			if err := tx.mayPostRemotely(ctx, author.ID, p.SubwikiID); err != nil {
				return err
			}
			if err := tx.insertPost(ctx, p); err != nil {
				return err
			}
			if err := tx.addPostTags(ctx, p.ID, r.Hashtags); err != nil {
				return err
			}
			if err := tx.adoptReplies(ctx, p); err != nil {
				return err
			}
			if err := tx.addRecipients(ctx, p.ID, append(r.Recipients, r.Mentioned...)); err != nil {
				return err
			}
			if err := tx.addAttachments(ctx, p.ID, r.Attachments); err != nil {
				return err
			}
			if err := tx.setHistory(ctx, p.ID, r.HistoryURI); err != nil {
				return err
			}
			if err := tx.notifyRemote(ctx, p, r.Mentioned); err != nil {
				return err
			}
			return tx.relay(ctx, p, r.RelayInboundID, true)
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
		p.ContentWarning, p.Sensitive = r.ContentWarning, r.Sensitive || r.ContentWarning != ""
		_, err = tx.ExecContext(ctx, `UPDATE posts SET content = ?, url = ?, updated = ?, content_warning = ?, sensitive = ?
			WHERE id = ?`, p.Content, p.URL, millis(p.Updated), p.ContentWarning, p.Sensitive, p.ID)
		if err != nil {
			return fmt.Errorf("update post %s: %w", p.URI, err)
		}
		tx.changed(Change{Kind: ChangePostUpdated, PostID: p.ID})
		if err := tx.reindexPost(ctx, p); err != nil {
			return err
		}
		if err := tx.setPostTags(ctx, p.ID, r.Hashtags); err != nil {
			return err
		}
		if err := tx.applyRemoteRevision(ctx, p, r, author.ID); err != nil {
			return err
		}
		if err := tx.setAttachments(ctx, p.ID, r.Attachments); err != nil {
			return err
		}
		// Those an edit names anew may see the post; those it no longer
		// names keep what they were sent, as on Mastodon.
		if err := tx.addRecipients(ctx, p.ID, append(r.Recipients, r.Mentioned...)); err != nil {
			return err
		}
		if err := tx.setHistory(ctx, p.ID, r.HistoryURI); err != nil {
			return err
		}
		return tx.relay(ctx, p, r.RelayInboundID, false)
	})
	return p, err
}

// publishedForID keeps a remote publication time within range, so that
// the post sorts neither into the future nor before 1970 (or, without
// one, dates it at arrival).
func publishedForID(published, now time.Time) time.Time {
	if published.IsZero() {
		return now
	}
	return remoteTime(published, now)
}

// DeleteRemotePost deletes a remote post at its author's request; a
// request from anyone else is refused. Deleting what is not here leaves
// a tombstone, so a Create arriving late is ignored.
//
// relayInboundID, when set, is the stored Delete, which a subwiki of ours
// that held the post announces to its followers.
func (db *DB) DeleteRemotePost(ctx context.Context, actorID, uri, relayInboundID string) error {
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
		if err := tx.deletePost(ctx, p); err != nil {
			return err
		}
		if relayInboundID == "" {
			return nil
		}
		if err := tx.groupAnnounce(ctx, p, OutboxPayload{InboundID: relayInboundID}); err != nil {
			return err
		}
		return tx.groupAnnounce(ctx, p, OutboxPayload{ObjectURI: p.URI, UndoBoost: true})
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
		tx.forgetActor(actorID)
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

// placeInThread links a remote reply to the post or comment it answers,
// when we have it; the reply is then a comment in that thread and in its
// subwiki.
func (tx *Tx) placeInThread(ctx context.Context, p *Post) error {
	if p.InReplyTo == "" {
		return nil
	}
	parent, err := tx.postWhere(ctx, "p.uri = ?", p.InReplyTo)
	if ErrorCode(err) == ENotFound {
		return nil
	}
	if err != nil {
		return err
	}
	p.Kind, p.Headline, p.LinkURL = KindComment, "", ""
	p.ParentID, p.RootID = parent.ID, parent.RootID
	if p.RootID == "" {
		p.RootID = parent.ID
	}
	if p.SubwikiID == "" {
		p.SubwikiID = parent.SubwikiID
	}
	return nil
}

// relay makes a subwiki of ours announce the activity that brought a
// post to it; a new post is also announced bare, for Mastodon. A post
// that is not for everyone is not relayed (groupAnnounce), nor one by an
// account of a limited server, which reaches only its own followers.
func (tx *Tx) relay(ctx context.Context, p *Post, inboundID string, isNew bool) error {
	if limited, err := tx.limitedActor(ctx, p.AuthorID); inboundID == "" || limited || err != nil {
		return err
	}
	if err := tx.groupAnnounce(ctx, p, OutboxPayload{InboundID: inboundID}); err != nil {
		return err
	}
	if !isNew {
		return nil
	}
	return tx.groupAnnounce(ctx, p, OutboxPayload{ObjectURI: p.URI})
}

// mayPostRemotely refuses a remote author's post in a members-only
// subwiki of ours unless they are a member.
func (tx *Tx) mayPostRemotely(ctx context.Context, authorID, subwikiID string) error {
	if err := tx.mustNotBeBanned(ctx, authorID, subwikiID); err != nil {
		return err
	}
	if subwikiID == "" {
		return nil
	}
	var membersOnly bool
	err := tx.queryRowFixed(ctx, `SELECT members_only FROM subwikis WHERE id = ?`, subwikiID).Scan(&membersOnly)
	if err != nil || !membersOnly {
		return nil // not ours, or open to all
	}
	f, err := tx.followWhere(ctx, "follower_id = ? AND followee_id = ? AND state = ?", authorID, subwikiID, FollowAccepted)
	if err != nil {
		return err
	}
	if f == nil {
		return Errorf(EForbidden, "Only members of this subwiki can post in it.")
	}
	return nil
}

// notifyRemote tells members here that a remote post replies to them or
// names them.
func (tx *Tx) notifyRemote(ctx context.Context, p *Post, mentioned []string) error {
	if p.ParentID != "" {
		if err := tx.notifyActorID(ctx, tx.parentAuthor(ctx, p), NotifyReply, p.AuthorID, p.ID); err != nil {
			return err
		}
	}
	for _, uri := range mentioned {
		if !tx.db.Site.IsLocal(uri) {
			continue
		}
		if err := tx.notifyActorURI(ctx, uri, NotifyMention, p.AuthorID, p.ID); err != nil {
			return err
		}
	}
	return nil
}

// setHistory records where the origin keeps a post's headline history.
func (tx *Tx) setHistory(ctx context.Context, postID, historyURI string) error {
	if historyURI == "" {
		return nil
	}
	if checkWebURL("history", historyURI) != nil {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE posts SET history_uri = ? WHERE id = ?`, historyURI, postID)
	return err
}

// applyRemoteRevision records a new headline an edit from the origin
// brings: as the revision the origin describes (with its editor, if
// believed: see creditFor), or as a revision by the voucher (the author,
// or the subwiki deciding) when it describes none.
func (tx *Tx) applyRemoteRevision(ctx context.Context, p *Post, r RemotePost, voucherID string) error {
	if r.Headline == "" || p.Headline == "" {
		return nil
	}
	rev := r.Revision
	if rev == nil {
		if r.Headline == p.Headline {
			return nil
		}
		return tx.addRevision(ctx, p, r.Headline, voucherID, "", "")
	}
	if rev.Number <= p.Revision {
		return nil // known already, or older
	}
	editor, err := tx.creditFor(ctx, p, r.Headline, rev.EditorID, voucherID)
	if err != nil {
		return err
	}
	created := remoteTime(rev.CreatedAt, tx.now)
	if created.IsZero() {
		created = tx.now
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO headline_revisions (post_id, number, headline, editor_id, reason, source_url,
		reverts_to, uri, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		p.ID, rev.Number, r.Headline, editor, cleanLine(rev.Reason, maxReasonLength), webURLOrEmpty(rev.SourceURL),
		rev.RevertsTo, webURLOrEmpty(rev.URI), millis(created)); err != nil {
		return fmt.Errorf("revision %d of %s: %w", rev.Number, p.URI, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE posts SET headline = ?, revision = ? WHERE id = ?`, r.Headline, rev.Number, p.ID); err != nil {
		return fmt.Errorf("revise %s: %w", p.URI, err)
	}
	p.Headline, p.Revision = r.Headline, rev.Number
	return nil
}

// webURLOrEmpty keeps an http(s) URL and drops anything else.
func webURLOrEmpty(s string) string {
	if checkWebURL("url", s) != nil {
		return ""
	}
	return s
}

// ReviseByGroup applies a headline revision a remote subwiki decided on,
// for a post in it whose origin takes no corrections.
func (db *DB) ReviseByGroup(ctx context.Context, groupID, postURI, headline string, rev *RemoteRevision) error {
	headline, err := checkHeadline(headline)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		p, err := tx.postWhere(ctx, "p.uri = ?", postURI)
		if err != nil {
			return err
		}
		var history string
		if err := tx.QueryRowContext(ctx, `SELECT history_uri FROM posts WHERE id = ?`, p.ID).Scan(&history); err != nil {
			return err
		}
		if p.SubwikiID != groupID || history != "" || p.Local {
			return Errorf(EForbidden, "That subwiki does not decide on the headline of %s.", postURI)
		}
		return tx.applyRemoteRevision(ctx, p, RemotePost{Headline: headline, Revision: rev}, groupID)
	})
}
