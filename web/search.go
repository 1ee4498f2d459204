package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// searchPage is the data of the search page and of a hashtag's page.
type searchPage struct {
	Query   string
	Subwiki string // the filters, as form fields
	Author  string
	Tag     string // on /tags/{tag}: the hashtag, normalized
	Error   string
	// SignIn: the lookup needs a member, so the page offers to sign in
	// and come back to it.
	SignIn string
	// Results are the posts found, nil before a search; Person is the
	// account here whose name was searched as a word, offered as a link.
	Results *storage.FeedPage
	Person  *storage.Actor
	// More is the address of the next page of results.
	More string
}

// search answers the search box. An account's address or a handle
// (@name, @name@server) opens its profile, as it always did; anything
// else searches the posts the visitor may see (storage.Search: words,
// #hashtags, in:subwiki, from:@author), with the subwiki and author
// fields as filters.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	query := r.URL.Query()
	page := searchPage{Query: strings.TrimSpace(query.Get("q")),
		Subwiki: strings.TrimSpace(query.Get("subwiki")), Author: strings.TrimSpace(query.Get("author"))}
	switch {
	case page.Query == "" && page.Subwiki == "" && page.Author == "":
		s.render(w, r, http.StatusOK, "search", "Search", page)
	case accountLookup(page.Query) && page.Subwiki == "" && page.Author == "":
		s.lookUpAccount(w, r, page.Query)
	default:
		s.searchPosts(w, r, page, storage.SearchQuery{Text: page.Query, Subwiki: page.Subwiki, Author: page.Author})
	}
}

// tag lists the posts with a hashtag, newest first.
func (s *Server) tag(w http.ResponseWriter, r *http.Request) {
	tag := storage.NormalizeHashtag(mux.Vars(r)["tag"])
	if tag == "" {
		s.renderError(w, r, http.StatusBadRequest, "That is not a hashtag: hashtags are letters, digits and _.")
		return
	}
	s.searchPosts(w, r, searchPage{Tag: tag}, storage.SearchQuery{Tag: tag})
}

// searchPosts shows a page of the posts the query finds.
func (s *Server) searchPosts(w http.ResponseWriter, r *http.Request, page searchPage, q storage.SearchQuery) {
	title := "Search"
	if page.Tag != "" {
		title = "#" + page.Tag
	}
	q.Before, q.Limit = r.URL.Query().Get("before"), FeedPageSize
	results, err := s.db.Search(r.Context(), viewerOf(r), q)
	if err != nil {
		status, msg := s.failure(r, err)
		page.Error = msg
		s.render(w, r, status, "search", title, page)
		return
	}
	page.Results = results
	if results.Next != "" {
		next := r.URL.Query()
		next.Set("before", results.Next)
		page.More = r.URL.Path + "?" + next.Encode()
	}
	if word := page.Query; word != "" && !strings.ContainsAny(word, " #:@") && r.URL.Query().Get("before") == "" {
		// Someone here may be called what was searched, as before search
		// found words: offer their profile.
		page.Person, _ = s.db.ActorByHandle(r.Context(), strings.ToLower(word), s.cfg.Domain)
	}
	s.render(w, r, http.StatusOK, "search", title, page)
}

// lookUpAccount finds an account by handle (@name@server) or profile
// URL, on this server or another, and opens its profile; the address of
// a post stored here opens the post. Anyone may
// look up the members and subwikis of this server; a lookup that
// fetches from another server takes a signed-in member, as Mastodon's
// resolve does, so that visitors cannot make this server send requests
// anywhere, and counts against the member's limit of remote lookups.
func (s *Server) lookUpAccount(w http.ResponseWriter, r *http.Request, q string) {
	if isAddress(q) {
		// The address of a post known here opens it, fetching nothing.
		if p, err := s.db.PostByURI(r.Context(), q); err == nil {
			if visible, err := s.db.VisiblePost(r.Context(), viewerOf(r), p.ID); err == nil {
				http.Redirect(w, r, postPath(visible), http.StatusSeeOther)
				return
			}
		}
	}
	if s.remoteLookup(q) {
		me := currentMember(r)
		if me == nil {
			s.render(w, r, http.StatusUnauthorized, "search", "Search", searchPage{
				Query:  q,
				Error:  "Sign in to look up people on other servers. Anyone may look up the members of this one.",
				SignIn: "/signin?next=" + url.QueryEscape(r.URL.RequestURI()),
			})
			return
		}
		if err := s.allow(w, s.limits.remoteLookups, me.ID); err != nil {
			status, msg := s.failure(r, err)
			s.render(w, r, status, "search", "Search", searchPage{Query: q, Error: msg})
			return
		}
	}
	actor, err := s.lookUp(r, q)
	if err != nil {
		status, msg := s.failure(r, err)
		if status == http.StatusInternalServerError {
			status, msg = http.StatusBadGateway, "That server did not answer as expected. Check the address and try again."
		}
		s.render(w, r, status, "search", "Search", searchPage{Query: q, Error: msg})
		return
	}
	http.Redirect(w, r, profilePath(actor), http.StatusSeeOther)
}

// accountLookup reports whether q names an account rather than words to
// search for: one web address, @name, or name@server.
func accountLookup(q string) bool {
	if len(strings.Fields(q)) != 1 {
		return false
	}
	if isAddress(q) {
		return true
	}
	if strings.HasPrefix(q, "@") {
		return true
	}
	lower := strings.ToLower(q)
	_, ok := handleHost(q)
	return ok && !strings.HasPrefix(lower, "from:") && !strings.HasPrefix(lower, "in:")
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
		return nil, storage.Errorf(storage.ENotFound, "Nobody here is called @%s. For someone on another server, search @name@server; for posts about it, search the word.", name)
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
