package web

import (
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// subwikisOnFrontPage is how many subwikis a visitor is offered to join.
const subwikisOnFrontPage = 8

// homePage is the data of the front page: a member's home feed, or for
// a visitor the instance's newest public posts and subwikis to join.
type homePage struct {
	Mode     storage.RegistrationMode
	Feed     *storage.FeedPage
	Subwikis []*storage.SubwikiListing // for a visitor
	Compose  *composeForm              // for a signed-in member
}

// home shows the front page. Both feeds are newest first and paged with
// ?before=.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	ctx, before := r.Context(), r.URL.Query().Get("before")
	page := homePage{Mode: s.db.Registration}
	var err error
	if me := currentMember(r); me != nil {
		page.Feed, err = s.db.HomeFeed(ctx, me.ID, before, FeedPageSize)
		if err == nil {
			page.Compose, err = s.newComposeForm(ctx, me, nil)
		}
	} else {
		page.Feed, err = s.db.PublicFeed(ctx, storage.Stranger, before, FeedPageSize)
		if err == nil {
			page.Subwikis, err = s.db.SubwikisToJoin(ctx, subwikisOnFrontPage)
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", s.cfg.InstanceName, page)
}
