package web

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// adminMembersPage is the data of the admins' list of members.
type adminMembersPage struct {
	Members   []*storage.MemberRoles
	Next      string                     // the name to list after for the next page, or ""
	Deletions []*storage.AccountDeletion // accounts to be deleted once their grace period ends
}

// membersPerPage is how many members the admin page lists at once.
const membersPerPage = 100

// adminMembers lists the members with their roles and status.
func (s *Server) adminMembers(w http.ResponseWriter, r *http.Request) {
	list, err := s.db.MembersWithRoles(r.Context(), currentMember(r).ID, r.URL.Query().Get("after"), membersPerPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := adminMembersPage{Members: list}
	if page.Deletions, err = s.db.PendingAccountDeletions(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	if len(list) == membersPerPage {
		page.Next = list[len(list)-1].Member.Username
	}
	s.render(w, r, http.StatusOK, "admin_members", "Members", page)
}

// suspendMember suspends the member in the path, with the reason given.
func (s *Server) suspendMember(w http.ResponseWriter, r *http.Request) {
	m, err := s.db.SuspendMember(r.Context(), currentMember(r).ID, mux.Vars(r)["name"], r.PostForm.Get("reason"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/members", "@"+m.Username+" is suspended.")
}

// unsuspendMember lifts the suspension of the member in the path.
func (s *Server) unsuspendMember(w http.ResponseWriter, r *http.Request) {
	m, err := s.db.UnsuspendMember(r.Context(), currentMember(r).ID, mux.Vars(r)["name"])
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/members", "@"+m.Username+" is no longer suspended.")
}

// setAdminRole makes the member in the path an admin, or no longer one.
func (s *Server) setAdminRole(w http.ResponseWriter, r *http.Request) {
	name, admin := mux.Vars(r)["name"], mux.Vars(r)["role"] == "admin"
	if err := s.db.SetAdmin(r.Context(), currentMember(r).ID, name, admin); err != nil {
		s.fail(w, r, err)
		return
	}
	msg := "@" + name + " is an admin now."
	if !admin {
		msg = "@" + name + " is no longer an admin."
	}
	s.redirect(w, r, "/admin/members", msg)
}
