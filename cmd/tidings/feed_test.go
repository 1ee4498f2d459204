package main

import (
	"context"
	"encoding/xml"
	"html"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// atomFeed is what a test reads of an Atom document (RFC 4287). The
// root must be in the Atom namespace, which its children inherit.
type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri"`
}

type atomEntry struct {
	ID          string      `xml:"id"`
	Title       string      `xml:"title"`
	Updated     string      `xml:"updated"`
	Published   string      `xml:"published"`
	Links       []atomLink  `xml:"link"`
	Author      *atomPerson `xml:"author"`
	Contributor *atomPerson `xml:"contributor"`
	Content     struct {
		Type string `xml:"type,attr"`
		Body string `xml:",chardata"`
	} `xml:"content"`
}

// link returns the href of the first link with the rel, "" for none.
func (e atomEntry) link(rel string) string {
	for _, l := range e.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

// feedAnswer is a news feed as a reader fetched it.
type feedAnswer struct {
	Status int
	Header http.Header
	Body   string
}

// fetchFeed fetches path with the request headers, as a news reader
// does: without cookies.
func fetchFeed(t *testing.T, inst *instance, method, path string, header map[string]string) feedAnswer {
	t.Helper()
	req, err := http.NewRequest(method, inst.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return feedAnswer{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}
}

// readFeed fetches a news feed and checks that it is well-formed Atom
// with every element RFC 4287 requires, served as Atom.
func readFeed(t *testing.T, inst *instance, path string) (*atomFeed, feedAnswer) {
	t.Helper()
	a := fetchFeed(t, inst, http.MethodGet, path, nil)
	if a.Status != http.StatusOK {
		t.Fatalf("GET %s: %d, want 200; body:\n%s", path, a.Status, a.Body)
	}
	if got, want := a.Header.Get("Content-Type"), "application/atom+xml; charset=utf-8"; got != want {
		t.Errorf("GET %s: Content-Type %q, want %q", path, got, want)
	}
	wellFormed(t, a.Body)
	var f atomFeed
	if err := xml.Unmarshal([]byte(a.Body), &f); err != nil {
		t.Fatalf("GET %s is not an Atom feed: %v\n%s", path, err, a.Body)
	}
	self := inst.DB.Site.Base() + path
	if f.ID == "" || f.Title == "" || !isAtomDate(f.Updated) {
		t.Errorf("%s: id %q, title %q, updated %q; want all, updated a date", path, f.ID, f.Title, f.Updated)
	}
	if !slices.Contains(f.Links, atomLink{Rel: "self", Href: self, Type: "application/atom+xml"}) {
		t.Errorf("%s: links %+v, want a self link to %s", path, f.Links, self)
	}
	for _, e := range f.Entries {
		if e.ID == "" || e.Title == "" || !isAtomDate(e.Updated) || !isAtomDate(e.Published) ||
			e.link("alternate") == "" || e.Author == nil || e.Author.Name == "" {
			t.Errorf("%s: entry %+v lacks an id, title, dates, alternate link or author", path, e)
		}
	}
	return &f, a
}

// wellFormed fails the test unless the document is well-formed XML
// throughout, read token by token.
func wellFormed(t *testing.T, doc string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
	}
}

func isAtomDate(s string) bool {
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}

// wantEntries fails the test unless the feed's entries are the posts
// with the ids, in that order, each as the database has it.
func wantEntries(t *testing.T, inst *instance, f *atomFeed, ids ...string) {
	t.Helper()
	var got []string
	for _, e := range f.Entries {
		got = append(got, strings.TrimPrefix(e.link("alternate"), inst.DB.Site.Base()+"/posts/"))
	}
	if !slices.Equal(got, ids) {
		t.Fatalf("%s: entries %v, want %v", f.Title, got, ids)
	}
	for i, e := range f.Entries {
		p, err := inst.DB.PostByID(context.Background(), ids[i])
		if err != nil {
			t.Fatal(err)
		}
		author, err := inst.DB.ActorByID(context.Background(), p.AuthorID)
		if err != nil {
			t.Fatal(err)
		}
		authorName, authorURI := author.DisplayName, author.URL
		if authorName == "" {
			authorName = author.Username
		}
		if author.Local {
			authorURI = inst.DB.Site.ProfileURL(author.Username)
		} else if authorURI == "" {
			authorURI = author.URI
		}
		if e.ID != p.URI || e.Title != xmlText(p.Headline) || e.Published != p.Published.Format(time.RFC3339) {
			t.Errorf("entry %d: id %q, title %q, published %q; want %q, %q, %q", i, e.ID, e.Title, e.Published,
				p.URI, xmlText(p.Headline), p.Published.Format(time.RFC3339))
		}
		if e.Author.Name != authorName || e.Author.URI != authorURI {
			t.Errorf("entry %d: author %+v, want %q at %q", i, e.Author, authorName, authorURI)
		}
		if e.Content.Type != "html" || !strings.Contains(e.Content.Body, p.Content) {
			t.Errorf("entry %d: content (%s) %q, want HTML with %q", i, e.Content.Type, e.Content.Body, p.Content)
		}
		if got := e.link("related"); got != p.LinkURL {
			t.Errorf("entry %d: related link %q, want the news link %q", i, got, p.LinkURL)
		}
		if p.LinkURL != "" && !strings.Contains(e.Content.Body, ">"+strings.TrimPrefix(hostOf(p.LinkURL), "www.")+"</a>") {
			t.Errorf("entry %d: content %q does not name the publisher of %s", i, e.Content.Body, p.LinkURL)
		}
	}
}

// xmlText is the text as XML can carry it: a character XML 1.0 does not
// allow (a control character, U+FFFE) becomes U+FFFD.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		if r == 0x9 || r == 0xA || r == 0xD || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF {
			return r
		}
		return '\uFFFD'
	}, s)
}

func hostOf(link string) string {
	u, _ := url.Parse(link)
	return u.Hostname()
}

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

// mustReadFeed is readFeed without the answer.
func mustReadFeed(t *testing.T, inst *instance, path string) *atomFeed {
	t.Helper()
	f, _ := readFeed(t, inst, path)
	return f
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
