package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"
)

// Post visibilities, as Mastodon reads them from to and cc.
const (
	Public    = "public"    // as:Public in to
	Unlisted  = "unlisted"  // as:Public in cc
	Followers = "followers" // the author's followers only
	Direct    = "direct"    // the people mentioned only
)

const maxPostLength = 5000

// Post kinds.
const (
	KindNote       = "note"       // a plain post, as Mastodon users write them
	KindNews       = "news"       // a link with a headline and optional commentary
	KindDiscussion = "discussion" // a headline and a text
	KindComment    = "comment"    // a reply in a post's thread
)

// Post is something an actor published: here, or on another server.
type Post struct {
	ID            string
	URI           string
	AuthorID      string
	Author        *Actor // filled by the listing operations
	Local         bool
	Kind          string
	Headline      string // the current headline of news and discussions
	Revision      int    // the number of the headline's current revision
	FirstHeadline string // the headline as first published, when it was corrected since
	Locked        bool   // the moderators locked the headline
	LockReason    string
	LinkURL       string // the news link
	Source        string // what a local author wrote (Markdown)
	Content       string // sanitized HTML
	URL           string
	Visibility    string
	// ContentWarning is the text the post is shown collapsed behind, ""
	// for none. Sensitive marks its media as sensitive; a post with a
	// warning is always sensitive.
	ContentWarning string
	Sensitive      bool
	InReplyTo      string // the id of the post or comment replied to
	SubwikiID      string // the Group actor it was published in, if any
	Subwiki        *Actor // filled by the listing operations
	ParentID       string // comments: the post or comment replied to, when we have it
	RootID         string // comments: the thread's post, when we have it
	CommentCount   int
	Published      time.Time
	Updated        time.Time
	LikeCount      int
	AnnounceCount  int
	Attachments    []Attachment // its images; filled by the listing operations, PostByID and PostByURI

	// LinkDescription is what the linked page's publisher says about
	// it, shown on the card as theirs; never the member's commentary.
	LinkDescription string
	// CorrectedBy is the editor of the current headline when it is
	// Corrected (nil when their account is gone), with what names and
	// links them (id, uri, kind, local, username, host); filled by the
	// listing operations.
	CorrectedBy *Actor
	// AuthorSupporter marks a local author who supports the instance
	// and chose to show it; filled by the listing operations.
	AuthorSupporter bool
	// Boost is set where a timeline lists the post as boosted: by whom,
	// when, under which entry id.
	Boost *Boost
}

const postFields = `p.id, p.uri, p.author_id, p.local, p.kind, p.headline, p.revision, p.link_url, p.source, p.content,
	p.url, p.visibility, p.in_reply_to, coalesce(p.subwiki_id, ''), coalesce(p.parent_id, ''), coalesce(p.root_id, ''),
	p.comment_count, p.published, p.updated, p.like_count, p.announce_count, p.headline_locked, p.lock_reason,
	p.content_warning, p.sensitive, p.link_description,
	CASE WHEN p.revision > 1 THEN coalesce((SELECT r.headline FROM headline_revisions r
		WHERE r.post_id = p.id AND r.number = 1), '') ELSE '' END`

func scanPost(row interface{ Scan(...any) error }, extra ...any) (*Post, error) {
	var p Post
	var published, updated int64
	err := row.Scan(append([]any{&p.ID, &p.URI, &p.AuthorID, &p.Local, &p.Kind, &p.Headline, &p.Revision, &p.LinkURL,
		&p.Source, &p.Content, &p.URL, &p.Visibility, &p.InReplyTo, &p.SubwikiID, &p.ParentID, &p.RootID,
		&p.CommentCount, &published, &updated, &p.LikeCount, &p.AnnounceCount, &p.Locked, &p.LockReason,
		&p.ContentWarning, &p.Sensitive, &p.LinkDescription, &p.FirstHeadline}, extra...)...)
	if err != nil {
		return nil, err
	}
	p.Published = fromMillis(published)
	if updated != 0 {
		p.Updated = fromMillis(updated)
	}
	return &p, nil
}

