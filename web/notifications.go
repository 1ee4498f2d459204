package web

import (
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// notificationsPage is the data of the notifications page.
type notificationsPage struct {
	Groups  []noticeGroup
	Newest  string                   // the newest notice listed, up to which "mark all read" marks
	Next    string                   // the cursor of the older page, "" on the last
	Threads map[string]*storage.Post // the posts the notified comments are on, by id
}

// Link is where a notice of the post leads: a comment's place in its
// thread when the member may see the thread's post, else its own page.
func (n notificationsPage) Link(p *storage.Post) string {
	if p.RootID != "" && n.Threads[p.RootID] == nil {
		return ownPath(p)
	}
	return postPath(p)
}

// noticeGroup is a group of notices as the page words it: the first few
// who did it by name, and how many others.
type noticeGroup struct {
	*storage.NotificationGroup
	Named  []namedActor
	Others int
}

// namedActor is an account a notice names, with the words before it.
type namedActor struct {
	Before string // "", ", " or " and "
	Actor  *storage.Actor
}

// namedShown is how many of a group's actors the page names before it
// says "and N others".
const namedShown = 2

// namedAndOthers splits the n actors of a group into those named and
// those counted: three are named ("@a, @b and @c"), four are two and
// "2 others".
func namedAndOthers(n int) (named, others int) {
	if n <= namedShown+1 {
		return n, 0
	}
	return namedShown, n - namedShown
}

// nameSeparator is the words before the i-th of the named accounts of a
// group, when named are named and others counted after them.
func nameSeparator(i, named, others int) string {
	switch {
	case i == 0:
		return ""
	case i == named-1 && others == 0:
		return " and "
	}
	return ", "
}

func newNoticeGroup(g *storage.NotificationGroup) noticeGroup {
	named, others := namedAndOthers(len(g.Actors))
	ng := noticeGroup{NotificationGroup: g, Others: others}
	for i, a := range g.Actors[:named] {
		ng.Named = append(ng.Named, namedActor{Before: nameSeparator(i, named, others), Actor: a})
	}
	return ng
}

// Handle is how a notice names an account: @name for members here,
// @name@server for others.
func (notificationsPage) Handle(a *storage.Actor) string {
	if a.Local {
		return "@" + a.Username
	}
	return a.Handle()
}

// notifications lists a page of the member's notices, grouped, and
// marks those listed read: the member has seen them.
func (s *Server) notifications(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	list, err := s.db.Notifications(ctx, currentMember(r).ID, r.URL.Query().Get("before"), storage.NotificationsPerPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := notificationsPage{Next: list.Next, Threads: map[string]*storage.Post{}}
	if len(list.Notifications) > 0 {
		page.Newest = list.Notifications[0].ID
	}
	for _, g := range list.Groups {
		page.Groups = append(page.Groups, newNoticeGroup(g))
	}
	for _, n := range list.Notifications {
		if n.Post == nil || n.Post.RootID == "" {
			continue
		}
		root := n.Post.RootID
		if _, seen := page.Threads[root]; seen {
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

// markNotificationsRead marks every notice read up to the newest the
// member was shown, and sends them back to the notifications.
func (s *Server) markNotificationsRead(w http.ResponseWriter, r *http.Request) {
	if err := s.db.MarkNotificationsRead(r.Context(), currentMember(r).ID, r.PostForm.Get("upto")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/notifications", "All notifications are marked read.")
}
