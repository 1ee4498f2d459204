package main

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// feedSite is an instance with s/science, moderated by alice, and posts
// of alice and bob: the posts' ids, oldest first.
type feedSite struct {
	inst       *instance
	alice, bob *visitor
	science    string // the subwiki's id
	news       string // alice's news post in s/science
	discussion string // bob's discussion in s/science
	own        string // alice's discussion on her profile
}

func newFeedSite(t *testing.T) *feedSite {
	t.Helper()
	inst := startInstance(t, func(c *Config) {
		c.Server.InstanceName = "Daily Tidings"
		c.Server.Description = "News from the valley & beyond"
	})
	inst.DB.Corrections.MinAccountAge = 0
	f := &feedSite{inst: inst, alice: member(t, inst, "alice"), bob: member(t, inst, "bob")}
	createSubwiki(t, f.alice, "science", "Science", url.Values{"description": {"Research <news>"}})
	f.bob.get("/s/science")
	wantStatus(t, f.bob.post("/s/science/join", nil), http.StatusSeeOther)
	f.science = subwikiID(t, inst, "science")
	f.news = publish(t, f.alice, url.Values{"kind": {"news"}, "subwiki": {f.science},
		"link": {"https://www.news.example/cure"}, "headline": {"Miracle cure found"}, "text": {"Read *with care*."}})
	f.discussion = publish(t, f.bob, url.Values{"kind": {"discussion"}, "subwiki": {f.science},
		"headline": {"Ask me about bees"}, "text": {"I keep bees."}})
	f.own = publish(t, f.alice, url.Values{"kind": {"discussion"}, "headline": {"My garden"}, "text": {"Roses."}})
	return f
}

// TestAtomFeedsHoldThePublicPosts: the instance's, a subwiki's and a
// member's news feeds are valid Atom, hold the posts the database has,
// newest first, each with its headline, links, commentary, author and
// dates, and leave out what is not public.
func TestAtomFeedsHoldThePublicPosts(t *testing.T) {
	ctx := context.Background()
	f := newFeedSite(t)
	inst := f.inst

	// carl, on another server, posts into s/science with each visibility.
	carlURI := "https://carl.example/users/carl"
	carl, err := inst.DB.SaveRemoteActor(ctx, storage.RemoteActor{URI: carlURI, Kind: storage.KindPerson, Username: "carl",
		DisplayName: "Carl", URL: "https://carl.example/@carl", Inbox: carlURI + "/inbox", KeyID: carlURI + "#main-key",
		PublicKeyPEM: hostilePublicPEM(t)})
	if err != nil {
		t.Fatal(err)
	}
	carls := map[string]string{}
	for _, v := range visibilities {
		p, err := inst.DB.SaveRemotePost(ctx, storage.RemotePost{URI: "https://carl.example/posts/" + v, AuthorID: carl.ID,
			Kind: storage.KindNews, Headline: "Carl's " + v + " news", LinkURL: "https://paper.example/" + v,
			Content: "<p>carl-" + v + "</p>", Visibility: v, SubwikiID: f.science})
		if err != nil {
			t.Fatal(err)
		}
		carls[v] = p.ID
	}
	comment(t, f.bob, f.news, "A comment is no entry")

	public, _ := readFeed(t, inst, "/feed.atom")
	if public.Title != "Daily Tidings" || public.Subtitle != "News from the valley & beyond" {
		t.Errorf("public feed: title %q, subtitle %q; want the instance's name and description", public.Title, public.Subtitle)
	}
	wantEntries(t, inst, public, f.own, f.discussion, f.news)
	if public.Updated != public.Entries[0].Updated {
		t.Errorf("public feed updated %q, want the newest entry's %q", public.Updated, public.Entries[0].Updated)
	}

	science, _ := readFeed(t, inst, "/s/science/feed.atom")
	if !strings.Contains(science.Title, "Science") || science.Subtitle != "Research <news>" {
		t.Errorf("s/science's feed: title %q, subtitle %q; want its title and description", science.Title, science.Subtitle)
	}
	wantEntries(t, inst, science, carls[storage.Public], f.discussion, f.news)

	alice, _ := readFeed(t, inst, "/@alice/feed.atom")
	if !strings.Contains(alice.Title, "alice") {
		t.Errorf("alice's feed: title %q, want her name", alice.Title)
	}
	wantEntries(t, inst, alice, f.own, f.news)
	wantEntries(t, inst, mustReadFeed(t, inst, "/@bob/feed.atom"), f.discussion)

	// A feed holds the newest 50.
	var newest []string
	for i := range 52 {
		p, err := inst.DB.Publish(ctx, storage.PostCreate{AuthorID: actorOf(t, inst, "bob").ID, Kind: storage.KindDiscussion,
			Headline: "Bee diary, day " + strings.Repeat("I", i%5+1), Text: "Buzz."})
		if err != nil {
			t.Fatal(err)
		}
		newest = append([]string{p.ID}, newest...)
	}
	wantEntries(t, inst, mustReadFeed(t, inst, "/@bob/feed.atom"), newest[:50]...)
}

