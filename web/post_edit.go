package web

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// editPage is the data of the form that edits a post's commentary or
// body, or a comment.
type editPage struct {
	Post  *storage.Post
	Text  string
	Error string
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
	s.render(w, r, http.StatusOK, "post_edit", editTitle(p), editPage{Post: p, Text: p.Source})
}

// editText saves the new text; headlines change by correction instead.
func (s *Server) editText(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	text := r.PostForm.Get("text")
	p, err := s.db.EditText(ctx, currentMember(r).ID, mux.Vars(r)["id"], text, s.resolveMentions(ctx, text))
	if err != nil {
		status, msg := s.failure(r, err)
		p, perr := s.visiblePost(r, mux.Vars(r)["id"])
		if perr != nil {
			s.failPost(w, r, perr)
			return
		}
		s.render(w, r, status, "post_edit", editTitle(p), editPage{Post: p, Text: text, Error: msg})
		return
	}
	place, err := s.placeOf(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, place, "Your changes are saved.")
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
