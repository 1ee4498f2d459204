package federation

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// Max ages other servers and proxies may keep a document for
// (Cache-Control); within them they may show an old display name.
const (
	actorMaxAge     = 60
	webfingerMaxAge = 3600
	nodeInfoMaxAge  = 1800
)

// documentBuilder renders a document and says how long other servers may
// keep it (seconds; zero for "ask again each time").
type documentBuilder func(ctx context.Context) (body []byte, maxAge int, err error)

// cachedDocument returns the document kept under key, building it (and
// keeping it) when there is none current. ttl, when not zero, also ends
// the entry after that long.
func (f *Federator) cachedDocument(ctx context.Context, key string, ttl time.Duration, build documentBuilder) (*cachedDocument, error) {
	// The generation is read before the document is built: a commit
	// during the build moves it, and the entry is then already stale.
	generation := f.db.ChangeGeneration(ctx)
	now := time.Now()
	if d := f.documents.get(key, generation, now); d != nil {
		return d, nil
	}
	body, maxAge, err := build(ctx)
	if err != nil {
		return nil, err
	}
	d := newCachedDocument(key, body, maxAge, generation)
	if ttl > 0 {
		d.expires = now.Add(ttl)
	}
	f.documents.put(d)
	return d, nil
}

// serveCached answers with a kept document: its ETag, its Cache-Control
// unless the route set one already (authorized fetch answers "private"),
// and 304 Not Modified when the client holds these bytes.
func (f *Federator) serveCached(w http.ResponseWriter, r *http.Request, d *cachedDocument, contentType string) {
	h := w.Header()
	h["Etag"] = d.etag
	if _, set := h["Cache-Control"]; !set {
		h["Cache-Control"] = d.cacheControl
	}
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, d.etag[0]) {
		h.Set("Vary", "Accept")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeJSON(w, contentType, http.StatusOK, d.body)
}

// etagMatches reports whether an If-None-Match header names etag, by the
// weak comparison RFC 9110 prescribes for it.
func etagMatches(header, etag string) bool {
	for part := range strings.SplitSeq(header, ",") {
		part = strings.TrimPrefix(strings.TrimSpace(part), "W/")
		if part == "*" || part == etag {
			return true
		}
	}
	return false
}
