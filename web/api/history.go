package api

import (
	"net/http"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// statusEdit is Mastodon's StatusEdit: one version of a status.
type statusEdit struct {
	Content          string            `json:"content"`
	SpoilerText      string            `json:"spoiler_text"`
	Sensitive        bool              `json:"sensitive"`
	CreatedAt        string            `json:"created_at"`
	Account          account           `json:"account"`
	Poll             *struct{}         `json:"poll"`
	MediaAttachments []mediaAttachment `json:"media_attachments"`
	Emojis           []struct{}        `json:"emojis"`
}

// statusHistory answers the versions of a status (GET .../history),
// oldest first: each headline revision of a news post or discussion is
// a version, headlined as it was then and dated as the revision dated
// the post, and a change of the text after the last revision is one
// more. The site keeps no earlier texts, so
// every version shows the text as it is now.
func (a *API) statusHistory(w http.ResponseWriter, r *http.Request, c *caller) {
	p, ok := a.visiblePost(w, r, c)
	if !ok {
		return
	}
	ctx := r.Context()
	revisions, err := a.db.HeadlineHistory(ctx, p.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	author, err := a.accountEntity(ctx, p.Author)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.statusEdits(p, revisions, author))
}

// statusEdits makes the versions of a post from its headline
// revisions (first first).
func (a *API) statusEdits(p *storage.Post, revisions []*storage.Revision, author account) []statusEdit {
	version := func(headline string, at string) statusEdit {
		shown := *p
		shown.Headline = headline
		return statusEdit{Content: statusContent(&shown), SpoilerText: p.ContentWarning,
			Sensitive: p.Sensitive || p.ContentWarning != "", CreatedAt: at, Account: author,
			MediaAttachments: a.mediaAttachments(p), Emojis: []struct{}{}}
	}
	out := []statusEdit{}
	var revised time.Time // the updated time the revisions gave the post
	for i, rev := range revisions {
		at := p.Published
		if i > 0 {
			revised = storage.EditTime(p.Published, revised, rev.CreatedAt)
			at = revised
		}
		out = append(out, version(rev.Headline, apiTime(at)))
	}
	if len(out) == 0 {
		out = append(out, version(p.Headline, apiTime(p.Published)))
	}
	if !p.Updated.IsZero() && p.Updated.After(revised) {
		// Updated later than the revisions made it: the text was edited.
		out = append(out, version(p.Headline, apiTime(p.Updated)))
	}
	return out
}
