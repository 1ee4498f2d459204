package web

import (
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// flagQueuePage is a moderation queue: a subwiki's, or the instance's
// when Subwiki is nil.
type flagQueuePage struct {
	Subwiki *storage.Subwiki
	Items   []*storage.FlaggedItem
	Action  string // where Dismiss posts to
}

// subwikiFlags shows a subwiki's queue to its moderators and the admins.
func (s *Server) subwikiFlags(w http.ResponseWriter, r *http.Request) {
	sub, _, err := s.subwikiNamed(r)
	if err != nil {
		s.failSubwiki(w, r, err)
		return
	}
	s.showFlagQueue(w, r, sub, "Flags in s/"+sub.Name)
}

// instanceFlags shows the instance's queue to the admins.
func (s *Server) instanceFlags(w http.ResponseWriter, r *http.Request) {
	s.showFlagQueue(w, r, nil, "Flags for the instance")
}

func (s *Server) showFlagQueue(w http.ResponseWriter, r *http.Request, sub *storage.Subwiki, title string) {
	page := flagQueuePage{Subwiki: sub, Action: "/admin/flags/dismiss"}
	queue := ""
	if sub != nil {
		queue, page.Action = sub.ID, "/s/"+sub.Name+"/flags/dismiss"
	}
	items, err := s.db.FlagQueue(r.Context(), currentMember(r).ID, queue)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page.Items = items
	s.render(w, r, http.StatusOK, "flags_queue", title, page)
}

// dismissSubwikiFlags dismisses the open flags about an item in a
// subwiki's queue.
func (s *Server) dismissSubwikiFlags(w http.ResponseWriter, r *http.Request) {
	sub, _, err := s.subwikiNamed(r)
	if err != nil {
		s.failSubwiki(w, r, err)
		return
	}
	s.dismissFlags(w, r, sub.ID, "/s/"+sub.Name+"/flags")
}

// dismissInstanceFlags dismisses the open flags about an item in the
// instance's queue.
func (s *Server) dismissInstanceFlags(w http.ResponseWriter, r *http.Request) {
	s.dismissFlags(w, r, "", "/admin/flags")
}

func (s *Server) dismissFlags(w http.ResponseWriter, r *http.Request, queue, back string) {
	item := r.PostForm.Get("item")
	if item == "" {
		s.renderError(w, r, http.StatusBadRequest, "Say which item's flags to dismiss.")
		return
	}
	if err := s.db.DismissFlags(r.Context(), currentMember(r).ID, queue, item); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, back, "Flags dismissed; the moderation log records it.")
}
