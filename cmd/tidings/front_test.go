package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

func TestFrontPageShowsVisitorsTheNewestPublicPosts(t *testing.T) {
	inst := startInstance(t, nil)
	ctx := context.Background()
	alice := member(t, inst, "alice")
	createSubwiki(t, alice, "climate", "Climate", url.Values{"description": {"News about the climate."}})
	createSubwiki(t, alice, "quiet", "Quiet corner", nil)
	publish(t, alice, url.Values{"kind": {"news"}, "subwiki": {subwikiID(t, inst, "climate")},
		"link": {"https://news.example/sea"}, "headline": {"Sea level rise speeds up"}})
	publish(t, alice, url.Values{"kind": {"discussion"}, "headline": {"What are you reading today?"}, "text": {"Tell us."}})
	wantStatus(t, alice.post("/signout", nil), http.StatusSeeOther)

	visitor := newVisitor(t, inst)
	front := visitor.get("/")
	wantStatus(t, front, http.StatusOK)
	wantOrder(t, front, "What are you reading today?", "Sea level rise speeds up")
	wantBody(t, front, `href="/s/climate"`, "Climate", `href="/s/quiet"`, `href="/signup"`, `href="/signin"`)
	if strings.Contains(front.Body, `class="people"`) {
		t.Errorf("the front page lists members; want posts and subwikis")
	}

	// Pages go back with ?before=, as the home feed does.
	alicesID := memberOf(t, inst, "alice").ID
	var last string
	for i := range 32 {
		p, err := inst.DB.Publish(ctx, storage.PostCreate{AuthorID: alicesID, Kind: storage.KindDiscussion,
			Headline: fmt.Sprintf("Morning note %02d", i), Text: "More."})
		if err != nil {
			t.Fatal(err)
		}
		last = p.ID
	}
	front = visitor.get("/")
	wantBody(t, front, "Morning note 31", "Morning note 02", `href="/?before=`)
	if strings.Contains(front.Body, "Morning note 01<") || !strings.Contains(front.Body, last) {
		t.Errorf("the first page does not hold the newest 30 posts")
	}
	i := strings.Index(front.Body, `href="/?before=`)
	next := front.Body[i+len(`href="`):]
	next = next[:strings.IndexByte(next, '"')]
	older := visitor.get(strings.ReplaceAll(next, "&amp;", "&"))
	wantOrder(t, older, "Morning note 01", "Morning note 00", "What are you reading today?", "Sea level rise speeds up")
	if strings.Contains(older.Body, "Morning note 02<") {
		t.Errorf("the second page repeats the first")
	}

	// A member sees their home feed, not the instance's posts.
	bob := member(t, inst, "bob")
	home := bob.get("/")
	wantBody(t, home, "Your feed")
	if strings.Contains(home.Body, "Morning note") {
		t.Errorf("bob's home feed shows posts of an account he does not follow")
	}
}

func TestSkipLinkAndHomeLink(t *testing.T) {
	inst := startInstance(t, nil)
	for _, v := range []*visitor{newVisitor(t, inst), member(t, inst, "alice")} {
		p := v.get("/about")
		_, body, _ := strings.Cut(p.Body, "<body>")
		if first := strings.TrimSpace(body); !strings.HasPrefix(first, `<a class="skip" href="#main">Skip to content</a>`) {
			t.Errorf("the page does not start with the skip link: %.120s", first)
		}
		wantBody(t, p, `<main id="main"`, `<a href="/">Home</a>`)
	}
}

func TestComposeIsFoldedAndPostsWhereTheMemberIs(t *testing.T) {
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	createSubwiki(t, alice, "climate", "Climate", nil)
	createSubwiki(t, alice, "science", "Science", nil)
	climate, science := subwikiID(t, inst, "climate"), subwikiID(t, inst, "science")

	// The home page's form is folded away until asked for, with no post
	// made yet: it posts to the profile.
	home := alice.get("/")
	wantBody(t, home, `<details class="compose-fold">`, `<summary class="button">Write a post</summary>`,
		`<option value="" selected>My profile</option>`)

	// From a subwiki: the compose page posts into it.
	for _, path := range []string{"/compose?in=science", "/compose?subwiki=" + science} {
		wantBody(t, alice.get(path), `<option value="`+science+`" selected>s/science</option>`)
	}
	wantBody(t, alice.get("/s/science"), `<details class="compose-fold">`, "In s/science")
	wantStatus(t, alice.get("/compose?in=nosuch"), http.StatusOK)

	// After posting into climate, the form offers climate first.
	publish(t, alice, url.Values{"kind": {"news"}, "subwiki": {climate}, "link": {"https://news.example/a"}, "headline": {"A"}})
	wantBody(t, alice.get("/"), `<option value="`+climate+`" selected>s/climate</option>`)
	wantBody(t, alice.get("/compose"), `<option value="`+climate+`" selected>s/climate</option>`)
	publish(t, alice, url.Values{"kind": {"discussion"}, "headline": {"B"}, "text": {"On my profile"}})
	wantBody(t, alice.get("/"), `<option value="" selected>My profile</option>`)

	// A form that comes back with an error is open.
	p := alice.post("/compose", url.Values{"action": {"publish"}, "kind": {"news"}, "headline": {"No link"}})
	wantStatus(t, p, http.StatusBadRequest)
	wantBody(t, p, "A news post needs the link to the news.")
}

func TestCorrectionMarkTellsTheTruth(t *testing.T) {
	c := newCorrectionSite(t)
	science := "/s/science"

	// Bob corrects the headline: the feed names him and keeps the
	// original one click away.
	wantStatus(t, c.correct(t, c.bob, "1", "Early trial shows modest effect", "The study says otherwise.", ""), http.StatusSeeOther)
	feed := c.carol.get(science)
	wantBody(t, feed, "Early trial shows modest effect", `Corrected</a> by <a href="/@bob">@bob</a> · revision 2`,
		`<a href="/posts/`+c.post+`/history" title="The headline was corrected`, "<summary>Original headline</summary>", firstHeadline)
	wantBody(t, c.carol.get(c.postPath), `Corrected</a> by <a href="/@bob">@bob</a>`)

	// Alice restores her headline: nothing says "Corrected" any more.
	c.alice.get(c.postPath + "/history")
	p := c.alice.post(c.formPath, url.Values{"base_revision": {"2"}, "revert_to": {"1"}, "reason": {"It was right."}})
	wantStatus(t, p, http.StatusSeeOther)
	for _, path := range []string{science, c.postPath, "/"} {
		page := c.alice.get(path)
		wantBody(t, page, firstHeadline)
		if strings.Contains(page.Body, "Corrected") || strings.Contains(page.Body, `href="/@bob">@bob</a>`) ||
			strings.Contains(page.Body, "Original headline") {
			t.Errorf("%s says the headline is corrected after it was restored", path)
		}
	}
}
