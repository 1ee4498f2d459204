package api

import (
	"net/http"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// maxAccountResults is the most accounts a search answers (Mastodon: 80).
const maxAccountResults = 80

// searchAccounts answers GET /api/v1/accounts/search?q=&resolve=: the
// accounts known here whose names start with q. With resolve=true, a
// signed-in member's name@server of an account not known here is looked
// up on its server (WebFinger), as the site's search does; visitors
// cannot make this server send requests anywhere. Only the first page
// is answered: an offset past it finds nothing.
func (a *API) searchAccounts(w http.ResponseWriter, r *http.Request, c *caller) {
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	q := strings.TrimSpace(p.string("q"))
	limit, _, err := p.integer("limit")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if limit <= 0 {
		limit = defaultPageLimit
	}
	limit = min(limit, maxAccountResults)
	offset, _, err := p.integer("offset")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	resolve, _, err := p.boolean("resolve")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if offset > 0 {
		writeJSON(w, http.StatusOK, []account{})
		return
	}
	var found []*storage.Actor
	if resolve && c.Member != nil {
		if actor := a.resolveAccount(r, q); actor != nil {
			found = append(found, actor)
		}
	}
	list, err := a.db.SearchAccounts(r.Context(), q, limit)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	for _, actor := range list {
		if len(found) == limit {
			break
		}
		if len(found) == 0 || actor.ID != found[0].ID {
			found = append(found, actor)
		}
	}
	out, err := a.accountEntities(r.Context(), found)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// resolveAccount looks up the account of a handle on another server
// through WebFinger; nil when q is no such handle or its server does
// not know it.
func (a *API) resolveAccount(r *http.Request, q string) *storage.Actor {
	name, host, ok := strings.Cut(strings.TrimPrefix(q, "@"), "@")
	if !ok || name == "" || host == "" || strings.EqualFold(host, a.cfg.Domain) || a.fed == nil {
		return nil
	}
	actor, err := a.fed.ResolveHandle(r.Context(), q)
	if err != nil {
		a.log.Debug("resolve account", "q", q, "err", err)
		return nil
	}
	return actor
}
