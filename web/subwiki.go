package web

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// subwikiPage is the data of a subwiki's page.
type subwikiPage struct {
	Subwiki     *storage.Subwiki
	Group       *storage.Actor
	Moderators  []*storage.Member
	Members     int
	Join        *storage.Follow // the viewer's membership or request, if any
	IsModerator bool
	Compose     *composeForm // nil when the viewer may not post here
	Feed        *storage.FeedPage
	Mutes       storage.MuteState
}

// subwiki shows a subwiki of this instance: what it is about, its
// moderators, the viewer's membership and its posts, newest first.
func (s *Server) subwiki(w http.ResponseWriter, r *http.Request) {
	sub, group, err := s.subwikiNamed(r)
	if err != nil {
		s.failSubwiki(w, r, err)
		return
	}
	page, err := s.subwikiPageOf(r, sub, group)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "subwiki", sub.Title+" (s/"+sub.Name+")", page)
}

// subwikiPageOf gathers what the subwiki's page shows the viewer.
func (s *Server) subwikiPageOf(r *http.Request, sub *storage.Subwiki, group *storage.Actor) (*subwikiPage, error) {
	ctx := r.Context()
	page := &subwikiPage{Subwiki: sub, Group: group}
	var err error
	if page.Moderators, err = s.db.Moderators(ctx, sub.ID); err != nil {
		return nil, err
	}
	if page.Members, _, err = s.db.FollowCounts(ctx, sub.ID); err != nil {
		return nil, err
	}
	if page.Feed, err = s.db.SubwikiFeed(ctx, viewerOf(r), sub.ID, r.URL.Query().Get("before"), FeedPageSize); err != nil {
		return nil, err
	}
	me := currentMember(r)
	if me == nil {
		return page, nil
	}
	if page.Mutes, err = s.db.MuteStateOf(ctx, me.ID, sub.ID); err != nil {
		return nil, err
	}
	if page.Join, err = s.db.FollowBetween(ctx, me.ID, sub.ID); err != nil {
		return nil, err
	}
	if page.IsModerator, err = s.db.IsModerator(ctx, me.ID, sub.ID); err != nil {
		return nil, err
	}
	joined := page.Join != nil && page.Join.State == storage.FollowAccepted
	if !sub.MembersOnly || joined || page.IsModerator {
		page.Compose, err = s.newComposeForm(ctx, me, group)
	}
	return page, err
}

// subwikiNamed reads the subwiki the path names, with its Group actor.
func (s *Server) subwikiNamed(r *http.Request) (*storage.Subwiki, *storage.Actor, error) {
	sub, err := s.db.SubwikiByName(r.Context(), mux.Vars(r)["name"])
	if err != nil {
		return nil, nil, err
	}
	group, err := s.db.ActorByID(r.Context(), sub.ID)
	return sub, group, err
}

// failSubwiki shows that there is no such subwiki, or what else failed.
func (s *Server) failSubwiki(w http.ResponseWriter, r *http.Request, err error) {
	if storage.ErrorCode(err) == storage.ENotFound {
		s.renderError(w, r, http.StatusNotFound, "There is no subwiki with this name here.")
		return
	}
	s.fail(w, r, err)
}

// joinSubwiki makes the member a member of the subwiki, or asks its
// moderators when it is members-only.
func (s *Server) joinSubwiki(w http.ResponseWriter, r *http.Request) {
	sub, _, err := s.subwikiNamed(r)
	if err == nil {
		_, err = s.db.Follow(r.Context(), currentMember(r).ID, sub.ID)
	}
	if err != nil {
		s.failSubwiki(w, r, err)
		return
	}
	msg := "You joined s/" + sub.Name + ". Its posts appear in your feed."
	if sub.MembersOnly {
		if f, _ := s.db.FollowBetween(r.Context(), currentMember(r).ID, sub.ID); f != nil && f.State == storage.FollowPending {
			msg = "Your request to join s/" + sub.Name + " was sent to its moderators."
		}
	}
	s.redirect(w, r, "/s/"+sub.Name, msg)
}

// leaveSubwiki ends the member's membership, or withdraws the request.
func (s *Server) leaveSubwiki(w http.ResponseWriter, r *http.Request) {
	ctx, me := r.Context(), currentMember(r)
	sub, _, err := s.subwikiNamed(r)
	if err != nil {
		s.failSubwiki(w, r, err)
		return
	}
	msg := "You left s/" + sub.Name + "."
	if f, _ := s.db.FollowBetween(ctx, me.ID, sub.ID); f != nil && f.State == storage.FollowPending {
		msg = "Your request to join s/" + sub.Name + " is withdrawn."
	}
	if err := s.db.Unfollow(ctx, me.ID, sub.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/s/"+sub.Name, msg)
}
