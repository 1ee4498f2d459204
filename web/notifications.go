package web

import (
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// notificationsShown is how many of the newest notifications the page
// lists.
const notificationsShown = 100

// notificationsPage is the data of the notifications page.
type notificationsPage struct {
	Notifications []*storage.Notification
	Threads       map[string]*storage.Post // the posts the notified comments are on, by id
}

// Link is where a notice of the post leads: a comment's place in its
// thread when the member may see the thread's post, else its own page.
func (n notificationsPage) Link(p *storage.Post) string {
	if p.RootID != "" && n.Threads[p.RootID] == nil {
		return ownPath(p)
	}
	return postPath(p)
}

// notifications lists who mentioned the member or replied to them, and
// marks it all read.
func (s *Server) notifications(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	list, err := s.db.Notifications(ctx, currentMember(r).ID, notificationsShown)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := notificationsPage{Notifications: list, Threads: map[string]*storage.Post{}}
	for _, n := range list {
		root := n.Post.RootID
		if _, seen := page.Threads[root]; root == "" || seen {
			continue
		}
		p, err := s.visiblePost(r, root)
		if err != nil && storage.ErrorCode(err) != storage.ENotFound {
			s.fail(w, r, err)
			return
		}
		page.Threads[root] = p // nil when the post is gone
	}
	s.render(w, r, http.StatusOK, "notifications", "Notifications", page)
}
