package web

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// composeForm is the form members post news and discussions with: one
// partial on the home page, on their profile, on a subwiki's page and
// on the compose page.
type composeForm struct {
	Kind     string // storage.KindNews or storage.KindDiscussion
	LinkURL  string
	Headline string
	Text     string // commentary of news, body of a discussion
	// ContentWarning is what the post is shown collapsed behind; "" for
	// none.
	ContentWarning string
	// Alts are the descriptions typed in the image slots, kept when
	// the form comes back (the files must be chosen again).
	Alts      []string
	SubwikiID string // the Group actor posted into; "" for the profile
	Choices   []subwikiChoice
	Fixed     *storage.Actor // the subwiki the form always posts into, on its page
	Notice    string
	Error     string
	// LinkDescription is what the linked page says about itself, read
	// by "Fill in from link" and carried to Publish in a hidden field;
	// shown as the publisher's, apart from the commentary.
	LinkDescription string
	// Folded keeps the form closed behind "Write a post" on pages whose
	// news come first (home, profile, subwiki), so that on a phone the
	// first headline is on the first screen.
	Folded bool
}

// subwikiChoice is one place the member may post into.
type subwikiChoice struct {
	ID       string
	Label    string
	Selected bool
}

// composePage is the data of the compose page.
type composePage struct {
	Compose *composeForm
}

// composeFormFrom reads the compose form of a request.
func composeFormFrom(form url.Values) *composeForm {
	c := &composeForm{
		Kind:           form.Get("kind"),
		LinkURL:        strings.TrimSpace(form.Get("link")),
		Headline:       form.Get("headline"),
		Text:           form.Get("text"),
		SubwikiID:      form.Get("subwiki"),
		ContentWarning: form.Get("content_warning"),
	}
	if c.Kind != storage.KindDiscussion {
		c.Kind = storage.KindNews
	}
	// A description read from another link than the one sent is not
	// this link's: the member changed the link after filling in.
	if form.Get("described_link") == c.LinkURL {
		c.LinkDescription = form.Get("link_description")
	}
	return c
}

// composeNew shows an empty compose form; ?link= and ?subwiki= (a group
// id) or ?in= (the name of a subwiki here) fill it in, for bookmarklets
// and links from elsewhere on the site. Without a place it posts where
// the member posted last.
func (s *Server) composeNew(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	form := composeFormFrom(q)
	form.LinkDescription = ""
	if err := s.placeComposeForm(r.Context(), currentMember(r), form, q.Get("in")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderCompose(w, r, http.StatusOK, form)
}

// compose publishes the form, or with action=preview fills in the
// headline and commentary from the linked page and shows it again.
func (s *Server) compose(w http.ResponseWriter, r *http.Request) {
	form := composeFormFrom(r.PostForm)
	form.Alts = altsFrom(r)
	me := currentMember(r)
	preview := r.PostForm.Get("action") == "preview"
	// A preview fetches the linked page from its server; publishing
	// counts as a post whether or not it is refused, so that posts sent
	// at once cannot all pass before any is counted.
	limit := s.limits.posts
	if preview {
		limit = s.limits.remoteLookups
	}
	if err := s.allow(w, limit, me.ID); err != nil {
		status, msg := s.failure(r, err)
		form.Error = msg
		s.renderCompose(w, r, status, form)
		return
	}
	if preview {
		s.previewLink(w, r, form)
		return
	}
	ctx := r.Context()
	images, err := s.storePostImages(r)
	if err != nil {
		s.refuseCompose(w, r, form, err)
		return
	}
	p, err := s.db.Publish(ctx, storage.PostCreate{
		AuthorID: me.ID, SubwikiID: form.SubwikiID, Kind: form.Kind,
		Headline: form.Headline, LinkURL: form.LinkURL, Text: form.Text,
		ContentWarning: form.ContentWarning, Mentions: s.fed.ResolveMentions(ctx, form.Text),
		Images: images, LinkDescription: form.LinkDescription,
	})
	if err != nil {
		s.removePostImages(images)
		s.refuseCompose(w, r, form, err)
		return
	}
	s.redirect(w, r, "/posts/"+p.ID, "Published.")
}

// refuseCompose shows the compose form again with what was typed in it
// and why it was refused: a refused image with its own status.
func (s *Server) refuseCompose(w http.ResponseWriter, r *http.Request, form *composeForm, err error) {
	status, msg := s.uploadFailure(r, err)
	form.Error = msg
	s.renderCompose(w, r, status, form)
}

// renderCompose shows the compose page with the form.
func (s *Server) renderCompose(w http.ResponseWriter, r *http.Request, status int, form *composeForm) {
	if err := s.offerSubwikis(r.Context(), currentMember(r).ID, form); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "compose", "Post news or a discussion", composePage{Compose: form})
}

// newComposeForm is an empty form for the member, folded away, posting
// into the subwiki fixed (or, when it is nil, wherever the member
// chooses, first where they posted last).
func (s *Server) newComposeForm(ctx context.Context, me *storage.Member, fixed *storage.Actor) (*composeForm, error) {
	form := &composeForm{Kind: storage.KindNews, Fixed: fixed, Folded: true}
	if fixed != nil {
		form.SubwikiID = fixed.ID
		return form, nil
	}
	if err := s.placeComposeForm(ctx, me, form, ""); err != nil {
		return nil, err
	}
	return form, s.offerSubwikis(ctx, me.ID, form)
}

// offerSubwikis lists where the member may post: their profile and the
// subwikis they joined, here and elsewhere, alphabetically; and the one
// the form names, should they not have joined it.
func (s *Server) offerSubwikis(ctx context.Context, memberID string, form *composeForm) error {
	following, err := s.db.Following(ctx, memberID, "", 1000)
	if err != nil {
		return err
	}
	var groups []subwikiChoice
	named := form.SubwikiID == ""
	for _, a := range following.Actors {
		if a.Kind == storage.KindGroup {
			groups = append(groups, subwikiChoice{ID: a.ID, Label: groupLabel(a), Selected: a.ID == form.SubwikiID})
			named = named || a.ID == form.SubwikiID
		}
	}
	if !named {
		if g, err := s.db.ActorByID(ctx, form.SubwikiID); err == nil && g.Kind == storage.KindGroup {
			groups = append(groups, subwikiChoice{ID: g.ID, Label: groupLabel(g), Selected: true})
		}
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i].Label < groups[j].Label })
	form.Choices = append([]subwikiChoice{{Label: "My profile", Selected: form.SubwikiID == ""}}, groups...)
	return nil
}
