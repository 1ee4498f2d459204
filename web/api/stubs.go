package api

import (
	"net/http"

	"github.com/gorilla/mux"
)

// stubRoutes answer what apps ask for but Tidings does not have: an
// empty list, as GoToSocial answers, so that a screen shows "nothing
// here" rather than an error. Those about the caller need a token with
// the scope Mastodon asks for, as the real ones would.
func (a *API) stubRoutes(r *mux.Router) {
	get := http.MethodGet
	empty := func(w http.ResponseWriter, r *http.Request, _ *caller) { emptyList(w, r) }
	for _, path := range []string{"/api/v1/custom_emojis", "/api/v1/trends", "/api/v1/trends/tags",
		"/api/v1/trends/statuses", "/api/v1/trends/links", "/api/v1/accounts/{id}/featured_tags"} {
		r.HandleFunc(path, emptyList).Methods(get)
	}
	for path, scope := range map[string]string{
		"/api/v1/announcements":               "read",
		"/api/v1/suggestions":                 "read read:accounts",
		"/api/v2/suggestions":                 "read read:accounts",
		"/api/v1/featured_tags":               "read:accounts",
		"/api/v1/endorsements":                "read:accounts",
		"/api/v1/followed_tags":               "read:follows",
		"/api/v1/accounts/familiar_followers": "read:follows",
		"/api/v1/filters":                     "read:filters",
		"/api/v2/filters":                     "read:filters",
		"/api/v1/scheduled_statuses":          "read:statuses",
		"/api/v1/domain_blocks":               "read:blocks",
	} {
		r.Handle(path, a.signedIn(scope, empty)).Methods(get)
	}
	// No Web Push here: apps take a 404 as "not subscribed".
	r.Handle("/api/v1/push/subscription", a.signedIn("push", func(w http.ResponseWriter, r *http.Request, _ *caller) {
		writeError(w, http.StatusNotFound, "Record not found")
	})).Methods(get)
}

// emptyList answers [].
func emptyList(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, []struct{}{})
}
