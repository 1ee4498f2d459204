package main

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
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

// mustReadFeed is readFeed without the answer.
func mustReadFeed(t *testing.T, inst *instance, path string) *atomFeed {
	t.Helper()
	f, _ := readFeed(t, inst, path)
	return f
}
