package main

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// The publisher's description fills the card, never the commentary.
func TestLinkDescriptionIsThePublishersNotTheMembers(t *testing.T) {
	const description = "Satellite images show the fastest retreat on record."
	news := newsSite(t, "Glacier retreats 2 km in a decade", description)
	inst := startInstance(t, federating)
	alice := member(t, inst, "alice")

	alice.get("/compose")
	p := alice.post("/compose", url.Values{"action": {"preview"}, "kind": {"news"}, "link": {news + "/story"}})
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, `name="headline" value="Glacier retreats 2 km in a decade"`,
		`<input type="hidden" name="link_description" value="`+description+`">`)
	if strings.Contains(p.Body, ">"+description+"</textarea>") {
		t.Errorf("the publisher's description was pasted into the commentary")
	}

	post := publish(t, alice, url.Values{"kind": {"news"}, "link": {news + "/story"}, "headline": {"Glacier retreats 2 km in a decade"},
		"text": {"Worth reading."}, "link_description": {description}, "described_link": {news + "/story"}})
	stored, err := inst.DB.PostByID(context.Background(), post)
	if err != nil {
		t.Fatal(err)
	}
	if stored.LinkDescription != description || stored.Source != "Worth reading." {
		t.Errorf("stored description %q, commentary %q; want %q and %q", stored.LinkDescription, stored.Source, description, "Worth reading.")
	}
	for _, path := range []string{"/posts/" + post, "/@alice"} {
		wantBody(t, alice.get(path), `<blockquote class="card-description"`, description, "The publisher’s description")
	}

	// The hidden field is checked again: too long, or on a discussion.
	alice.get("/compose")
	p = alice.post("/compose", url.Values{"action": {"publish"}, "kind": {"news"}, "link": {news + "/story"}, "headline": {"Long"},
		"link_description": {strings.Repeat("a", 501)}, "described_link": {news + "/story"}})
	wantStatus(t, p, http.StatusBadRequest)
	wantBody(t, p, "at most 500 characters")
	disc := publish(t, alice, url.Values{"kind": {"discussion"}, "headline": {"Talk"}, "text": {"Hi"}, "link_description": {"Sneaky"}, "described_link": {""}})
	if got, _ := inst.DB.PostByID(context.Background(), disc); got.LinkDescription != "" {
		t.Errorf("a discussion kept a link description %q", got.LinkDescription)
	}
	// A description read for another link is dropped.
	other := publish(t, alice, url.Values{"kind": {"news"}, "link": {"https://elsewhere.example/"}, "headline": {"Other"},
		"link_description": {description}, "described_link": {news + "/story"}})
	if got, _ := inst.DB.PostByID(context.Background(), other); got.LinkDescription != "" {
		t.Errorf("a news post kept the description of another link: %q", got.LinkDescription)
	}
}

// newsSite starts a news site on loopback whose /story page describes
// itself with the title and description, and returns its address.
func newsSite(t *testing.T, title, description string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/story" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><title>Story | Daily</title>
<meta property="og:title" content="%s"><meta property="og:description" content="%s">
<meta property="og:site_name" content="The Daily Planet"></head><body>The story.</body></html>`,
			html.EscapeString(title), html.EscapeString(description))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
