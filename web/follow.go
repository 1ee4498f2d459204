package web

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// follow makes the member follow the account in the form's actor field.
func (s *Server) follow(w http.ResponseWriter, r *http.Request) {
	me := currentMember(r)
	target, err := s.db.ActorByID(r.Context(), r.PostForm.Get("actor"))
	if err == nil {
		_, err = s.db.Follow(r.Context(), me.ID, target.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pending := false
	if f, _ := s.db.FollowBetween(r.Context(), me.ID, target.ID); f != nil && f.State == storage.FollowPending {
		pending = true
	}
	msg := "You follow " + target.Handle() + " now."
	switch {
	case target.Kind == storage.KindGroup && pending:
		msg = "Your request to join " + groupLabel(target) + " was sent."
	case target.Kind == storage.KindGroup:
		msg = "You joined " + groupLabel(target) + "."
	case pending:
		msg = "Your follow request was sent to " + target.Handle() + "."
	}
	s.redirect(w, r, profilePath(target), msg)
}

// unfollow ends the member's follow of the account, or withdraws a request.
func (s *Server) unfollow(w http.ResponseWriter, r *http.Request) {
	target, err := s.db.ActorByID(r.Context(), r.PostForm.Get("actor"))
	if err == nil {
		err = s.db.Unfollow(r.Context(), currentMember(r).ID, target.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	msg := "You no longer follow " + target.Handle() + "."
	if target.Kind == storage.KindGroup {
		msg = "You left " + groupLabel(target) + "."
	}
	s.redirect(w, r, profilePath(target), msg)
}

// followRequestsPage is the data of the page of follow requests.
type followRequestsPage struct {
	Requests []*storage.Actor
}

func (s *Server) followRequests(w http.ResponseWriter, r *http.Request) {
	list, err := s.db.FollowRequests(r.Context(), currentMember(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "follow_requests", "Follow requests", followRequestsPage{Requests: list})
}

// decideFollowRequest approves or rejects one request.
func (s *Server) decideFollowRequest(w http.ResponseWriter, r *http.Request) {
	me := currentMember(r)
	follower, err := s.db.ActorByID(r.Context(), r.PostForm.Get("actor"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	approve := mux.Vars(r)["decision"] == "approve"
	if approve {
		err = s.db.ApproveFollower(r.Context(), me.ID, follower.ID)
	} else {
		err = s.db.RejectFollower(r.Context(), me.ID, follower.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	msg := follower.Handle() + " follows you now."
	if !approve {
		msg = "You declined the request of " + follower.Handle() + "."
	}
	s.redirect(w, r, "/follow-requests", msg)
}

// followListPage is the data of a list of followers or followed accounts.
type followListPage struct {
	Owner     *storage.Actor
	Followers bool
	Page      *storage.FollowPage
}

// followList shows /@name/followers and /@name/following, unless the
// member hides their network from others.
func (s *Server) followList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	m, err := s.db.MemberByUsername(ctx, mux.Vars(r)["name"])
	if err != nil || m.Status != storage.MemberActive {
		s.notFound(w, r)
		return
	}
	shown, err := s.db.NetworkShown(ctx, viewerOf(r), m.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !shown {
		s.renderError(w, r, http.StatusForbidden, "@"+m.Username+" keeps this list private.")
		return
	}
	owner, err := s.db.ActorByID(ctx, m.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	followers := mux.Vars(r)["list"] == "followers"
	list := s.db.Following
	title := "Followed by " + m.DisplayName
	if followers {
		list, title = s.db.Followers, "Followers of "+m.DisplayName
	}
	page, err := list(ctx, owner.ID, r.URL.Query().Get("before"), 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "follow_list", title, followListPage{Owner: owner, Followers: followers, Page: page})
}

// profilePath is the address of an account's profile page here; a
// subwiki of this instance has its own page.
func profilePath(a *storage.Actor) string {
	if a.Local && a.Kind == storage.KindGroup {
		return "/s/" + a.Username
	}
	if a.Local {
		return "/@" + a.Username
	}
	return "/@" + a.Username + "@" + a.Host
}
