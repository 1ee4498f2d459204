package api

import (
	"context"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// maxAccountPage is the most accounts a list answers at once (Mastodon:
// 80).
const maxAccountPage = 80

// writeAccountPage answers a page of accounts with the Link header that
// pages on through it.
func (a *API) writeAccountPage(w http.ResponseWriter, r *http.Request, page *storage.AccountPage) {
	out, err := a.accountEntities(r.Context(), page.Actors)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if n := len(page.Cursors); n > 0 {
		a.setLinks(w, r, page.Cursors[0], page.Cursors[n-1])
	}
	writeJSON(w, http.StatusOK, out)
}

// listAccounts answers a list of accounts read with the request's page.
func (a *API) listAccounts(w http.ResponseWriter, r *http.Request, list func(storage.IDPage) (*storage.AccountPage, error)) {
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	page, err := readPage(p, maxAccountPage)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	accounts, err := list(page)
	if err != nil {
		a.failAccount(w, r, err)
		return
	}
	a.writeAccountPage(w, r, accounts)
}

// viewerID is the caller's actor id, "" for the public.
func (c *caller) viewerID() string {
	if c.Member == nil {
		return storage.Stranger
	}
	return c.Member.ID
}

// followers answers GET /api/v1/accounts/:id/followers. A member who
// hides their network shows an empty list to everyone else, as Mastodon
// does with hide_collections.
func (a *API) followers(w http.ResponseWriter, r *http.Request, c *caller) {
	a.followList(w, r, c, a.db.FollowersPage)
}

// following answers GET /api/v1/accounts/:id/following, as followers.
func (a *API) following(w http.ResponseWriter, r *http.Request, c *caller) {
	a.followList(w, r, c, a.db.FollowingPage)
}

func (a *API) followList(w http.ResponseWriter, r *http.Request, c *caller,
	list func(ctx context.Context, viewerID, actorID string, page storage.IDPage) (*storage.AccountPage, error)) {
	actor, err := a.db.AccountByID(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		a.failAccount(w, r, err)
		return
	}
	a.listAccounts(w, r, func(page storage.IDPage) (*storage.AccountPage, error) {
		return list(r.Context(), c.viewerID(), actor.ID, page)
	})
}

// followRequests answers GET /api/v1/follow_requests: who waits for the
// caller's approval.
func (a *API) followRequests(w http.ResponseWriter, r *http.Request, c *caller) {
	a.listAccounts(w, r, func(page storage.IDPage) (*storage.AccountPage, error) {
		return a.db.FollowRequestsPage(r.Context(), c.Member.ID, page)
	})
}

// blocks answers GET /api/v1/blocks.
func (a *API) blocks(w http.ResponseWriter, r *http.Request, c *caller) {
	a.listAccounts(w, r, func(page storage.IDPage) (*storage.AccountPage, error) {
		return a.db.BlockedPage(r.Context(), c.Member.ID, page)
	})
}

// mutes answers GET /api/v1/mutes: the accounts and subwikis the caller
// muted.
func (a *API) mutes(w http.ResponseWriter, r *http.Request, c *caller) {
	a.listAccounts(w, r, func(page storage.IDPage) (*storage.AccountPage, error) {
		return a.db.MutedPage(r.Context(), c.Member.ID, page)
	})
}

// decideFollowRequest answers POST /api/v1/follow_requests/:id/authorize
// and .../reject with the caller's relationship to the account.
func (a *API) decideFollowRequest(w http.ResponseWriter, r *http.Request, c *caller) {
	id := mux.Vars(r)["id"]
	var err error
	if mux.Vars(r)["decision"] == "authorize" {
		err = a.db.ApproveFollower(r.Context(), c.Member.ID, id)
	} else {
		err = a.db.RejectFollower(r.Context(), c.Member.ID, id)
	}
	if err != nil {
		a.failAccount(w, r, err)
		return
	}
	a.answerRelationship(w, r, c, id)
}
