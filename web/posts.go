package web

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

const feedPageSize = 30

// createPost publishes what the member wrote and goes back where the
// form was.
func (s *Server) createPost(w http.ResponseWriter, r *http.Request) {
	me := currentMember(r)
	if _, err := s.db.CreatePost(r.Context(), me.ID, r.PostForm.Get("text")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, localPath(r.PostForm.Get("next")), "Posted.")
}

// deletePost deletes one of the member's posts.
func (s *Server) deletePost(w http.ResponseWriter, r *http.Request) {
	me := currentMember(r)
	if err := s.db.DeletePost(r.Context(), me.ID, mux.Vars(r)["id"]); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/@"+me.Username, "The post is deleted.")
}

// postPage is the data of a single post's page.
type postPage struct {
	Post *storage.Post
}

// post shows a local post to browsers; ActivityPub clients get the Note
// from federation at the same address.
func (s *Server) post(w http.ResponseWriter, r *http.Request) {
	p, err := s.db.PostByID(r.Context(), mux.Vars(r)["id"])
	if err != nil || !p.Local || p.Visibility == storage.Direct || p.Visibility == storage.Followers {
		s.renderError(w, r, http.StatusNotFound, "There is no such post here.")
		return
	}
	if p.Author, err = s.db.ActorByID(r.Context(), p.AuthorID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "post", "Post by "+p.Author.DisplayName, postPage{Post: p})
}
