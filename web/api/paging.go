package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// defaultPageLimit is how many items a list answers when not asked;
// lists allow up to maxLimit (Mastodon: 40 for most, 80 for accounts).
const defaultPageLimit = 20

// readPage reads max_id, since_id, min_id and limit. A limit past
// maxLimit is cut to it, as Mastodon does, not refused.
func readPage(p params, maxLimit int) (storage.IDPage, error) {
	limit, given, err := p.integer("limit")
	if err != nil {
		return storage.IDPage{}, err
	}
	switch {
	case !given || limit <= 0:
		limit = defaultPageLimit
	case limit > maxLimit:
		limit = maxLimit
	}
	return storage.IDPage{MaxID: p.string("max_id"), SinceID: p.string("since_id"), MinID: p.string("min_id"), Limit: limit}, nil
}

// setLinks writes the Link header that apps page with: rel="next" for
// older items (max_id=oldestID), rel="prev" for newer ones
// (min_id=newestID), each keeping the request's other parameters. An
// empty page has no links.
func (a *API) setLinks(w http.ResponseWriter, r *http.Request, newestID, oldestID string) {
	if newestID == "" && oldestID == "" {
		return
	}
	link := func(param, id string) string {
		q := r.URL.Query()
		q.Del("max_id")
		q.Del("min_id")
		q.Del("since_id")
		q.Set(param, id)
		u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
		return "<" + a.cfg.baseURL() + u.RequestURI() + ">"
	}
	var links []string
	if oldestID != "" {
		links = append(links, link("max_id", oldestID)+`; rel="next"`)
	}
	if newestID != "" {
		links = append(links, link("min_id", newestID)+`; rel="prev"`)
	}
	w.Header().Set("Link", strings.Join(links, ", "))
}
