package storage

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits on what members publish.
const (
	MaxHeadlineLength = 200
	// MaxContentWarningLength bounds a content warning, one line as a
	// headline is.
	MaxContentWarningLength = 200
	maxBodyLength           = 20000
)

// PostCreate is a news post or a discussion a member publishes, on their
// profile or in a subwiki.
type PostCreate struct {
	AuthorID  string
	SubwikiID string // the Group actor (a subwiki here or a community elsewhere); "" for the profile
	Kind      string // KindNews or KindDiscussion
	Headline  string
	LinkURL   string    // news only
	Text      string    // Markdown: commentary of news (optional), body of a discussion (optional with images)
	Mentions  []Mention // the handles in Text, resolved by the caller
	// ContentWarning, when set, is shown in front of the post, which
	// stays collapsed until the reader opens it.
	ContentWarning string
	// Images are the images uploaded with it (UploadURL, type, size and
	// description), at most MaxAttachments.
	Images []Attachment
	// MediaIDs are images the author uploaded before through the client
	// API (SavePendingMedia), which the post takes after Images.
	MediaIDs []string
	// LinkDescription is the linked page's own description (news only),
	// as a link preview read it: at most MaxLinkDescriptionLength.
	LinkDescription string
}

// checkHeadline enforces what a headline must be: one line of at most
// MaxHeadlineLength characters.
func checkHeadline(headline string) (string, error) {
	headline = strings.Join(strings.Fields(headline), " ")
	switch {
	case headline == "":
		return "", Errorf(EInvalid, "Write a headline.")
	case utf8.RuneCountInString(headline) > MaxHeadlineLength:
		return "", Errorf(EInvalid, "A headline can be at most %d characters long.", MaxHeadlineLength)
	}
	return headline, checkText("headline", headline, MaxHeadlineLength, false)
}

// checkContentWarning enforces what a content warning must be: one line
// of at most MaxContentWarningLength characters, or nothing.
func checkContentWarning(warning string) (string, error) {
	warning = strings.Join(strings.Fields(warning), " ")
	if utf8.RuneCountInString(warning) > MaxContentWarningLength {
		return "", Errorf(EInvalid, "A content warning can be at most %d characters long.", MaxContentWarningLength)
	}
	return warning, checkText("content warning", warning, MaxContentWarningLength, false)
}

// ErrEmptyPost refuses a discussion or a comment that carries neither
// text nor an image. It is one value so that the client API can answer
// it in Mastodon's words.
var ErrEmptyPost = Errorf(EInvalid, "Write some text or add an image.")

// saysSomething is the rule of ErrEmptyPost: a discussion or comment
// carries text, or at least one image (uploaded with it or before).
func saysSomething(text string, images int) error {
	if text == "" && images == 0 {
		return ErrEmptyPost
	}
	return nil
}

func (c *PostCreate) check() error {
	c.Text = strings.TrimSpace(c.Text)
	if c.Kind == KindDiscussion {
		if err := saysSomething(c.Text, len(c.Images)+len(c.MediaIDs)); err != nil {
			return err
		}
	}
	var err error
	if c.Headline, err = checkHeadline(c.Headline); err != nil {
		return err
	}
	if c.ContentWarning, err = checkContentWarning(c.ContentWarning); err != nil {
		return err
	}
	c.LinkURL = strings.TrimSpace(c.LinkURL)
	switch c.Kind {
	case KindNews:
		if c.LinkURL == "" {
			return Errorf(EInvalid, "A news post needs the link to the news.")
		}
		if err := checkWebURL("link", c.LinkURL); err != nil {
			return err
		}
		if c.LinkDescription, err = checkLinkDescription(c.LinkDescription); err != nil {
			return err
		}
	case KindDiscussion:
		c.LinkURL, c.LinkDescription = "", ""
	default:
		return Errorf(EInvalid, "A post is news or a discussion, not %q.", c.Kind)
	}
	return checkText("text", c.Text, maxBodyLength, true)
}

