package api

import (
	"net/http"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// recordNotFound is Mastodon's text for what is not there or not the
// caller's to see: apps cannot tell the two apart, and must not.
const recordNotFound = "Record not found"

// showStatus answers one status the caller may see (GET
// /api/v1/statuses/:id); a public one to anyone, without a token too.
// A boost entry's id answers its reblog status.
func (a *API) showStatus(w http.ResponseWriter, r *http.Request, c *caller) {
	if entry, err := a.db.BoostEntry(r.Context(), viewerOf(c), postID(r)); err == nil {
		a.answerBoostEntry(w, r, viewerOf(c), entry)
		return
	}
	a.answerStatus(w, r, viewerOf(c), postID(r))
}

// visiblePost is the post of the path if the caller may see it; a
// post they may not see answers 404 as one that does not exist.
func (a *API) visiblePost(w http.ResponseWriter, r *http.Request, c *caller) (*storage.Post, bool) {
	p, err := a.db.VisiblePost(r.Context(), viewerOf(c), postID(r))
	if err != nil {
		a.failPost(w, r, err)
		return nil, false
	}
	return p, true
}

// failPost is fail for the operations on a post, which answer a post
// that is not there, or not the caller's to see, with Mastodon's text.
func (a *API) failPost(w http.ResponseWriter, r *http.Request, err error) {
	if storage.ErrorCode(err) == storage.ENotFound {
		writeError(w, http.StatusNotFound, recordNotFound)
		return
	}
	a.fail(w, r, err)
}

// statusSourceEntity is Mastodon's StatusSource: what its author wrote.
type statusSourceEntity struct {
	ID          string `json:"id"`
	Text        string `json:"text"`
	SpoilerText string `json:"spoiler_text"`
}

// statusSource answers what the author wrote (GET .../source): the
// Markdown of a post here, the commentary of a news post.
func (a *API) statusSource(w http.ResponseWriter, r *http.Request, c *caller) {
	p, ok := a.visiblePost(w, r, c)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, statusSourceEntity{ID: p.ID, Text: p.Source, SpoilerText: p.ContentWarning})
}

// deleteStatus deletes the member's own status (DELETE
// /api/v1/statuses/:id) as the site does, and answers it with its text,
// so that an app can offer to write it again (redraftText).
func (a *API) deleteStatus(w http.ResponseWriter, r *http.Request, c *caller) {
	if entry, err := a.db.BoostEntry(r.Context(), c.Member.ID, postID(r)); err == nil && entry.Boost.Booster.ID == c.Member.ID {
		// Deleting one's reblog takes the boost back, as on Mastodon.
		if err := a.db.UnboostPost(r.Context(), c.Member.ID, entry.ID); err != nil {
			a.fail(w, r, err)
			return
		}
		a.answerBoostEntry(w, r, c.Member.ID, entry)
		return
	}
	p, ok := a.visiblePost(w, r, c)
	if !ok {
		return
	}
	s, err := a.status(r.Context(), c.Member.ID, p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	uploads, err := a.db.DeletePostUploads(r.Context(), c.Member.ID, p.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if a.cfg.PostImages != nil {
		for _, url := range uploads {
			a.cfg.PostImages.RemovePostImage(url)
		}
	}
	text := redraftText(p)
	s.Text = &text
	writeJSON(w, http.StatusOK, s)
}

// redraftText is what an app offers to post again after a deletion
// ("delete and redraft"): what the author wrote, and a news post's link
// after it, so that posting it again makes the news post again.
func redraftText(p *storage.Post) string {
	if p.Kind != storage.KindNews || p.LinkURL == "" {
		return p.Source
	}
	if p.Source == "" {
		return p.LinkURL
	}
	return p.Source + "\n\n" + p.LinkURL
}

// editStatus changes the text and content warning of the member's own
// status (PUT /api/v1/statuses/:id) with the operation of the site's
// edit page; a headline changes by correction, never here.
func (a *API) editStatus(w http.ResponseWriter, r *http.Request, c *caller) {
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := refuseUnsupported(p); err != nil {
		a.fail(w, r, err)
		return
	}
	if err := refuseNewMedia(p, postID(r)); err != nil {
		a.fail(w, r, err)
		return
	}
	if _, _, err := p.boolean("sensitive"); err != nil {
		a.fail(w, r, err)
		return
	}
	if _, ok := a.visiblePost(w, r, c); !ok {
		return
	}
	text := p.string("status")
	_, err = a.db.EditPost(r.Context(), storage.PostEdit{MemberID: c.Member.ID, PostID: postID(r), Text: text,
		Mentions: a.resolveMentions(r.Context(), text), ContentWarning: p.string("spoiler_text")})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.answerStatus(w, r, c.Member.ID, postID(r))
}

// refuseNewMedia refuses media an edit would add: the images of a post
// stay as it was published. The ids of its own images (as the app
// sends them back) are taken as they are.
func refuseNewMedia(p params, postID string) error {
	for _, id := range nonEmpty(p.strings("media_ids")) {
		if !strings.HasPrefix(id, postID+"-") {
			return unprocessable("The images of a status cannot be changed here.")
		}
	}
	return nil
}
