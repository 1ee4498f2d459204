package web

import (
	"errors"
	"net/http"

	"github.com/tidings-social/tidings/federation"
	"github.com/tidings-social/tidings/storage"
)

// previewLink fills the form in from what the linked page says about
// itself: its title becomes the headline, its description the card's.
// The commentary is the member's alone and is never filled in.
func (s *Server) previewLink(w http.ResponseWriter, r *http.Request, form *composeForm) {
	form.Kind = storage.KindNews
	if form.LinkURL == "" {
		form.Error = "Paste the link to the news first."
		s.renderCompose(w, r, http.StatusBadRequest, form)
		return
	}
	preview, err := s.fed.FetchLinkPreview(r.Context(), form.LinkURL)
	if err != nil {
		status, reason := s.previewFailure(r, err)
		form.LinkDescription = ""
		form.Error = "Could not read that page: " + reason + "."
		s.renderCompose(w, r, status, form)
		return
	}
	form.LinkURL = preview.URL
	if preview.Title != "" {
		form.Headline = preview.Title
	}
	form.LinkDescription = preview.Description
	site := preview.SiteName
	if site == "" {
		site = linkDomain(preview.URL)
	}
	form.Notice = "Filled in from " + site + ". Check the headline, add your commentary if you like, then publish."
	if preview.Title == "" {
		form.Notice = "The page at " + site + " has no title. Write the headline yourself."
	}
	s.renderCompose(w, r, http.StatusOK, form)
}

// previewFailure says why a link could not be read: 400 when the link
// itself is at fault, 502 when its site is.
func (s *Server) previewFailure(r *http.Request, err error) (int, string) {
	status, reason := http.StatusBadGateway, "the site could not be reached"
	var failed *federation.PreviewError
	if errors.As(err, &failed) {
		reason = failed.Reason
	} else {
		s.log.Warn("link preview", "id", requestID(r), "err", err)
	}
	for _, bad := range []error{federation.ErrInvalidURL, federation.ErrScheme, federation.ErrPrivateAddress, federation.ErrNotWebPage} {
		if errors.Is(err, bad) {
			status = http.StatusBadRequest
		}
	}
	return status, reason
}
