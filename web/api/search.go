package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// maxSearchResults is the most results of each type a search answers,
// as Mastodon's limit of 40.
const maxSearchResults = 40

// searchResults is Mastodon's Search entity (entities/Search.md).
type searchResults struct {
	Accounts []account `json:"accounts"`
	Statuses []status  `json:"statuses"`
	Hashtags []tag     `json:"hashtags"`
}

// tag is Mastodon's Tag entity: a hashtag and its page here. Tidings
// keeps no daily history of hashtags.
type tag struct {
	Name    string     `json:"name"`
	URL     string     `json:"url"`
	History []struct{} `json:"history"`
}

// searchQuery is a search as an app asks it.
type searchQuery struct {
	Q       string
	Type    string // "", "accounts", "statuses" or "hashtags"
	Resolve bool
	Limit   int
	Offset  int
	MaxID   string
}

// wants reports whether the search asks for results of the type.
func (q searchQuery) wants(kind string) bool { return q.Type == "" || q.Type == kind }

// searchRoutes are the search of the site for apps: /api/v2/search, and
// /api/v1/search, which Elk calls on servers it takes for GoToSocial.
func (a *API) searchRoutes(r *mux.Router) {
	h := a.maybeSignedIn("read read:search", a.search)
	r.Handle("/api/v2/search", h).Methods(http.MethodGet)
	r.Handle("/api/v1/search", h).Methods(http.MethodGet)
}

// readSearch reads the parameters of a search.
func readSearch(p params) (searchQuery, error) {
	q := searchQuery{Q: strings.TrimSpace(p.string("q")), Type: p.string("type"), MaxID: p.string("max_id")}
	if q.Q == "" {
		return q, unprocessable("Say what to search for in q.")
	}
	switch q.Type {
	case "", "accounts", "statuses", "hashtags":
	default:
		return q, unprocessable("type must be accounts, statuses or hashtags.")
	}
	var err error
	if q.Resolve, _, err = p.boolean("resolve"); err != nil {
		return q, err
	}
	if q.Limit, _, err = p.integer("limit"); err != nil {
		return q, err
	}
	if q.Limit <= 0 {
		q.Limit = defaultPageLimit
	}
	q.Limit = min(q.Limit, maxSearchResults)
	if q.Offset, _, err = p.integer("offset"); err != nil {
		return q, err
	}
	if q.Offset < 0 {
		return q, unprocessable("offset cannot be negative.")
	}
	return q, nil
}

