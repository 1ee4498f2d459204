package web

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// editPage is the data of the form that edits a post's commentary or
// body, or a comment.
type editPage struct {
	Post           *storage.Post
	Text           string
	ContentWarning string
	Error          string
	Back           string // where Cancel leads: the post's place
}

// editForm shows the member's own post or comment for editing.
func (s *Server) editForm(w http.ResponseWriter, r *http.Request) {
	p, err := s.visiblePost(r, mux.Vars(r)["id"])
	if err != nil {
		s.failPost(w, r, err)
		return
	}
	if p.AuthorID != currentMember(r).ID || !p.Local {
		s.renderError(w, r, http.StatusForbidden, "You can only edit what you wrote.")
		return
	}
	s.renderEdit(w, r, http.StatusOK, editPage{Post: p, Text: p.Source, ContentWarning: p.ContentWarning})
}

// editText saves the new text and content warning; headlines change by
// correction instead.
func (s *Server) editText(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	text, warning := r.PostForm.Get("text"), r.PostForm.Get("content_warning")
	p, err := s.db.EditPost(ctx, storage.PostEdit{MemberID: currentMember(r).ID, PostID: mux.Vars(r)["id"],
		Text: text, ContentWarning: warning, Mentions: s.fed.ResolveMentions(ctx, text)})
	if err != nil {
		status, msg := s.failure(r, err)
		p, perr := s.visiblePost(r, mux.Vars(r)["id"])
		if perr != nil {
			s.failPost(w, r, perr)
			return
		}
		s.renderEdit(w, r, status, editPage{Post: p, Text: text, ContentWarning: warning, Error: msg})
		return
	}
	place, err := s.placeOf(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, place, "Your changes are saved.")
}

// renderEdit shows the edit form, whose Cancel leads back to the post.
func (s *Server) renderEdit(w http.ResponseWriter, r *http.Request, status int, page editPage) {
	var err error
	if page.Back, err = s.placeOf(r, page.Post); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "post_edit", editTitle(page.Post), page)
}

// editTitle names what the edit form changes.
func editTitle(p *storage.Post) string {
	switch p.Kind {
	case storage.KindNews:
		return "Edit commentary"
	case storage.KindComment:
		return "Edit comment"
	}
	return "Edit text"
}