// Publish publishes a news post or a discussion. In a members-only
// subwiki only its members may post. Followers of the author and of the
// subwiki hear of it; mentioned members are notified.
func (db *DB) Publish(ctx context.Context, c PostCreate) (*Post, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	images, err := db.Site.checkImages(c.Images)
	if err != nil {
		return nil, err
	}
	var p *Post
	err = db.write(ctx, func(tx *Tx) error {
		if err := tx.mayPublish(ctx, c.AuthorID, c.SubwikiID); err != nil {
			return err
		}
		id := tx.newID()
		p = &Post{ID: id, URI: tx.db.Site.PostURI(id), AuthorID: c.AuthorID, Local: true, Kind: c.Kind,
			Headline: c.Headline, LinkURL: c.LinkURL, Source: c.Text, Content: RenderPostMarkdown(c.Text, c.Mentions, tx.db.Site.TagBase()),
			Visibility: Public, SubwikiID: c.SubwikiID, ContentWarning: c.ContentWarning, LinkDescription: c.LinkDescription, Published: tx.now}
		p.URL = p.URI
		if err := tx.insertPost(ctx, p); err != nil {
			return err
		}
		if err := tx.attachImagesAndMedia(ctx, p, images, c.MediaIDs); err != nil {
			return err
		}
		return tx.announceLocal(ctx, p, c.Mentions)
	})
	return p, err
}

// mayPublish checks that the member may post, in the subwiki if one is
// named: it must be a group, and a members-only one needs membership.
func (tx *Tx) mayPublish(ctx context.Context, memberID, subwikiID string) error {
	m, err := tx.memberWhere(ctx, "id = ?", memberID)
	if err != nil {
		return err
	}
	if m.Status != MemberActive {
		return Errorf(EForbidden, "Your account cannot post yet.")
	}
	if s, err := tx.suspensionOf(ctx, memberID); err != nil || s != nil {
		if err != nil {
			return err
		}
		return Errorf(EForbidden, "Your account is suspended.")
	}
	if err := tx.mustNotBeLeaving(ctx, memberID); err != nil {
		return err
	}
	if subwikiID == "" {
		return nil
	}
	group, err := tx.actorWhere(ctx, "a.id = ?", subwikiID)
	if err != nil || group.Kind != KindGroup {
		return Errorf(ENotFound, "No such subwiki.")
	}
	if err := tx.mustNotBeBanned(ctx, memberID, subwikiID); err != nil {
		return err
	}
	if !group.Local || !group.ManuallyApprovesFollowers {
		return nil
	}
	f, err := tx.followWhere(ctx, "follower_id = ? AND followee_id = ? AND state = ?", memberID, subwikiID, FollowAccepted)
	if err != nil {
		return err
	}
	if f == nil {
		if mod, _ := tx.isModerator(ctx, memberID, subwikiID); !mod {
			return Errorf(EForbidden, "Only members of this subwiki can post in it. Ask to join first.")
		}
	}
	return nil
}

// announceLocal records what other servers and members must hear of a
// new local post or comment: the outbox event, the subwiki's Announce
// when the subwiki is ours, and notifications of mentioned members.
func (tx *Tx) announceLocal(ctx context.Context, p *Post, mentions []Mention) error {
	eventID, err := tx.enqueueID(ctx, EventCreatePost, p.ID, p.AuthorID, OutboxPayload{})
	if err != nil {
		return err
	}
	if err := tx.groupAnnounce(ctx, p, OutboxPayload{InnerEventID: eventID}); err != nil {
		return err
	}
	// Mastodon shows an Announce of the bare post as a boost; it does not
	// unwrap the Announce of the Create.
	if err := tx.groupAnnounce(ctx, p, OutboxPayload{ObjectURI: p.URI}); err != nil {
		return err
	}
	for _, m := range mentions {
		if !tx.db.Site.IsLocal(m.URI) {
			continue
		}
		if err := tx.notifyActorURI(ctx, m.URI, NotifyMention, p.AuthorID, p.ID); err != nil {
			return err
		}
	}
	return nil
}