// postWhere returns the one post matching the condition, which must be
// fixed in the code: its statement is kept compiled.
func (tx *Tx) postWhere(ctx context.Context, cond string, args ...any) (*Post, error) {
	p, err := scanPost(tx.queryRowFixed(ctx, `SELECT `+postFields+` FROM posts p WHERE `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(ENotFound, "No such post.")
	}
	if err != nil {
		return nil, fmt.Errorf("find post: %w", err)
	}
	return p, nil
}

// PostByID returns the post with the id, whoever may see it: for the
// server's own work. What is shown asks VisiblePost.
func (db *DB) PostByID(ctx context.Context, id string) (*Post, error) {
	var p *Post
	err := db.read(ctx, func(tx *Tx) (err error) {
		if p, err = tx.postWhere(ctx, "p.id = ?", id); err != nil {
			return err
		}
		return tx.loadAttachments(ctx, []*Post{p})
	})
	return p, err
}

// PostByURI returns the post with the ActivityPub id, whoever may see
// it: for the server's own work. What is shown asks VisiblePost.
func (db *DB) PostByURI(ctx context.Context, uri string) (*Post, error) {
	var p *Post
	err := db.read(ctx, func(tx *Tx) (err error) {
		if p, err = tx.postWhere(ctx, "p.uri = ?", uri); err != nil {
			return err
		}
		return tx.loadAttachments(ctx, []*Post{p})
	})
	return p, err
}

// TextToHTML turns plain text a member typed (a post, a bio) into HTML:
// escaped, with blank lines between paragraphs and line breaks kept.
func TextToHTML(text string) string {
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(para), "\n", "<br>"))
		b.WriteString("</p>")
	}
	return b.String()
}

// CreatePost publishes a public post by the member on their profile and
// tells their followers.
func (db *DB) CreatePost(ctx context.Context, memberID, text string) (*Post, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, Errorf(EInvalid, "Write something first.")
	}
	if err := checkText("post", text, maxPostLength, true); err != nil {
		return nil, err
	}
	var p *Post
	err := db.write(ctx, func(tx *Tx) error {
		m, err := tx.memberWhere(ctx, "id = ?", memberID)
		if err != nil {
			return err
		}
		if m.Status != MemberActive {
			return Errorf(EForbidden, "Your account cannot post yet.")
		}
		id := tx.newID()
		p = &Post{ID: id, URI: tx.db.Site.PostURI(id), AuthorID: memberID, Local: true, Source: text,
			Content: TextToHTML(text), Visibility: Public, Published: tx.now}
		p.URL = p.URI
		if err := tx.insertPost(ctx, p); err != nil {
			return err
		}
		return tx.enqueue(ctx, EventCreatePost, p.ID, memberID, OutboxPayload{})
	})
	return p, err
}

