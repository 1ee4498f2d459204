package web

import (
	"net/http"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// searchPage is the data of the search page.
type searchPage struct {
	Query string
	Error string
}

// search finds an account by handle (@name@server) or profile URL, on
// this server or another, and opens its profile.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		s.render(w, r, http.StatusOK, "search", "Find people", searchPage{})
		return
	}
	var actor *storage.Actor
	var err error
	switch {
	case strings.HasPrefix(q, "https://") || strings.HasPrefix(q, "http://"):
		actor, err = s.fed.ResolveActor(r.Context(), q)
	case strings.Count(strings.TrimPrefix(q, "@"), "@") == 1:
		actor, err = s.fed.ResolveHandle(r.Context(), q)
	default:
		name := strings.ToLower(strings.TrimPrefix(q, "@"))
		actor, err = s.db.ActorByHandle(r.Context(), name, s.cfg.Domain)
		if err != nil {
			err = storage.Errorf(storage.ENotFound, "Nobody here is called @%s. For someone on another server, search @name@server.", name)
		}
	}
	if err != nil {
		status, msg := s.failure(r, err)
		if status == http.StatusInternalServerError {
			status, msg = http.StatusBadGateway, "That server did not answer as expected. Check the address and try again."
		}
		s.render(w, r, status, "search", "Find people", searchPage{Query: q, Error: msg})
		return
	}
	http.Redirect(w, r, profilePath(actor), http.StatusSeeOther)
}
