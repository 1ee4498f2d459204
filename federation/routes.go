package federation

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// Routes adds the ActivityPub endpoints to the router. Addresses shared
// with web pages (/@name, /posts/id) match only requests that ask for
// ActivityPub JSON, so the site's routes, added after, serve browsers.
// Actors, objects and collections go through the authorized-fetch gate
// (signedActor, signedObject); discovery and the instance actor do not.
func (f *Federator) Routes(r *mux.Router) {
	get := []string{http.MethodGet, http.MethodHead}
	r.HandleFunc("/.well-known/webfinger", f.webfinger).Methods(get...)
	r.HandleFunc("/.well-known/host-meta", f.hostMeta).Methods(get...)
	r.HandleFunc("/.well-known/nodeinfo", f.nodeInfoLinks).Methods(get...)
	r.HandleFunc("/nodeinfo/2.1", f.nodeInfo).Methods(get...)

	r.HandleFunc("/inbox", f.serveInbox).Methods(http.MethodPost)
	r.HandleFunc("/actor", f.serveInstanceActor).Methods(get...)
	r.HandleFunc("/actor/inbox", f.serveInbox).Methods(http.MethodPost)
	// The instance actor and its collections stay open, as the actor must
	// be readable to verify our signed fetches.
	r.HandleFunc("/actor/outbox", f.serveInstanceOutbox).Methods(get...)
	r.HandleFunc("/actor/followers", f.serveInstanceFollowers).Methods(get...)
	r.HandleFunc("/actor/following", f.serveInstanceFollowing).Methods(get...)
	r.HandleFunc("/users/{name}", f.signedActor(f.serveMember, f.memberDocument)).Methods(get...)
	r.HandleFunc("/users/{name}/inbox", f.serveInbox).Methods(http.MethodPost)
	r.HandleFunc("/users/{name}/outbox", f.signedObject(f.serveOutbox)).Methods(get...)
	r.HandleFunc("/users/{name}/followers", f.signedObject(f.serveFollowers)).Methods(get...)
	r.HandleFunc("/users/{name}/following", f.signedObject(f.serveFollowing)).Methods(get...)
	r.HandleFunc("/users/{name}/featured", f.signedObject(f.serveFeatured)).Methods(get...)

	wantsJSON := func(r *http.Request, _ *mux.RouteMatch) bool { return WantsActivityJSON(r) }
	r.HandleFunc("/@{name}", f.signedActor(func(w http.ResponseWriter, r *http.Request) {
		f.ServeMemberDocument(w, r, mux.Vars(r)["name"])
	}, f.memberDocument)).Methods(get...).MatcherFunc(wantsJSON)
	r.HandleFunc("/posts/{id}", f.signedObject(f.servePost)).Methods(get...).MatcherFunc(wantsJSON)
	r.HandleFunc("/posts/{id}/activity", f.signedObject(f.servePostActivity)).Methods(get...)
	r.HandleFunc("/posts/{id}/history", f.signedObject(f.serveHistory)).Methods(get...).MatcherFunc(wantsJSON)
	r.HandleFunc("/posts/{id}/revisions/{n:[0-9]+}", f.signedObject(f.serveRevision)).Methods(get...)

	r.HandleFunc("/s/{name}", f.signedActor(f.serveGroup, f.groupDocument)).Methods(get...).MatcherFunc(wantsJSON)
	r.HandleFunc("/s/{name}/inbox", f.serveInbox).Methods(http.MethodPost)
	r.HandleFunc("/s/{name}/outbox", f.signedObject(f.serveGroupOutbox)).Methods(get...)
	r.HandleFunc("/s/{name}/followers", f.signedObject(f.serveGroupFollowers)).Methods(get...)
	r.HandleFunc("/s/{name}/following", f.signedObject(f.serveGroupFollowing)).Methods(get...)
	r.HandleFunc("/s/{name}/moderators", f.signedObject(f.serveModerators)).Methods(get...)
}

// servePost answers a local post as a Note or Page, when a stranger may
// see it (storage.VisiblePost): fetches are answered as to anyone, so a
// post that is not for everyone is not found. A deleted one is Gone.
func (f *Federator) servePost(w http.ResponseWriter, r *http.Request) {
	body, err := f.postDocument(r, false)
	f.answer(w, r, body, err)
}

// servePostActivity answers the Create that published a post.
func (f *Federator) servePostActivity(w http.ResponseWriter, r *http.Request) {
	body, err := f.postDocument(r, true)
	f.answer(w, r, body, err)
}

func (f *Federator) postDocument(r *http.Request, asCreate bool) ([]byte, error) {
	ctx := r.Context()
	p, err := f.db.VisiblePost(ctx, storage.Stranger, mux.Vars(r)["id"])
	if storage.ErrorCode(err) == storage.ENotFound {
		if gone, _ := f.db.IsDeleted(ctx, f.cfg.Site.PostURI(mux.Vars(r)["id"])); gone {
			return nil, errGone
		}
	}
	if err != nil {
		return nil, err
	}
	if !p.Local {
		return nil, storage.Errorf(storage.ENotFound, "No such post.")
	}
	author, err := f.db.ActorByID(ctx, p.AuthorID)
	if err != nil {
		return nil, err
	}
	pub, err := f.publish(ctx, p, author)
	if err != nil {
		return nil, err
	}
	if asCreate {
		return encode(createOf(p, author, pub), nil)
	}
	return encode(pub.object, nil)
}