// groupAnnounce makes the subwiki of this instance that a post is in
// announce an activity about the post to its followers (FEP-1b12); for a
// remote group, or none, it does nothing. Only a post for everyone
// (public or unlisted) is relayed, and so are only the activities about
// it: the Announce goes to all the subwiki's followers, addressed to the
// public, so a followers-only or direct post, its edits, likes and
// deletion stay with those they were for (Lemmy refuses such posts in a
// community, too).
func (tx *Tx) groupAnnounce(ctx context.Context, p *Post, payload OutboxPayload) error {
	if p.SubwikiID == "" || !Listed(p.Visibility) {
		return nil
	}
	var local bool
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM subwikis WHERE id = ?`, p.SubwikiID).Scan(&local); err != nil {
		return fmt.Errorf("find subwiki %s: %w", p.SubwikiID, err)
	}
	if !local {
		return nil
	}
	return tx.enqueue(ctx, EventGroupAnnounce, "", p.SubwikiID, payload)
}

// CommentCreate is a member's reply to a post or a comment.
type CommentCreate struct {
	AuthorID string
	ParentID string // the post or comment replied to
	Text     string // Markdown; optional with images
	Mentions []Mention
	// ContentWarning, when set, is shown in front of the comment, which
	// stays collapsed until the reader opens it.
	ContentWarning string
	// Images are the images uploaded with it, as PostCreate.Images.
	Images []Attachment
	// MediaIDs are images uploaded before, as PostCreate.MediaIDs.
	MediaIDs []string
}

// Comment publishes a reply in a post's thread. The parent's author is
// notified; the thread's subwiki announces it. A reply to a post not for
// everyone (followers-only or direct) is direct: it is for the parent's
// author, those the parent was for here, and those it mentions, so that
// answering a private post never makes the conversation public.
func (db *DB) Comment(ctx context.Context, c CommentCreate) (*Post, error) {
	c.Text = strings.TrimSpace(c.Text)
	if err := saysSomething(c.Text, len(c.Images)+len(c.MediaIDs)); err != nil {
		return nil, err
	}
	if err := checkText("comment", c.Text, maxBodyLength, true); err != nil {
		return nil, err
	}
	var err error
	if c.ContentWarning, err = checkContentWarning(c.ContentWarning); err != nil {
		return nil, err
	}
	images, err := db.Site.checkImages(c.Images)
	if err != nil {
		return nil, err
	}
	var p *Post
	err = db.write(ctx, func(tx *Tx) error {
		parent, err := tx.postWhere(ctx, "p.id = ?", c.ParentID)
		if err != nil {
			return err
		}
		if err := tx.mustSee(ctx, c.AuthorID, parent.ID); err != nil {
			return err
		}
		rootID := parent.RootID
		if rootID == "" {
			rootID = parent.ID
		}
		if err := tx.mayPublish(ctx, c.AuthorID, parent.SubwikiID); err != nil {
			return err
		}
		visibility := Public
		if !Listed(parent.Visibility) {
			visibility = Direct
		}
		id := tx.newID()
		p = &Post{ID: id, URI: tx.db.Site.PostURI(id), AuthorID: c.AuthorID, Local: true, Kind: KindComment,
			Source: c.Text, Content: RenderPostMarkdown(c.Text, c.Mentions, tx.db.Site.TagBase()), Visibility: visibility,
			InReplyTo: parent.URI, SubwikiID: parent.SubwikiID, ParentID: parent.ID, RootID: rootID,
			ContentWarning: c.ContentWarning, Published: tx.now}
		p.URL = p.URI
		if err := tx.insertPost(ctx, p); err != nil {
			return err
		}
		if err := tx.attachImagesAndMedia(ctx, p, images, c.MediaIDs); err != nil {
			return err
		}
		if err := tx.addRecipients(ctx, p.ID, mentionURIs(c.Mentions)); err != nil {
			return err
		}
		if visibility == Direct {
			if err := tx.inheritRecipients(ctx, p.ID, parent); err != nil {
				return err
			}
		}
		if parent.AuthorID != c.AuthorID {
			if err := tx.notifyActorID(ctx, parent.AuthorID, NotifyReply, c.AuthorID, p.ID); err != nil {
				return err
			}
		}
		return tx.announceLocal(ctx, p, c.Mentions)
	})
	return p, err
}
