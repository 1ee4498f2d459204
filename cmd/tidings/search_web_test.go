package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSearchFromTheWeb: the search box finds posts and comments by their
// words, narrowed by the subwiki and author fields or by in: and from:
// typed in the box; #tag and /tags/{tag} list a hashtag's posts, and a
// post's hashtag links there; handles still open profiles; what cannot
// be searched gets a 400 with a reason.
func TestSearchFromTheWeb(t *testing.T) {
	inst := startInstance(t, nil)
	alice, bob := member(t, inst, "alice"), member(t, inst, "bob")
	createSubwiki(t, alice, "harbour", "Harbour", nil)
	id := subwikiID(t, inst, "harbour")
	warning := publish(t, alice, url.Values{"kind": {"discussion"}, "subwiki": {id},
		"headline": {"Flood warning for the harbour"}, "text": {"Boats moved inland. #Weather"}})
	relief := publish(t, bob, url.Values{"kind": {"discussion"}, "headline": {"Flood relief volunteers"}, "text": {"Meet at the school."}})
	publish(t, bob, url.Values{"kind": {"discussion"}, "headline": {"Market day"}, "text": {"Stalls open at nine."}})
	bob.get("/posts/" + warning)
	wantStatus(t, bob.post("/posts/"+warning+"/comments", url.Values{"text": {"The ferry stopped too."}}), http.StatusSeeOther)

	v := newVisitor(t, inst)
	box := v.get("/")
	wantBody(t, box, `role="search"`, `aria-label="Search"`)

	found := func(p page) (titles []string) {
		for _, title := range []string{"Flood warning for the harbour", "Flood relief volunteers", "Market day", "The ferry stopped too."} {
			if strings.Contains(p.Body, title) {
				titles = append(titles, title)
			}
		}
		return titles
	}
	tests := []struct {
		query url.Values
		want  []string
	}{
		{url.Values{"q": {"flood"}}, []string{"Flood warning for the harbour", "Flood relief volunteers"}},
		{url.Values{"q": {"FERRY"}}, []string{"The ferry stopped too."}},
		{url.Values{"q": {"flood in:harbour"}}, []string{"Flood warning for the harbour"}},
		{url.Values{"q": {"flood"}, "subwiki": {"harbour"}}, []string{"Flood warning for the harbour"}},
		{url.Values{"q": {"flood from:@bob"}}, []string{"Flood relief volunteers"}},
		{url.Values{"q": {"flood"}, "author": {"bob"}}, []string{"Flood relief volunteers"}},
		{url.Values{"q": {"#weather"}}, []string{"Flood warning for the harbour"}},
		{url.Values{"q": {"coffee"}}, nil},
	}
	for _, tt := range tests {
		p := v.get("/search?" + tt.query.Encode())
		wantStatus(t, p, http.StatusOK)
		if got := found(p); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("search %v found %q, want %q", tt.query, got, tt.want)
		}
	}
	wantBody(t, v.get("/search?q=coffee"), "Nothing found.")

	// The hashtag's page, and the link to it in the post.
	tag := v.get("/tags/Weather")
	wantStatus(t, tag, http.StatusOK)
	wantBody(t, tag, "#weather", "Flood warning for the harbour")
	if strings.Contains(tag.Body, "Flood relief volunteers") {
		t.Error("the hashtag's page lists a post without it")
	}
	wantBody(t, v.get("/posts/"+warning), `href="`+inst.URL+`/tags/weather"`)

	// Handles still open profiles; a word that is a member's name offers them.
	if p := v.get("/search?q=" + url.QueryEscape("@bob")); p.Location != "/@bob" {
		t.Errorf("search @bob: %d to %q", p.Status, p.Location)
	}
	wantBody(t, v.get("/search?q=bob"), `href="/@bob"`)
	if p := v.get("/search?q=" + url.QueryEscape(inst.URL+"/posts/"+relief)); p.Location != "/posts/"+relief {
		t.Errorf("search for a post's address: %d to %q", p.Status, p.Location)
	}

	// Queries that cannot be searched, and hostile ones.
	for _, q := range []string{`"`, `*`, `#`, `in:nowhere flood`, strings.Repeat("x", 1000), "from:alice"} {
		p := v.get("/search?q=" + url.QueryEscape(q))
		wantStatus(t, p, http.StatusBadRequest)
		wantBody(t, p, `role="alert"`)
	}
	for _, q := range []string{`NEAR(`, `a:b`, `flood*`, `"flood"`, `flood AND`, `-flood`} {
		wantStatus(t, v.get("/search?q="+url.QueryEscape(q)), http.StatusOK)
	}
	wantStatus(t, v.get("/tags/no-tag"), http.StatusBadRequest)
}

// Search results page by ?before=, newest first.
func TestSearchPages(t *testing.T) {
	inst := startInstance(t, func(c *Config) { c.Limits.PostsPerHour = 100 })
	alice := member(t, inst, "alice")
	for i := range 32 {
		publish(t, alice, url.Values{"kind": {"discussion"}, "headline": {"Tide table " + string(rune('A'+i))}, "text": {"High water."}})
	}
	v := newVisitor(t, inst)
	first := v.get("/search?q=tide")
	wantBody(t, first, "Tide table `", "Older posts")
	if strings.Contains(first.Body, "Tide table A<") {
		t.Error("the oldest post is on the first page")
	}
	i := strings.Index(first.Body, `href="/search?before=`)
	if i < 0 {
		t.Fatalf("no link to the next page:\n%s", first.Body)
	}
	next, _, _ := strings.Cut(first.Body[i+len(`href="`):], `"`)
	second := v.get(strings.ReplaceAll(next, "&amp;", "&"))
	wantStatus(t, second, http.StatusOK)
	wantBody(t, second, "Tide table A<", "Tide table B<")
	if strings.Contains(second.Body, "Tide table `") {
		t.Error("the newest post is on the second page too")
	}
}