func (tx *Tx) insertPost(ctx context.Context, p *Post) error {
	var updated int64
	if !p.Updated.IsZero() {
		updated = millis(p.Updated)
	}
	if p.Kind == "" {
		p.Kind = KindNote
	}
	p.Revision = 1
	p.Sensitive = p.Sensitive || p.ContentWarning != ""
	_, err := tx.execFixed(ctx, `INSERT INTO posts (id, uri, author_id, local, kind, headline, link_url, source, content,
		url, visibility, in_reply_to, subwiki_id, parent_id, root_id, published, updated, created_at,
		content_warning, sensitive, search_text, link_description)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.URI, p.AuthorID, p.Local, p.Kind, p.Headline, p.LinkURL, p.Source, p.Content, p.URL, p.Visibility,
		p.InReplyTo, nullable(p.SubwikiID), nullable(p.ParentID), nullable(p.RootID),
		millis(p.Published), updated, millis(tx.now), p.ContentWarning, p.Sensitive, plainText(p.Content), p.LinkDescription)
	if err != nil {
		return fmt.Errorf("insert post %s: %w", p.URI, err)
	}
	if p.Local {
		if err := tx.addPostTags(ctx, p.ID, localHashtags(p)); err != nil {
			return err
		}
	}
	if p.Headline != "" {
		_, err = tx.execFixed(ctx, `INSERT INTO headline_revisions (post_id, number, headline, editor_id, created_at)
			VALUES (?, 1, ?, ?, ?)`, p.ID, p.Headline, p.AuthorID, millis(p.Published))
		if err != nil {
			return fmt.Errorf("first headline revision of %s: %w", p.URI, err)
		}
	}
	// A thread counts the comments everyone may see, as Mastodon counts
	// replies: the count is shown to all.
	if p.RootID != "" && Listed(p.Visibility) {
		_, err = tx.execFixed(ctx, `UPDATE posts SET comment_count = comment_count + 1 WHERE id = ?`, p.RootID)
	}
	tx.changed(Change{Kind: ChangePostCreated, PostID: p.ID})
	return err
}

// nullable stores "" as NULL, for optional references.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// DeletePost deletes the member's own post and tells their followers.
// The files of its uploaded images stay; DeletePostUploads names them.
func (db *DB) DeletePost(ctx context.Context, memberID, postID string) error {
	_, err := db.DeletePostUploads(ctx, memberID, postID)
	return err
}

// DeletePostUploads deletes the member's own post, tells their
// followers, and returns the addresses (UploadURLs) of the images
// uploaded with it, whose files the caller removes.
func (db *DB) DeletePostUploads(ctx context.Context, memberID, postID string) (uploads []string, err error) {
	err = db.write(ctx, func(tx *Tx) error {
		p, err := tx.postWhere(ctx, "p.id = ?", postID)
		if err != nil {
			return err
		}
		if p.AuthorID != memberID {
			return Errorf(EForbidden, "You can only delete your own posts.")
		}
		if uploads, err = tx.uploadsOf(ctx, p.ID); err != nil {
			return err
		}
		if err := tx.deletePost(ctx, p); err != nil {
			return err
		}
		eventID, err := tx.enqueueID(ctx, EventDeletePost, "", memberID, OutboxPayload{ObjectURI: p.URI,
			SubwikiID: p.SubwikiID, TargetActorID: tx.parentAuthor(ctx, p)})
		if err != nil {
			return err
		}
		if err := tx.groupAnnounce(ctx, p, OutboxPayload{InnerEventID: eventID}); err != nil {
			return err
		}
		return tx.groupAnnounce(ctx, p, OutboxPayload{ObjectURI: p.URI, UndoBoost: true})
	})
	if err != nil {
		return nil, err
	}
	return uploads, nil
}

// parentAuthor is the author of the post a comment replies to, or "".
func (tx *Tx) parentAuthor(ctx context.Context, p *Post) string {
	if p.ParentID == "" {
		return ""
	}
	var author string
	tx.QueryRowContext(ctx, `SELECT author_id FROM posts WHERE id = ?`, p.ParentID).Scan(&author)
	return author
}

// deletePost removes a post and leaves a tombstone for its id. Comments
// on it stay, so a thread keeps its shape; the thread's count drops.
func (tx *Tx) deletePost(ctx context.Context, p *Post) error {
	if err := tx.postDeleted(ctx, p); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM posts WHERE id = ?`, p.ID); err != nil {
		return fmt.Errorf("delete post %s: %w", p.URI, err)
	}
	if p.RootID != "" && Listed(p.Visibility) {
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET comment_count = max(0, comment_count - 1) WHERE id = ?`, p.RootID); err != nil {
			return fmt.Errorf("recount comments: %w", err)
		}
	}
	return tx.tombstone(ctx, p.URI)
}

func (tx *Tx) tombstone(ctx context.Context, uri string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO tombstones (uri, deleted_at) VALUES (?, ?) ON CONFLICT DO NOTHING`, uri, millis(tx.now))
	if err != nil {
		return fmt.Errorf("tombstone %s: %w", uri, err)
	}
	return nil
}

func (tx *Tx) isTombstoned(ctx context.Context, uri string) (bool, error) {
	var n int
	if err := tx.queryRowFixed(ctx, `SELECT count(*) FROM tombstones WHERE uri = ?`, uri).Scan(&n); err != nil {
		return false, fmt.Errorf("check tombstone: %w", err)
	}
	return n > 0, nil
}

// sameHost reports whether two URLs are on the same server.
func sameHost(a, b string) bool {
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	return errA == nil && errB == nil && ua.Host != "" && strings.EqualFold(ua.Host, ub.Host)
}
