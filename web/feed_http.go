package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"

	"github.com/gorilla/feeds"
)

// serveNewsFeed writes the feed as Atom, for GET and HEAD, with what
// lets readers and caches ask again cheaply: an ETag, Last-Modified, and
// 304 Not Modified to a request whose If-None-Match or
// If-Modified-Since still holds (http.ServeContent decides, by RFC 9110:
// If-None-Match first).
//
// The ETag is a hash of the document itself, so it changes with
// anything an entry shows: a new or removed post, a corrected headline,
// an edit, an author's new name. Last-Modified is the newest entry's
// change (publication, edit, correction) or the feed's own.
func (s *Server) serveNewsFeed(w http.ResponseWriter, r *http.Request, f newsFeed) {
	doc, modified, err := s.atom(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var body bytes.Buffer
	if err := feeds.WriteXML(doc, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	sum := sha256.Sum256(body.Bytes())
	h := w.Header()
	h.Set("Content-Type", "application/atom+xml; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	http.ServeContent(w, r, "", modified, bytes.NewReader(body.Bytes()))
}
