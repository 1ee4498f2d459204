package federation

import (
	"context"
	"net/http"

	"github.com/go-fed/activity/streams"
	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// Subwikis are Group actors (FEP-1b12): followable, with an inbox that
// takes posts from members anywhere, and an attributedTo collection of
// moderators.

// moderatorsURI is the collection of a subwiki's moderators.
func moderatorsURI(group *storage.Actor) string { return group.URI + "/moderators" }

// groupDocument is the Group document of a local subwiki.
func (f *Federator) groupDocument(ctx context.Context, name string) ([]byte, error) {
	s, err := f.db.SubwikiByName(ctx, name)
	if err != nil {
		return nil, err
	}
	a, err := f.db.ActorByID(ctx, s.ID)
	if err != nil {
		return nil, err
	}
	group := streams.NewActivityStreamsGroup()
	fillActor(group, a, s.Title, storage.TextToHTML(s.Description))
	moderators := streams.NewActivityStreamsAttributedToProperty()
	appendIRIs(moderators, moderatorsURI(a))
	group.SetActivityStreamsAttributedTo(moderators)
	extra := actorExtras(a)
	extra["postingRestrictedToMods"] = false
	return encode(group, extra)
}

// localGroup returns the Group actor of the subwiki named in the route.
func (f *Federator) localGroup(r *http.Request) (*storage.Subwiki, *storage.Actor, error) {
	s, err := f.db.SubwikiByName(r.Context(), mux.Vars(r)["name"])
	if err != nil {
		return nil, nil, err
	}
	a, err := f.db.ActorByID(r.Context(), s.ID)
	return s, a, err
}

func (f *Federator) serveGroup(w http.ResponseWriter, r *http.Request) {
	name := mux.Vars(r)["name"]
	d, err := f.cachedDocument(r.Context(), "group "+name, 0, func(ctx context.Context) ([]byte, int, error) {
		body, err := f.groupDocument(ctx, name)
		return body, actorMaxAge, err
	})
	f.answerCached(w, r, d, err)
}

// serveGroupFollowers answers the subwiki's followers (its members, here
// and elsewhere), as counts and pages.
func (f *Federator) serveGroupFollowers(w http.ResponseWriter, r *http.Request) {
	_, a, err := f.localGroup(r)
	if err != nil {
		f.answer(w, r, nil, err)
		return
	}
	f.serveActorFollows(w, r, a, true, true)
}

// serveGroupFollowing answers the (empty) collection of whom the group
// follows.
func (f *Federator) serveGroupFollowing(w http.ResponseWriter, r *http.Request) {
	_, a, err := f.localGroup(r)
	if err != nil {
		f.answer(w, r, nil, err)
		return
	}
	f.serveActorFollows(w, r, a, false, true)
}

// serveGroupOutbox answers the subwiki's outbox: the posts in it.
func (f *Federator) serveGroupOutbox(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	_, a, err := f.localGroup(r)
	if err != nil {
		f.answer(w, r, nil, err)
		return
	}
	if r.URL.Query().Get("page") == "" {
		body, err := encode(collection(a.Outbox, -1, true), nil)
		f.answer(w, r, body, err)
		return
	}
	feed, err := f.db.SubwikiFeed(ctx, storage.Stranger, a.ID, r.URL.Query().Get("max_id"), collectionPageSize)
	if err != nil {
		f.answer(w, r, nil, err)
		return
	}
	items := streams.NewActivityStreamsOrderedItemsProperty()
	for _, p := range feed.Posts {
		appendIRIs(items, p.URI)
	}
	body, err := encode(collectionPage(a.Outbox, a.Outbox+"?"+r.URL.RawQuery, feed.Next, items), nil)
	f.answer(w, r, body, err)
}

// serveModerators answers the collection of the subwiki's moderators,
// which its Group's attributedTo names.
func (f *Federator) serveModerators(w http.ResponseWriter, r *http.Request) {
	s, a, err := f.localGroup(r)
	if err != nil {
		f.answer(w, r, nil, err)
		return
	}
	mods, err := f.db.Moderators(r.Context(), s.ID)
	if err != nil {
		f.answer(w, r, nil, err)
		return
	}
	c := streams.NewActivityStreamsOrderedCollection()
	c.SetJSONLDId(idProperty(moderatorsURI(a)))
	items := streams.NewActivityStreamsOrderedItemsProperty()
	for _, m := range mods {
		appendIRIs(items, f.cfg.Site.ActorURI(m.Username))
	}
	c.SetActivityStreamsOrderedItems(items)
	count := streams.NewActivityStreamsTotalItemsProperty()
	count.Set(len(mods))
	c.SetActivityStreamsTotalItems(count)
	body, err := encode(c, nil)
	f.answer(w, r, body, err)
}
