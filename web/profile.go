package web

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// profilePage is the data of a profile, of a member here or of an
// account on another server (a person, or a group such as a Lemmy
// community, whose page lists the posts in it).
type profilePage struct {
	Actor       *storage.Actor
	Member      *storage.Member // nil for a remote account
	Mine        bool
	Group       bool
	Follow      *storage.Follow // the viewer's follow of this account, if any
	Followers   int
	Following   int
	ShowNetwork bool
	Posts       *storage.FeedPage
	Profile     *storage.Profile // bio and fields
	Pinned      []*storage.Post  // a member's pinned posts, on the first page
	Compose     *composeForm     // on one's own profile, and in a group one joined
	Mutes       storage.MuteState
}

// profile shows /@name for a member, and /@name@host for an account on
// another server (fetched through WebFinger the first time). A subwiki
// here has its own page.
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
		if sub, err := s.db.SubwikiByName(ctx, user); err == nil {
			http.Redirect(w, r, "/s/"+sub.Name, http.StatusSeeOther)
			return
		}
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
	if member != nil && s.suspendedProfile(w, r, member) {
		return
	}
	page, err := s.profileOf(r, actor, member)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "profile", actor.DisplayName+" ("+actor.Handle()+")", page)
}

// profileOf gathers what the profile of actor shows the viewer.
func (s *Server) profileOf(r *http.Request, actor *storage.Actor, member *storage.Member) (*profilePage, error) {
	ctx, me := r.Context(), currentMember(r)
	page := &profilePage{Actor: actor, Member: member, Group: actor.Kind == storage.KindGroup}
	page.Mine = me != nil && me.ID == actor.ID
	var err error
	if member != nil {
		if page.ShowNetwork, err = s.db.NetworkShown(ctx, viewerOf(r), member.ID); err != nil {
			return nil, err
		}
	}
	if page.Followers, page.Following, err = s.db.FollowCounts(ctx, actor.ID); err != nil {
		return nil, err
	}
	if page.Profile, err = s.db.ProfileOf(ctx, actor.ID); err != nil {
		return nil, err
	}
	before := r.URL.Query().Get("before")
	if member != nil && before == "" {
		if page.Pinned, err = s.db.PinnedPosts(ctx, viewerOf(r), member.ID); err != nil {
			return nil, err
		}
	}
	if page.Group {
		page.Posts, err = s.db.SubwikiFeed(ctx, viewerOf(r), actor.ID, before, FeedPageSize)
	} else {
		page.Posts, err = s.db.ProfileFeed(ctx, viewerOf(r), actor.ID, before, FeedPageSize)
	}
	if err != nil || me == nil {
		return page, err
	}
	if page.Follow, err = s.db.FollowBetween(ctx, me.ID, actor.ID); err != nil {
		return nil, err
	}
	if page.Mutes, err = s.db.MuteStateOf(ctx, me.ID, actor.ID); err != nil {
		return nil, err
	}
	switch {
	case page.Mine:
		page.Compose, err = s.newComposeForm(ctx, me, nil)
	case page.Group && page.Follow != nil && page.Follow.State == storage.FollowAccepted:
		page.Compose, err = s.newComposeForm(ctx, me, actor)
	}
	return page, err
}
