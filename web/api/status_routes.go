package api

import (
	"net/http"

	"github.com/gorilla/mux"
)

// statusRoutes are the statuses' paths: one status, its thread and
// history, what members do to it, and who did it.
func (a *API) statusRoutes(r *mux.Router) {
	post, get := http.MethodPost, http.MethodGet
	r.Handle("/api/v1/statuses", a.signedIn("write:statuses", a.createStatus)).Methods(post)
	r.Handle("/api/v1/statuses/{id}", a.maybeSignedIn("read:statuses", a.showStatus)).Methods(get)
	r.Handle("/api/v1/statuses/{id}", a.signedIn("write:statuses", a.deleteStatus)).Methods(http.MethodDelete)
	r.Handle("/api/v1/statuses/{id}", a.signedIn("write:statuses", a.editStatus)).Methods(http.MethodPut)
	r.Handle("/api/v1/statuses/{id}/source", a.signedIn("read:statuses", a.statusSource)).Methods(get)
	r.Handle("/api/v1/statuses/{id}/context", a.maybeSignedIn("read:statuses", a.statusContext)).Methods(get)
	r.Handle("/api/v1/statuses/{id}/history", a.maybeSignedIn("read:statuses", a.statusHistory)).Methods(get)
	r.Handle("/api/v1/statuses/{id}/favourited_by", a.maybeSignedIn("read:accounts", a.favouritedBy)).Methods(get)
	r.Handle("/api/v1/statuses/{id}/reblogged_by", a.maybeSignedIn("read:accounts", a.rebloggedBy)).Methods(get)
	for _, act := range statusActions {
		r.Handle("/api/v1/statuses/{id}/"+act.path, a.signedIn(act.scope, a.statusAction(act))).Methods(post)
	}
}

// postID is the id in a status path.
func postID(r *http.Request) string { return mux.Vars(r)["id"] }
