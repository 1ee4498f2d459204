package federation

import (
	"context"
	"net/http"
	"net/url"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

const collectionPageSize = 20

// collection is the OrderedCollection that only counts and links to
// its first page (omitted when the items are hidden).
func collection(id string, total int, showItems bool) vocab.ActivityStreamsOrderedCollection {
	c := streams.NewActivityStreamsOrderedCollection()
	c.SetJSONLDId(idProperty(id))
	if total >= 0 {
		count := streams.NewActivityStreamsTotalItemsProperty()
		count.Set(total)
		c.SetActivityStreamsTotalItems(count)
	}
	if showItems {
		first := streams.NewActivityStreamsFirstProperty()
		setIRI(first, id+"?page=true")
		c.SetActivityStreamsFirst(first)
	}
	return c
}

// collectionPage is one OrderedCollectionPage of a collection.
func collectionPage(collectionID, pageID, next string, items vocab.ActivityStreamsOrderedItemsProperty) vocab.ActivityStreamsOrderedCollectionPage {
	page := streams.NewActivityStreamsOrderedCollectionPage()
	page.SetJSONLDId(idProperty(pageID))
	partOf := streams.NewActivityStreamsPartOfProperty()
	setIRI(partOf, collectionID)
	page.SetActivityStreamsPartOf(partOf)
	page.SetActivityStreamsOrderedItems(items)
	if next != "" {
		nextProp := streams.NewActivityStreamsNextProperty()
		setIRI(nextProp, collectionID+"?page=true&max_id="+url.QueryEscape(next))
		page.SetActivityStreamsNext(nextProp)
	}
	return page
}

// activeMemberActor returns the actor of the active member named in the
// route.
func (f *Federator) activeMemberActor(ctx context.Context, r *http.Request) (*storage.Member, *storage.Actor, error) {
	m, err := f.db.MemberByUsername(ctx, mux.Vars(r)["name"])
	if err != nil {
		return nil, nil, err
	}
	if m.Status != storage.MemberActive {
		return nil, nil, storage.Errorf(storage.ENotFound, "No such member.")
	}
	a, err := f.db.ActorByID(ctx, m.ID)
	return m, a, err
}

// serveOutbox answers the member's outbox: their public posts as Create
// activities, newest first.
func (f *Federator) serveOutbox(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	_, a, err := f.activeMemberActor(ctx, r)
	if err != nil {
		f.answer(w, r, nil, err)
		return
	}
	if r.URL.Query().Get("page") == "" {
		total, err := f.db.CountPostsBy(ctx, storage.Stranger, a.ID)
		if err != nil {
			f.answer(w, r, nil, err)
			return
		}
		body, err := encode(collection(a.Outbox, total, true), nil)
		f.answer(w, r, body, err)
		return
	}
	feed, err := f.db.PostsBy(ctx, storage.Stranger, a.ID, r.URL.Query().Get("max_id"), collectionPageSize)
	if err != nil {
		f.answer(w, r, nil, err)
		return
	}
	items := streams.NewActivityStreamsOrderedItemsProperty()
	for _, p := range feed.Posts {
		pub, err := f.publish(ctx, p, a)
		if err != nil {
			f.answer(w, r, nil, err)
			return
		}
		items.AppendActivityStreamsCreate(createOf(p, a, pub))
	}
	body, err := encode(collectionPage(a.Outbox, a.Outbox+"?"+r.URL.RawQuery, feed.Next, items), nil)
	f.answer(w, r, body, err)
}

// serveFollowers answers the member's followers collection; the count is
// public, the pages only when the member does not hide their network.
func (f *Federator) serveFollowers(w http.ResponseWriter, r *http.Request) {
	f.serveFollows(w, r, true)
}

// serveFollowing answers the collection of whom the member follows.
func (f *Federator) serveFollowing(w http.ResponseWriter, r *http.Request) {
	f.serveFollows(w, r, false)
}

func (f *Federator) serveFollows(w http.ResponseWriter, r *http.Request, followers bool) {
	m, a, err := f.activeMemberActor(r.Context(), r)
	if err != nil {
		f.answer(w, r, nil, err)
		return
	}
	f.serveActorFollows(w, r, a, followers, !m.HideNetwork)
}

// serveActorFollows answers an actor's followers or following: the count
// always, the pages only when show is true.
func (f *Federator) serveActorFollows(w http.ResponseWriter, r *http.Request, a *storage.Actor, followers, show bool) {
	ctx := r.Context()
	id, list := a.Following, f.db.Following
	if followers {
		id, list = a.Followers, f.db.Followers
	}
	if r.URL.Query().Get("page") == "" || !show {
		nFollowers, nFollowing, err := f.db.FollowCounts(ctx, a.ID)
		if err != nil {
			f.answer(w, r, nil, err)
			return
		}
		total := nFollowing
		if followers {
			total = nFollowers
		}
		body, err := encode(collection(id, total, show), nil)
		f.answer(w, r, body, err)
		return
	}
	page, err := list(ctx, a.ID, r.URL.Query().Get("max_id"), collectionPageSize)
	if err != nil {
		f.answer(w, r, nil, err)
		return
	}
	items := streams.NewActivityStreamsOrderedItemsProperty()
	for _, actor := range page.Actors {
		appendIRIs(items, actor.URI)
	}
	body, err := encode(collectionPage(id, id+"?"+r.URL.RawQuery, page.Next, items), nil)
	f.answer(w, r, body, err)
}

// serveInstanceOutbox answers the instance actor's outbox, which its
// document names: it publishes nothing, so the collection is empty.
func (f *Federator) serveInstanceOutbox(w http.ResponseWriter, r *http.Request) {
	a, err := f.db.InstanceActor(r.Context())
	if err != nil {
		f.answer(w, r, nil, err)
		return
	}
	c := collection(a.Outbox, 0, false)
	c.SetActivityStreamsOrderedItems(streams.NewActivityStreamsOrderedItemsProperty())
	body, err := encode(c, nil)
	f.answer(w, r, body, err)
}

// serveInstanceFollowers answers the instance actor's followers: the
// count only, as it is a server's own actor and not a person to list.
func (f *Federator) serveInstanceFollowers(w http.ResponseWriter, r *http.Request) {
	f.serveInstanceFollows(w, r, true)
}

// serveInstanceFollowing answers whom the instance actor follows: the
// count only.
func (f *Federator) serveInstanceFollowing(w http.ResponseWriter, r *http.Request) {
	f.serveInstanceFollows(w, r, false)
}

func (f *Federator) serveInstanceFollows(w http.ResponseWriter, r *http.Request, followers bool) {
	a, err := f.db.InstanceActor(r.Context())
	if err != nil {
		f.answer(w, r, nil, err)
		return
	}
	f.serveActorFollows(w, r, a, followers, false)
}
