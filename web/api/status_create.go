package api

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/tidings-social/tidings/federation"
	"github.com/tidings-social/tidings/storage"
)

// Limits on resolving the handles a status mentions, as the compose
// page has: each unknown remote handle costs a WebFinger and an actor
// fetch while the app waits.
const (
	maxStatusMentions    = 20
	statusMentionTimeout = 10 * time.Second
)

// createStatus publishes a status (POST /api/v1/statuses) with the
// storage operations the compose page and comments use: a reply is a
// comment, a status with a link a news post headlined as the linked
// page is, any other a discussion headlined with its first line; one
// that mentions a subwiki here is posted into it. An Idempotency-Key
// sent again within the hour answers the status it made.
func (a *API) createStatus(w http.ResponseWriter, r *http.Request, c *caller) {
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	key := r.Header.Get("Idempotency-Key")
	if key != "" {
		defer a.idempotency.lock(c.Member.ID + " " + key)()
		id, err := a.db.IdempotentPost(ctx, c.Member.ID, key)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if id != "" {
			a.answerStatus(w, r, c.Member.ID, id)
			return
		}
	}
	post, err := a.publishStatus(ctx, c.Member, p)
	if errors.Is(err, storage.ErrEmptyPost) {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: Text can't be blank")
		return
	}
	if err != nil {
		a.failPost(w, r, err)
		return
	}
	if key != "" {
		if err := a.db.RememberIdempotencyKey(ctx, c.Member.ID, key, post.ID); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	a.answerStatus(w, r, c.Member.ID, post.ID)
}

// answerStatus answers the Status of the post as the viewer sees it.
func (a *API) answerStatus(w http.ResponseWriter, r *http.Request, viewerID, postID string) {
	post, err := a.db.VisiblePost(r.Context(), viewerID, postID)
	if err != nil {
		a.failPost(w, r, err)
		return
	}
	s, err := a.status(r.Context(), viewerID, post)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

// unprocessable is a 422 with a reason, for parameters the API cannot
// take.
func unprocessable(msg string) error {
	return &requestError{http.StatusUnprocessableEntity, msg}
}

// publishStatus reads the parameters of a new status and publishes it.
func (a *API) publishStatus(ctx context.Context, me *storage.Member, p params) (*storage.Post, error) {
	if err := refuseUnsupported(p); err != nil {
		return nil, err
	}
	text := strings.TrimSpace(p.string("status"))
	warning := p.string("spoiler_text")
	if _, _, err := p.boolean("sensitive"); err != nil {
		return nil, err
	}
	parent := p.string("in_reply_to_id")
	action := ActionPost
	if parent != "" {
		action = ActionComment
	}
	// Counted whether or not it is then refused, as the compose page
	// counts, so that statuses sent at once cannot all pass first.
	if a.cfg.Allowance != nil {
		if err := a.cfg.Allowance(action, me.ID); err != nil {
			return nil, err
		}
	}
	visibility := p.string("visibility")
	if parent != "" {
		if err := a.replyMayBe(ctx, me.ID, parent, visibility); err != nil {
			return nil, err
		}
	}
	mentions := a.resolveMentions(ctx, text)
	media := nonEmpty(p.strings("media_ids"))
	if parent != "" {
		return a.db.Comment(ctx, storage.CommentCreate{AuthorID: me.ID, ParentID: parent, Text: text,
			Mentions: mentions, ContentWarning: warning, MediaIDs: media})
	}
	if visibility != "" && visibility != storage.Public {
		return nil, unprocessable("Posts here are public: visibility must be public.")
	}
	create := storage.PostCreate{AuthorID: me.ID, SubwikiID: a.subwikiMentioned(ctx, mentions), Text: text,
		Mentions: mentions, ContentWarning: warning, MediaIDs: media}
	link := firstLink(text)
	if link == "" {
		create.Kind, create.Headline = storage.KindDiscussion, firstLine(text)
		if create.Headline == "" && len(media) > 0 {
			create.Headline = a.imageHeadline(ctx, me.ID, media[0])
		}
		return a.db.Publish(ctx, create)
	}
	create.Kind, create.LinkURL = storage.KindNews, link
	create.Text = strings.TrimSpace(strings.Replace(text, link, "", 1))
	preview, err := a.linkPreview(ctx, link)
	if err == nil {
		create.LinkURL, create.LinkDescription, create.Headline = preview.URL, preview.Description, preview.Title
	}
	if create.Headline == "" {
		// A page that cannot be read, or has no title, is headlined by
		// the member, as on the compose page.
		create.Headline = firstLine(create.Text)
	}
	if create.Headline == "" && err != nil {
		return nil, previewRefusal(err)
	}
	if create.Headline == "" {
		return nil, unprocessable("The linked page has no title: write the headline before the link.")
	}
	return a.db.Publish(ctx, create)
}

// imageHeadline headlines a status of images without words: with the
// first line of the first image's description, or "Image" when it has
// none, since a discussion has a headline on the site and elsewhere.
func (a *API) imageHeadline(ctx context.Context, memberID, mediaID string) string {
	m, err := a.db.PendingMediaByID(ctx, memberID, mediaID)
	if err == nil {
		if line := firstLine(m.Image.Alt); line != "" {
			return line
		}
	}
	return "Image"
}

// linkPreview reads what the linked page says about itself, through
// the federation client as the compose page does.
func (a *API) linkPreview(ctx context.Context, link string) (*federation.LinkPreview, error) {
	if a.fed == nil {
		return nil, &federation.PreviewError{Reason: "links cannot be read here", Err: errors.New("no federator")}
	}
	return a.fed.FetchLinkPreview(ctx, link)
}

// replyMayBe refuses a reply asked to be private or direct in a thread
// for everyone: a comment is as public as its thread (storage.Comment),
// and a reply is never published wider than asked. Unlisted is taken
// as public.
func (a *API) replyMayBe(ctx context.Context, memberID, parentID, visibility string) error {
	if visibility != "private" && visibility != storage.Direct {
		return nil
	}
	parent, err := a.db.VisiblePost(ctx, memberID, parentID)
	if err != nil {
		return err
	}
	if storage.Listed(parent.Visibility) {
		return unprocessable("This thread is public, and so are its replies: visibility must be public.")
	}
	return nil
}

// refuseUnsupported refuses what a status here cannot carry: polls and
// scheduling.
func refuseUnsupported(p params) error {
	if p.has("poll[options][]") || p.has("poll[expires_in]") {
		return unprocessable("Polls are not supported here.")
	}
	if p.string("scheduled_at") != "" {
		return unprocessable("Scheduled statuses are not supported here.")
	}
	return nil
}

// previewRefusal says why the linked page could not be read.
func previewRefusal(err error) error {
	var failed *federation.PreviewError
	if errors.As(err, &failed) {
		return unprocessable("Could not read the linked page: " + failed.Reason + ".")
	}
	return unprocessable("Could not read the linked page.")
}

// resolveMentions finds the accounts the handles in a status name, as
// the compose page does: @name is a member or subwiki here, @name@host
// anyone. Handles that name nobody stay text.
func (a *API) resolveMentions(ctx context.Context, text string) []storage.Mention {
	if a.fed == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, statusMentionTimeout)
	defer cancel()
	var mentions []storage.Mention
	for _, handle := range storage.FindMentions(text) {
		if len(mentions) == maxStatusMentions {
			break
		}
		user, host, remote := strings.Cut(handle, "@")
		if !remote || strings.EqualFold(host, a.cfg.Domain) {
			host = a.cfg.Domain
		}
		actor, err := a.fed.ResolveHandle(ctx, user+"@"+host)
		if err != nil {
			continue
		}
		link := actor.URL
		if link == "" {
			link = actor.URI
		}
		mentions = append(mentions, storage.Mention{Handle: handle, URI: actor.URI, URL: link})
	}
	return mentions
}

// subwikiMentioned is the id of the first subwiki here the mentions
// name, "" for none: mentioning a subwiki posts into it.
func (a *API) subwikiMentioned(ctx context.Context, mentions []storage.Mention) string {
	for _, m := range mentions {
		if !a.db.Site.IsLocal(m.URI) {
			continue
		}
		if actor, err := a.db.ActorByURI(ctx, m.URI); err == nil && actor.Kind == storage.KindGroup {
			return actor.ID
		}
	}
	return ""
}

// linkPattern finds web links in a status's text.
var linkPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// firstLink is the first web link of the text, without the punctuation
// that ends a sentence after it; "" for none.
func firstLink(text string) string {
	return strings.TrimRight(linkPattern.FindString(text), ".,;:!?)'")
}

// leadingHandles are the mentions a line starts with, which are not part
// of a headline.
var leadingHandles = regexp.MustCompile(`^(\s*@[A-Za-z0-9_]+(@[A-Za-z0-9.:-]+)?)+\s*`)

// firstLine is the first line of the text with words in it, without the
// mentions it starts with, cut to a headline's length: a status without
// a link is a discussion headlined so, as a Mastodon note posted into a
// subwiki is.
func firstLine(text string) string {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(leadingHandles.ReplaceAllString(line, ""))
		if line == "" {
			continue
		}
		if runes := []rune(line); len(runes) > storage.MaxHeadlineLength {
			line = string(runes[:storage.MaxHeadlineLength-1]) + "…"
		}
		return line
	}
	return ""
}
