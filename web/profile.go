package web

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// profilePage is the data of a profile, of a member here or of an
// account on another server.
type profilePage struct {
	Actor       *storage.Actor
	Member      *storage.Member // nil for a remote account
	Mine        bool
	Follow      *storage.Follow // the viewer's follow of this account, if any
	Followers   int
	Following   int
	ShowNetwork bool
	Posts       *storage.FeedPage
}

// profile shows /@name for a member, and /@name@host for an account on
// another server (fetched through WebFinger the first time).
func (s *Server) profile(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	name := mux.Vars(r)["name"]
	var actor *storage.Actor
	var member *storage.Member
	var err error
	if user, host, remote := strings.Cut(name, "@"); remote && !strings.EqualFold(host, s.cfg.Domain) {
		actor, err = s.db.ActorByHandle(ctx, user, host)
		if storage.ErrorCode(err) == storage.ENotFound {
			actor, err = s.fed.ResolveHandle(ctx, name)
		}
	} else {
		member, err = s.db.MemberByUsername(ctx, user)
		if err == nil && member.Status != storage.MemberActive {
			err = storage.Errorf(storage.ENotFound, "No such member.")
		}
		if err == nil {
			actor, err = s.db.ActorByID(ctx, member.ID)
		}
	}
	if err != nil {
		if storage.ErrorCode(err) == storage.ENotFound || storage.ErrorCode(err) == storage.EInvalid {
			s.renderError(w, r, http.StatusNotFound, "There is no account with this name, here or on its server.")
			return
		}
		s.fail(w, r, err)
		return
	}
	page := profilePage{Actor: actor, Member: member}
	if me := currentMember(r); me != nil {
		page.Mine = me.ID == actor.ID
		if page.Follow, err = s.db.FollowBetween(ctx, me.ID, actor.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if page.Followers, page.Following, err = s.db.FollowCounts(ctx, actor.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	page.ShowNetwork = member != nil && (!member.HideNetwork || page.Mine)
	if page.Posts, err = s.db.PostsBy(ctx, actor.ID, r.URL.Query().Get("before"), feedPageSize); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "profile", actor.DisplayName+" ("+actor.Handle()+")", page)
}