// search answers GET /api/v2/search as the site's search does: a web
// address opens the post it names, if it is known here, or the account;
// a handle (@name, name@server) the account; anything else finds posts
// by their words, accounts by name and hashtags by their start. With
// resolve=true a signed-in member's address or handle of an account on
// another server is looked up there, counting against the site's limit
// of remote lookups; the public never makes this server fetch. A post
// not known here is not fetched: the site's search does not either.
func (a *API) search(w http.ResponseWriter, r *http.Request, c *caller) {
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	q, err := readSearch(p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	viewer := viewerOf(c)
	var actors []*storage.Actor
	var posts []*storage.Post
	tags := []tag{}
	switch {
	case isAddress(q.Q):
		if post := a.postAt(ctx, viewer, q.Q); post != nil && q.wants("statuses") && q.Offset == 0 {
			posts = append(posts, post)
		} else if q.wants("accounts") && q.Offset == 0 {
			actors, err = a.accountAt(ctx, c, q)
		}
	case handleLike(q.Q):
		if q.wants("accounts") && q.Offset == 0 {
			actors, err = a.accountsNamed(ctx, c, q)
		}
	default:
		if q.wants("accounts") && q.Offset == 0 {
			actors, err = a.accountsNamed(ctx, c, q)
		}
		if err == nil && q.wants("statuses") {
			posts, err = a.postsFound(ctx, viewer, q)
		}
		if err == nil && q.wants("hashtags") && q.Offset == 0 {
			tags, err = a.hashtagsFound(ctx, viewer, q)
		}
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := searchResults{Hashtags: tags}
	if out.Accounts, err = a.accountEntities(ctx, actors); err != nil {
		a.fail(w, r, err)
		return
	}
	if out.Statuses, err = a.statuses(ctx, viewer, posts); err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// isAddress reports whether q is a web address rather than words.
func isAddress(q string) bool {
	lower := strings.ToLower(q)
	return !strings.ContainsAny(q, " \t\n") && (strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://"))
}

// handleLike reports whether q names an account as a handle: @name or
// name@server, one word.
func handleLike(q string) bool {
	if strings.ContainsAny(q, " \t\n") || isAddress(q) {
		return false
	}
	lower := strings.ToLower(q)
	if strings.HasPrefix(lower, "from:") || strings.HasPrefix(lower, "in:") {
		return false
	}
	return strings.HasPrefix(q, "@") || strings.Count(q, "@") == 1
}

// postAt is the post known here at the address, if the viewer may see
// it; nil otherwise.
func (a *API) postAt(ctx context.Context, viewerID, address string) *storage.Post {
	p, err := a.db.PostByURI(ctx, address)
	if err != nil {
		return nil
	}
	visible, err := a.db.VisiblePost(ctx, viewerID, p.ID)
	if err != nil {
		return nil
	}
	return visible
}

// mayResolve reports whether the search may fetch q from another
// server: asked to, by a member, for an address or a handle that is not
// this server's. It takes one from the member's remote lookups.
func (a *API) mayResolve(c *caller, q searchQuery, host string) (bool, error) {
	if !q.Resolve || c.Member == nil || a.fed == nil || host == "" || strings.EqualFold(host, a.cfg.Domain) {
		return false, nil
	}
	if a.cfg.Allowance != nil {
		if err := a.cfg.Allowance(ActionLookup, c.Member.ID); err != nil {
			return false, err
		}
	}
	return true, nil
}

// accountAt is the account at the address: known here, or with resolve
// fetched from its server. An address nobody answers for finds nothing.
func (a *API) accountAt(ctx context.Context, c *caller, q searchQuery) ([]*storage.Actor, error) {
	if actor, err := a.db.ActorByURI(ctx, q.Q); err == nil {
		return []*storage.Actor{actor}, nil
	}
	host := ""
	if _, rest, ok := strings.Cut(q.Q, "://"); ok {
		host, _, _ = strings.Cut(rest, "/")
	}
	fetch, err := a.mayResolve(c, q, host)
	if err != nil || !fetch {
		return nil, err
	}
	actor, err := a.fed.ResolveActor(ctx, q.Q)
	if err != nil {
		a.log.Debug("search resolve", "q", q.Q, "err", err)
		return nil, nil
	}
	return []*storage.Actor{actor}, nil
}

// accountsNamed are the accounts whose names start with q, after the
// one its handle names on another server when resolve fetches it.
func (a *API) accountsNamed(ctx context.Context, c *caller, q searchQuery) ([]*storage.Actor, error) {
	var found []*storage.Actor
	if name, host, ok := strings.Cut(strings.TrimPrefix(q.Q, "@"), "@"); ok && name != "" {
		fetch, err := a.mayResolve(c, q, host)
		if err != nil {
			return nil, err
		}
		if fetch {
			if actor, err := a.fed.ResolveHandle(ctx, name+"@"+host); err == nil {
				found = append(found, actor)
			} else {
				a.log.Debug("search resolve", "q", q.Q, "err", err)
			}
		}
	}
	list, err := a.db.SearchAccounts(ctx, q.Q, q.Limit)
	if storage.ErrorCode(err) == storage.EInvalid {
		return found, nil // no name could be that long
	}
	if err != nil {
		return nil, err
	}
	for _, actor := range list {
		if len(found) == q.Limit {
			break
		}
		if len(found) == 0 || actor.ID != found[0].ID {
			found = append(found, actor)
		}
	}
	return found, nil
}

// postsFound are the posts the site's search finds for the words, the
// page at offset (Mastodon pages searches so) or older than max_id.
func (a *API) postsFound(ctx context.Context, viewerID string, q searchQuery) ([]*storage.Post, error) {
	if q.Offset+q.Limit > storage.MaxSearchLimit {
		return nil, nil // deeper than a search reads; max_id pages further
	}
	page, err := a.db.Search(ctx, viewerID, storage.SearchQuery{Text: q.Q, Before: q.MaxID, Limit: q.Offset + q.Limit})
	if err != nil {
		if q.Type == "" && storage.ErrorCode(err) == storage.EInvalid {
			return nil, nil // not words the posts can be searched by; the rest still answers
		}
		return nil, err
	}
	if q.Offset >= len(page.Posts) {
		return nil, nil
	}
	return page.Posts[q.Offset:min(len(page.Posts), q.Offset+q.Limit)], nil
}

// hashtagsFound are the hashtags that start with q.
func (a *API) hashtagsFound(ctx context.Context, viewerID string, q searchQuery) ([]tag, error) {
	names, err := a.db.SearchHashtags(ctx, viewerID, q.Q, q.Limit)
	if err != nil {
		return nil, err
	}
	out := []tag{}
	for _, name := range names {
		out = append(out, tag{Name: name, URL: a.db.Site.TagBase() + name, History: []struct{}{}})
	}
	return out, nil
}
