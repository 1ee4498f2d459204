package api

import (
	"context"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// maxTimelineLimit is the most statuses a timeline page holds, as
// Mastodon allows.
const maxTimelineLimit = 40

// timelineRoutes are the timelines: home, public, a hashtag's, a
// list's (a subwiki's), and the member's favourites and bookmarks.
func (a *API) timelineRoutes(r *mux.Router) {
	get := http.MethodGet
	r.Handle("/api/v1/timelines/home", a.signedIn("read:statuses", a.homeTimeline)).Methods(get)
	r.Handle("/api/v1/timelines/public", a.maybeSignedIn("read:statuses", a.publicTimeline)).Methods(get)
	r.Handle("/api/v1/timelines/tag/{hashtag}", a.maybeSignedIn("read:statuses", a.tagTimeline)).Methods(get)
	r.Handle("/api/v1/timelines/list/{id}", a.signedIn("read:lists", a.listTimeline)).Methods(get)
	r.Handle("/api/v1/favourites", a.signedIn("read:favourites", a.favourites)).Methods(get)
	r.Handle("/api/v1/bookmarks", a.signedIn("read:bookmarks", a.bookmarks)).Methods(get)
	r.Handle("/api/v1/accounts/{id}/statuses", a.maybeSignedIn("read:statuses", a.accountStatuses)).Methods(get)
}

// timelineReader reads one page of a timeline.
type timelineReader func(ctx context.Context, page storage.IDPage) (*storage.Timeline, error)

// answerTimeline reads the page the request asks for and answers its
// statuses, newest first, with the Link headers apps page with.
func (a *API) answerTimeline(w http.ResponseWriter, r *http.Request, c *caller, read timelineReader) {
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	page, err := readPage(p, maxTimelineLimit)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	t, err := read(r.Context(), page)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	list, err := a.statuses(r.Context(), viewerOf(c), t.Posts)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.setLinks(w, r, t.Newest, t.Oldest)
	writeJSON(w, http.StatusOK, list)
}

// homeTimeline is the member's home feed, as the site's home page.
func (a *API) homeTimeline(w http.ResponseWriter, r *http.Request, c *caller) {
	a.answerTimeline(w, r, c, func(ctx context.Context, page storage.IDPage) (*storage.Timeline, error) {
		return a.db.HomeTimeline(ctx, c.Member.ID, page)
	})
}

// publicTimeline is the public posts here (local=true), from elsewhere
// (remote=true), or both.
func (a *API) publicTimeline(w http.ResponseWriter, r *http.Request, c *caller) {
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	local, _, err := p.boolean("local")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	remote, _, err := p.boolean("remote")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if _, _, err := p.boolean("only_media"); err != nil {
		a.fail(w, r, err)
		return
	}
	a.answerTimeline(w, r, c, func(ctx context.Context, page storage.IDPage) (*storage.Timeline, error) {
		return a.db.PublicTimeline(ctx, viewerOf(c), local, remote, page)
	})
}

// tagTimeline is the posts with a hashtag, as the hashtag's page.
func (a *API) tagTimeline(w http.ResponseWriter, r *http.Request, c *caller) {
	tag := mux.Vars(r)["hashtag"]
	a.answerTimeline(w, r, c, func(ctx context.Context, page storage.IDPage) (*storage.Timeline, error) {
		return a.db.TagTimeline(ctx, viewerOf(c), tag, page)
	})
}

// favourites are the posts the member liked.
func (a *API) favourites(w http.ResponseWriter, r *http.Request, c *caller) {
	a.answerTimeline(w, r, c, func(ctx context.Context, page storage.IDPage) (*storage.Timeline, error) {
		return a.db.LikedPosts(ctx, c.Member.ID, page)
	})
}

// bookmarks are the posts the member bookmarked, newest bookmark first;
// the Link headers page by the bookmarks' ids, as Mastodon's do.
func (a *API) bookmarks(w http.ResponseWriter, r *http.Request, c *caller) {
	a.answerTimeline(w, r, c, func(ctx context.Context, page storage.IDPage) (*storage.Timeline, error) {
		return a.db.BookmarksPage(ctx, c.Member.ID, page)
	})
}

// accountStatuses are an account's posts and comments the caller may
// see (GET /api/v1/accounts/:id/statuses), or with pinned=true the
// posts it pinned; a subwiki's are the posts in it.
func (a *API) accountStatuses(w http.ResponseWriter, r *http.Request, c *caller) {
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var f storage.ActorPostFilter
	var pinned bool
	for name, v := range map[string]*bool{"pinned": &pinned, "exclude_replies": &f.ExcludeReplies,
		"only_media": &f.OnlyMedia, "exclude_reblogs": &f.ExcludeReblogs} {
		if *v, _, err = p.boolean(name); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	f.Tagged = p.string("tagged")
	ctx, id := r.Context(), mux.Vars(r)["id"]
	actor, err := a.db.ActorByID(ctx, id)
	if err != nil {
		a.failPost(w, r, err)
		return
	}
	switch {
	case actor.Kind == storage.KindGroup && pinned:
		writeJSON(w, http.StatusOK, []status{})
	case actor.Kind == storage.KindGroup:
		// A subwiki's statuses are the posts in it, as its page shows.
		a.answerTimeline(w, r, c, func(ctx context.Context, page storage.IDPage) (*storage.Timeline, error) {
			return a.db.SubwikiTimeline(ctx, viewerOf(c), id, page)
		})
	case pinned:
		a.pinnedStatuses(w, r, c, id)
	default:
		a.answerTimeline(w, r, c, func(ctx context.Context, page storage.IDPage) (*storage.Timeline, error) {
			return a.db.ActorPosts(ctx, viewerOf(c), id, f, page)
		})
	}
}

// pinnedStatuses are the posts the member pinned that the caller may
// see, all on one page, the last pinned first.
func (a *API) pinnedStatuses(w http.ResponseWriter, r *http.Request, c *caller, memberID string) {
	posts, err := a.db.PinnedPosts(r.Context(), viewerOf(c), memberID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	list, err := a.statuses(r.Context(), viewerOf(c), posts)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}
