package api

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// idPattern is an account's id in a path: a ULID, so that the names of
// the other paths under /api/v1/accounts/ never pass for one.
const idPattern = "{id:[0-9A-Z]{26}}"

func (a *API) accountRoutes(r *mux.Router) {
	get, post := http.MethodGet, http.MethodPost
	r.Handle("/api/v1/accounts/verify_credentials", a.signedIn("read:accounts profile", a.verifyCredentials)).Methods(get)
	r.Handle("/api/v1/accounts/update_credentials", a.signedIn("write:accounts", a.updateCredentials)).Methods(http.MethodPatch)
	r.Handle("/api/v1/accounts/relationships", a.signedIn("read:follows", a.relationships)).Methods(get)
	r.Handle("/api/v1/accounts/lookup", a.maybeSignedIn("read:accounts", a.lookUpAccount)).Methods(get)
	r.Handle("/api/v1/accounts/search", a.maybeSignedIn("read:accounts", a.searchAccounts)).Methods(get)
	r.Handle("/api/v1/accounts/"+idPattern, a.maybeSignedIn("read:accounts", a.showAccount)).Methods(get)
	r.Handle("/api/v1/accounts/"+idPattern+"/followers", a.maybeSignedIn("read:accounts", a.followers)).Methods(get)
	r.Handle("/api/v1/accounts/"+idPattern+"/following", a.maybeSignedIn("read:accounts", a.following)).Methods(get)
	r.Handle("/api/v1/accounts/"+idPattern+"/{action:follow|unfollow}", a.signedIn("write:follows", a.accountAction)).Methods(post)
	r.Handle("/api/v1/accounts/"+idPattern+"/{action:block|unblock}", a.signedIn("write:blocks", a.accountAction)).Methods(post)
	r.Handle("/api/v1/accounts/"+idPattern+"/{action:mute|unmute}", a.signedIn("write:mutes", a.accountAction)).Methods(post)
	r.Handle("/api/v1/follow_requests", a.signedIn("read:follows", a.followRequests)).Methods(get)
	r.Handle("/api/v1/follow_requests/"+idPattern+"/{decision:authorize|reject}", a.signedIn("write:follows", a.decideFollowRequest)).Methods(post)
	r.Handle("/api/v1/blocks", a.signedIn("read:blocks", a.blocks)).Methods(get)
	r.Handle("/api/v1/mutes", a.signedIn("read:mutes", a.mutes)).Methods(get)
	r.Handle("/api/v1/preferences", a.signedIn("read:accounts", a.preferences)).Methods(get)
}

// writeAccount answers the Account of the actor.
func (a *API) writeAccount(w http.ResponseWriter, r *http.Request, actor *storage.Actor) {
	e, err := a.accountEntity(r.Context(), actor)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// failAccount answers an account that cannot be found with Mastodon's
// 404, and any other failure as fail does.
func (a *API) failAccount(w http.ResponseWriter, r *http.Request, err error) {
	if storage.ErrorCode(err) == storage.ENotFound {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	a.fail(w, r, err)
}

// showAccount answers GET /api/v1/accounts/:id.
func (a *API) showAccount(w http.ResponseWriter, r *http.Request, c *caller) {
	actor, err := a.db.AccountByID(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		a.failAccount(w, r, err)
		return
	}
	a.writeAccount(w, r, actor)
}

// lookUpAccount answers GET /api/v1/accounts/lookup?acct=: a name here
// (alone or with this server's domain) or name@server of an account
// known here. It fetches nothing from other servers, as on Mastodon.
func (a *API) lookUpAccount(w http.ResponseWriter, r *http.Request, c *caller) {
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	acct := strings.TrimPrefix(strings.TrimSpace(p.string("acct")), "@")
	if acct == "" {
		writeError(w, http.StatusUnprocessableEntity, "Name the account to look up in acct.")
		return
	}
	name, host, remote := strings.Cut(acct, "@")
	if !remote {
		host = a.cfg.Domain
	}
	if strings.EqualFold(host, a.cfg.Domain) {
		name = strings.ToLower(name)
	}
	actor, err := a.db.AccountByHandle(r.Context(), name, host)
	if err != nil {
		a.failAccount(w, r, err)
		return
	}
	a.writeAccount(w, r, actor)
}