// TestAtomFeedsOfNobody: a feed of an account on another server, of a
// suspended member, of nobody or of no subwiki is not found.
func TestAtomFeedsOfNobody(t *testing.T) {
	f := newFeedSite(t)
	remotePost(t, f.inst, "elsewhere.example", "Volcano erupts", "")
	if _, err := f.inst.DB.SuspendMember(context.Background(), storage.ByOperator, "bob", "Spam"); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/@dora@elsewhere.example/feed.atom", "/@bob/feed.atom", "/@nobody/feed.atom",
		"/s/nothing/feed.atom", "/@science/feed.atom"} {
		if a := fetchFeed(t, f.inst, http.MethodGet, path, nil); a.Status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, a.Status)
		}
	}
	// Bob's posts leave the other feeds with him.
	for _, path := range []string{"/feed.atom", "/s/science/feed.atom"} {
		if body := fetchFeed(t, f.inst, http.MethodGet, path, nil).Body; strings.Contains(body, "Ask me about bees") {
			t.Errorf("%s still holds suspended bob's post", path)
		}
	}
	if a := fetchFeed(t, f.inst, http.MethodPost, "/feed.atom", nil); a.Status != http.StatusMethodNotAllowed {
		t.Errorf("POST /feed.atom: %d, want 405", a.Status)
	}
}

// TestAtomFeedsAdvertised: the front page, a subwiki's page and a
// member's profile name their feed in the head, for news readers, and
// link to it where people see it; each link leads to a feed. A remote
// account's profile names none.
func TestAtomFeedsAdvertised(t *testing.T) {
	f := newFeedSite(t)
	remotePost(t, f.inst, "elsewhere.example", "Volcano erupts", "")
	for _, c := range []struct{ page, feed string }{
		{"/", "/feed.atom"}, {"/s/science", "/s/science/feed.atom"}, {"/@alice", "/@alice/feed.atom"},
	} {
		for _, v := range []*visitor{newVisitor(t, f.inst), f.bob} {
			p := v.get(c.page)
			wantStatus(t, p, http.StatusOK)
			head, _, _ := strings.Cut(p.Body, "</head>")
			if !strings.Contains(head, `<link rel="alternate" type="application/atom+xml"`) || !strings.Contains(head, `href="`+c.feed+`"`) {
				t.Errorf("%s does not advertise %s in its head:\n%s", c.page, c.feed, head)
			}
			wantBody(t, p, `<a href="`+c.feed+`" type="application/atom+xml"`, "Atom feed</a>")
		}
		mustReadFeed(t, f.inst, c.feed)
	}
	p := f.bob.get("/@dora@elsewhere.example")
	wantStatus(t, p, http.StatusOK)
	if strings.Contains(p.Body, "application/atom+xml") {
		t.Errorf("a remote account's profile advertises a feed here")
	}
}

// TestAtomFeedsWithoutPosts: a new instance's feed and a new subwiki's
// are valid Atom without entries, dated by their beginning.
func TestAtomFeedsWithoutPosts(t *testing.T) {
	ctx := context.Background()
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	createSubwiki(t, alice, "quiet", "Quiet", nil)
	sub, err := inst.DB.SubwikiByName(ctx, "quiet")
	if err != nil {
		t.Fatal(err)
	}
	self, err := inst.DB.InstanceActor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for path, since := range map[string]time.Time{"/feed.atom": self.Published, "/s/quiet/feed.atom": sub.CreatedAt} {
		f, a := readFeed(t, inst, path)
		if len(f.Entries) != 0 || f.Updated != since.UTC().Format(time.RFC3339) {
			t.Errorf("%s: %d entries, updated %q; want none, updated %s", path, len(f.Entries), f.Updated, since)
		}
		if got, want := a.Header.Get("Last-Modified"), since.UTC().Format(http.TimeFormat); got != want {
			t.Errorf("%s: Last-Modified %q, want %q", path, got, want)
		}
	}
}

// TestAtomFeedEscapesHostileText: headlines, names and descriptions
// written to break out of XML or HTML stay text in a well-formed feed,
// and entries round-trip to what the database holds.
func TestAtomFeedEscapesHostileText(t *testing.T) {
	ctx := context.Background()
	f := newFeedSite(t)
	inst := f.inst
	hostile := `</title><script>alert(1)</script> & "q" ]]> <![CDATA[x]]>`
	local := publish(t, f.alice, url.Values{"kind": {"news"}, "subwiki": {f.science}, "link": {"https://news.example/?a=1&b=<2>"},
		"headline": {hostile}, "text": {"</content><entry>" + hostile}, "content_warning": {"</summary>" + hostile}})
	dora, _ := remotePost(t, inst, "elsewhere.example", "Elsewhere", "")
	if _, err := inst.DB.SaveRemotePost(ctx, storage.RemotePost{URI: "https://elsewhere.example/posts/2", AuthorID: dora.ID,
		Kind: storage.KindDiscussion, Headline: "\x01Ctrl\x0b " + hostile + "\uFFFE", Content: `<p onclick="x()">` + hostile + `<script>bad()</script></p>`,
		Visibility: storage.Public, SubwikiID: f.science}); err != nil {
		t.Fatal(err)
	}
	science := mustReadFeed(t, inst, "/s/science/feed.atom")
	var ids []string
	for _, e := range science.Entries {
		ids = append(ids, strings.TrimPrefix(e.link("alternate"), inst.DB.Site.Base()+"/posts/"))
	}
	wantEntries(t, inst, science, ids...)
	if science.Entries[1].Title != hostile || !strings.HasSuffix(science.Entries[1].link("alternate"), local) {
		t.Errorf("alice's entry: title %q, want %q", science.Entries[1].Title, hostile)
	}
	if !strings.HasPrefix(science.Entries[1].Content.Body, "<p><strong>Content warning: "+html.EscapeString("</summary>"+hostile)) {
		t.Errorf("alice's entry content %q, want her content warning first", science.Entries[1].Content.Body)
	}
	for _, e := range science.Entries {
		if strings.Contains(e.Content.Body, "<script") || strings.Contains(e.Content.Body, "onclick") {
			t.Errorf("entry content %q carries a script", e.Content.Body)
		}
	}
	wellFormed(t, fetchFeed(t, inst, http.MethodGet, "/feed.atom", nil).Body)
}
