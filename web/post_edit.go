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
	p, err := s.db.PostWithAuthor(r.Context(), mux.Vars(r)["id"])
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
		p, perr := s.db.PostWithAuthor(ctx, mux.Vars(r)["id"])
		if perr != nil {
			s.failPost(w, r, perr)
			return
		}
		s.render(w, r, status, "post_edit", editTitle(p), editPage{Post: p, Text: text, Error: msg})
		return
	}
	s.redirect(w, r, postPath(p), "Your changes are saved.")
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

// historyPage is the data of a post's headline history.
type historyPage struct {
	Post      *storage.Post
	Revisions []*storage.Revision
}

// headlineHistory lists every headline a post has had, with who changed
// it, when and why.
func (s *Server) headlineHistory(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := s.publicPost(ctx, mux.Vars(r)["id"])
	if err != nil {
		s.failPost(w, r, err)
		return
	}
	revisions, err := s.db.HeadlineHistory(ctx, p.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "history", "Headline history", historyPage{Post: p, Revisions: revisions})
}
