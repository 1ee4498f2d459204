package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// searchPage is the data of the search page.
type searchPage struct {
	Query string
	Error string
	// SignIn: the lookup needs a member, so the page offers to sign in
	// and come back to it.
	SignIn string
}

// search finds an account by handle (@name@server) or profile URL, on
// this server or another, and opens its profile. Anyone may look up the
// members and subwikis of this server; a lookup that fetches from
// another server takes a signed-in member, as Mastodon's resolve does,
// so that visitors cannot make this server send requests anywhere, and
// counts against the member's limit of remote lookups.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		s.render(w, r, http.StatusOK, "search", "Find people", searchPage{})
		return
	}
	if s.remoteLookup(q) {
		me := currentMember(r)
		if me == nil {
			s.render(w, r, http.StatusUnauthorized, "search", "Find people", searchPage{
				Query:  q,
				Error:  "Sign in to look up people on other servers. Anyone may look up the members of this one.",
				SignIn: "/signin?next=" + url.QueryEscape(r.URL.RequestURI()),
			})
			return
		}
		if err := s.allow(w, s.limits.remoteLookups, me.ID); err != nil {
			status, msg := s.failure(r, err)
			s.render(w, r, status, "search", "Find people", searchPage{Query: q, Error: msg})
			return
		}
	}
	actor, err := s.lookUp(r, q)
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

// lookUp finds the account q names: an address, a handle with a server,
// or a name here.
func (s *Server) lookUp(r *http.Request, q string) (*storage.Actor, error) {
	ctx := r.Context()
	if isAddress(q) {
		return s.fed.ResolveActor(ctx, q)
	}
	if _, ok := handleHost(q); ok {
		return s.fed.ResolveHandle(ctx, q)
	}
	name := strings.ToLower(strings.TrimPrefix(q, "@"))
	actor, err := s.db.ActorByHandle(ctx, name, s.cfg.Domain)
	if err != nil {
		return nil, storage.Errorf(storage.ENotFound, "Nobody here is called @%s. For someone on another server, search @name@server.", name)
	}
	return actor, nil
}

// remoteLookup reports whether looking q up may fetch from another
// server: an address or a handle whose server is not this one.
func (s *Server) remoteLookup(q string) bool {
	if isAddress(q) {
		return !s.db.Site.IsLocal(q)
	}
	host, ok := handleHost(q)
	return ok && !strings.EqualFold(host, s.cfg.Domain)
}

// isAddress reports whether q is a web address rather than a handle.
func isAddress(q string) bool {
	lower := strings.ToLower(q)
	return strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://")
}

// handleHost returns the server of a handle like @name@server.
func handleHost(q string) (string, bool) {
	if strings.Count(strings.TrimPrefix(q, "@"), "@") != 1 {
		return "", false
	}
	_, host, _ := strings.Cut(strings.TrimPrefix(q, "@"), "@")
	return host, true
}
