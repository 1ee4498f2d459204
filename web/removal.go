package web

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// removePost lets a moderator of the post's subwiki, or an admin, remove
// a post or comment with a reason; the post's page then shows why. A
// comment's form goes back to the thread (next).
func (s *Server) removePost(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if err := s.db.RemovePost(r.Context(), currentMember(r).ID, id, r.PostForm.Get("reason")); err != nil {
		s.fail(w, r, err)
		return
	}
	next := "/posts/" + id
	if r.PostForm.Get("next") != "" {
		next = localPath(r.PostForm.Get("next"))
	}
	s.redirect(w, r, next, "Removed: its page now shows your reason, and the log records it.")
}

// removedPage is the data of the page a removed post leaves.
type removedPage struct {
	Removal *storage.Removal
	Subwiki *storage.Subwiki // where it was, when a subwiki here
}

// showRemoval answers for a post that is not found: if the moderators
// removed it, and it was for everyone, its page says so and why, with
// 410 Gone. It reports whether it answered.
func (s *Server) showRemoval(w http.ResponseWriter, r *http.Request) bool {
	rm, err := s.db.Removal(r.Context(), mux.Vars(r)["id"])
	if err != nil || !rm.Listed {
		// A private post's removal is nobody else's business: it is
		// simply not here.
		return false
	}
	page := removedPage{Removal: rm}
	if rm.SubwikiID != "" {
		if sub, err := s.db.SubwikiByID(r.Context(), rm.SubwikiID); err == nil {
			page.Subwiki = sub
		}
	}
	s.render(w, r, http.StatusGone, "removed", "Removed by the moderators", page)
	return true
}

// canRemove reports whether the viewer may remove the post and the
// comments in its thread, for showing the forms.
func (s *Server) canRemove(r *http.Request, p *storage.Post) (bool, error) {
	me := currentMember(r)
	if me == nil {
		return false, nil
	}
	return s.db.MayRemove(r.Context(), me.ID, p.ID)
}

// CanRemove reports whether the viewer may remove the post or comment:
// whoever may remove a thread's post may remove its comments, which are
// in the same subwiki.
func (t threadItem) CanRemove() bool { return t.page != nil && t.page.CanRemove }
