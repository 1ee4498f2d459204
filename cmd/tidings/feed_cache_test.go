package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAtomFeedCaching: a feed carries an ETag and Last-Modified, answers
// 304 to a reader whose copy is current, HEAD tells the same without the
// body, and the ETag changes with a new post, a corrected headline and
// a removal, each of which the next fetch shows.
func TestAtomFeedCaching(t *testing.T) {
	f := newFeedSite(t)
	inst := f.inst
	for _, path := range []string{"/feed.atom", "/s/science/feed.atom", "/@alice/feed.atom"} {
		_, a := readFeed(t, inst, path)
		etag, modified := a.Header.Get("ETag"), a.Header.Get("Last-Modified")
		if !strings.HasPrefix(etag, `"`) || modified == "" {
			t.Fatalf("%s: ETag %q, Last-Modified %q; want both", path, etag, modified)
		}
		if got := a.Header.Get("Cache-Control"); got != "public, max-age=300" {
			t.Errorf("%s: Cache-Control %q, want public, max-age=300", path, got)
		}
		if got := a.Header.Get("Set-Cookie"); got != "" {
			t.Errorf("%s sets a cookie, which keeps caches from sharing it: %q", path, got)
		}
		for _, h := range []map[string]string{{"If-None-Match": etag}, {"If-None-Match": `"other", ` + etag},
			{"If-Modified-Since": modified}} {
			if b := fetchFeed(t, inst, http.MethodGet, path, h); b.Status != http.StatusNotModified || b.Body != "" {
				t.Errorf("%s with %v: %d %q, want 304 without a body", path, h, b.Status, b.Body)
			}
		}
		stale := fetchFeed(t, inst, http.MethodGet, path, map[string]string{"If-None-Match": `"stale"`})
		if stale.Status != http.StatusOK || stale.Body != a.Body {
			t.Errorf("%s with a stale ETag: %d, want 200 and the feed", path, stale.Status)
		}
		head := fetchFeed(t, inst, http.MethodHead, path, nil)
		if head.Status != http.StatusOK || head.Body != "" || head.Header.Get("ETag") != etag ||
			head.Header.Get("Content-Type") != a.Header.Get("Content-Type") || head.Header.Get("Content-Length") != a.Header.Get("Content-Length") {
			t.Errorf("HEAD %s: %d, headers %v; want the GET's headers without a body", path, head.Status, head.Header)
		}
	}

	// changes runs change, then wants each feed fetched again to differ
	// from the copy a reader had, and its entries to be the posts.
	type copyOf struct{ etag, body string }
	copies := map[string]copyOf{}
	keep := func() {
		for _, path := range []string{"/feed.atom", "/s/science/feed.atom", "/@alice/feed.atom"} {
			_, a := readFeed(t, inst, path)
			copies[path] = copyOf{a.Header.Get("ETag"), a.Body}
		}
	}
	changed := func(what string, want map[string][]string) {
		t.Helper()
		for path, ids := range want {
			old := copies[path]
			a := fetchFeed(t, inst, http.MethodGet, path, map[string]string{"If-None-Match": old.etag})
			if a.Status != http.StatusOK || a.Header.Get("ETag") == old.etag {
				t.Errorf("%s after %s: %d, ETag %q; want 200 and a new ETag", path, what, a.Status, a.Header.Get("ETag"))
			}
			wantEntries(t, inst, mustReadFeed(t, inst, path), ids...)
		}
	}

	keep()
	newer := publish(t, f.alice, url.Values{"kind": {"discussion"}, "subwiki": {f.science},
		"headline": {"Comet seen tonight"}, "text": {"Look east."}})
	changed("a new post", map[string][]string{
		"/feed.atom":           {newer, f.own, f.discussion, f.news},
		"/s/science/feed.atom": {newer, f.discussion, f.news},
		"/@alice/feed.atom":    {newer, f.own, f.news},
	})

	// Bob corrects alice's headline: the entry shows the new headline,
	// dated by the correction, with bob credited beside alice.
	keep()
	form := "/posts/" + f.news + "/headline"
	f.bob.get(form)
	if p := f.bob.post(form, url.Values{"base_revision": {"1"}, "headline": {"Trial of a new cure begins"},
		"reason": {"Nothing is found yet"}, "source_url": {""}}); p.Status != http.StatusSeeOther {
		t.Fatalf("bob's correction: %d %s", p.Status, p.Body)
	}
	changed("a correction", map[string][]string{
		"/feed.atom":           {newer, f.own, f.discussion, f.news},
		"/s/science/feed.atom": {newer, f.discussion, f.news},
		"/@alice/feed.atom":    {newer, f.own, f.news},
	})
	for _, e := range mustReadFeed(t, inst, "/@alice/feed.atom").Entries {
		if e.ID == inst.DB.Site.PostURI(f.news) && (e.Contributor == nil || e.Contributor.Name != "bob" || e.Updated == e.Published) {
			t.Errorf("corrected entry: contributor %+v, updated %q, published %q; want bob, updated after", e.Contributor, e.Updated, e.Published)
		}
	}

	// Alice, moderating s/science, removes bob's discussion.
	keep()
	f.alice.get("/posts/" + f.discussion)
	if p := f.alice.post("/posts/"+f.discussion+"/remove", url.Values{"reason": {"Off topic"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("removal: %d %s", p.Status, p.Body)
	}
	changed("a removal", map[string][]string{
		"/feed.atom":           {newer, f.own, f.news},
		"/s/science/feed.atom": {newer, f.news},
	})
	wantEntries(t, inst, mustReadFeed(t, inst, "/@bob/feed.atom"))
}
