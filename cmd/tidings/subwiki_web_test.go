package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// createSubwiki has the member create a subwiki through the form.
func createSubwiki(t *testing.T, v *visitor, name, title string, extra url.Values) {
	t.Helper()
	wantStatus(t, v.get("/s/new"), http.StatusOK)
	form := url.Values{"name": {name}, "title": {title}}
	for k, vals := range extra {
		form[k] = vals
	}
	p := v.post("/s/new", form)
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location != "/s/"+name {
		t.Fatalf("after creating s/%s, redirected to %q", name, p.Location)
	}
}

// subwikiID returns the id of the instance's subwiki.
func subwikiID(t *testing.T, inst *instance, name string) string {
	t.Helper()
	s, err := inst.DB.SubwikiByName(context.Background(), name)
	if err != nil {
		t.Fatalf("subwiki %s: %v", name, err)
	}
	return s.ID
}

// publish posts the compose form and returns the new post's id.
func publish(t *testing.T, v *visitor, form url.Values) string {
	t.Helper()
	v.get("/compose")
	form.Set("action", "publish")
	p := v.post("/compose", form)
	wantStatus(t, p, http.StatusSeeOther)
	id, ok := strings.CutPrefix(p.Location, "/posts/")
	if !ok {
		t.Fatalf("after publishing, redirected to %q, want a post", p.Location)
	}
	return id
}

// comment posts a comment on a post or a reply to a comment, and returns
// the new comment's id.
func comment(t *testing.T, v *visitor, parentID, text string) string {
	t.Helper()
	p := v.post("/posts/"+parentID+"/comments", url.Values{"text": {text}})
	wantStatus(t, p, http.StatusSeeOther)
	_, id, ok := strings.Cut(p.Location, "#post-")
	if !ok {
		t.Fatalf("after commenting, redirected to %q, want a place in a thread", p.Location)
	}
	return id
}

// wantOrder fails the test unless the texts appear in the page in order,
// each after the one before.
func wantOrder(t *testing.T, p page, texts ...string) {
	t.Helper()
	from := 0
	for i, text := range texts {
		at := strings.Index(p.Body[from:], text)
		if at < 0 {
			if i == 0 {
				t.Fatalf("page does not contain %q; body:\n%s", text, p.Body)
			}
			t.Fatalf("page does not contain %q after %q; body:\n%s", text, texts[i-1], p.Body)
		}
		from += at + len(text)
	}
}

func TestSubwikiCreateFindJoinLeave(t *testing.T) {
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	bob := member(t, inst, "bob")
	domain := inst.Config.Server.Domain

	createSubwiki(t, alice, "climate", "Climate", url.Values{
		"description": {"News about the climate.\nAnd what we do about it."},
		"rules":       {"Link to sources."},
	})
	page := alice.get("/s/climate")
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, "s/climate is ready. You are its moderator.", "<h1>Climate</h1>", "@climate@"+domain,
		"Follow it from Mastodon with this handle", "News about the climate.\nAnd what we do about it.",
		"<summary>Rules</summary>", "Link to sources.", `href="/@alice">@alice</a>`, "<strong>1</strong> member",
		`href="/s/climate/settings"`, "Leave")

	// Bad names are refused with a reason, and nothing is created.
	for _, tt := range []struct{ name, status, msg string }{
		{"climate", "409", "is taken"},
		{"alice", "409", "is taken"},
		{"admin", "409", "is reserved"},
		{"new", "409", "is reserved"},
		{"Bad Name!", "400", "may contain only lowercase letters"},
		{"", "400", "Choose a subwiki name"},
	} {
		p := alice.post("/s/new", url.Values{"name": {tt.name}, "title": {"Another title"}})
		if fmt.Sprint(p.Status) != tt.status {
			t.Errorf("name %q: status %d, want %s", tt.name, p.Status, tt.status)
		}
		wantBody(t, p, tt.msg, `value="Another title"`)
	}
	if list, _ := inst.DB.Subwikis(context.Background(), storage.SubwikiFilter{}); len(list) != 1 {
		t.Errorf("%d subwikis after the refused ones, want 1", len(list))
	}

	// The directory finds it; visitors may read it but not create one.
	dir := bob.get("/s?q=what+we+do")
	wantStatus(t, dir, http.StatusOK)
	wantBody(t, dir, `href="/s/climate"`, "Climate", "@climate@"+domain, "1 member", `href="/s/new"`)
	wantBody(t, bob.get("/s?q=gardening"), "No subwiki matches")
	visitor := newVisitor(t, inst)
	wantBody(t, visitor.get("/s"), `href="/s/climate"`)
	if p := visitor.get("/s/new"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/signin") {
		t.Errorf("a visitor opening /s/new: %d %s, want a redirect to sign in", p.Status, p.Location)
	}
	wantStatus(t, visitor.get("/s/nothing"), http.StatusNotFound)
	if p := bob.get("/@climate"); p.Location != "/s/climate" {
		t.Errorf("/@climate leads to %q, want /s/climate", p.Location)
	}

	// Bob joins and leaves.
	wantBody(t, bob.get("/s/climate"), `action="/s/climate/join"`, ">Join</button>")
	p := bob.post("/s/climate/join", nil)
	wantStatus(t, p, http.StatusSeeOther)
	page = bob.get("/s/climate")
	wantBody(t, page, "You joined s/climate.", ">Leave</button>", "<strong>2</strong> members")
	if strings.Contains(page.Body, `href="/s/climate/settings"`) {
		t.Error("bob, no moderator, sees the settings link")
	}
	wantStatus(t, bob.post("/s/climate/leave", nil), http.StatusSeeOther)
	wantBody(t, bob.get("/s/climate"), "You left s/climate.", ">Join</button>", "<strong>1</strong> member")
}

func TestSubwikiMembersOnlyAndSettings(t *testing.T) {
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	bob := member(t, inst, "bob")
	carol := member(t, inst, "carol")
	createSubwiki(t, alice, "newsroom", "Newsroom", url.Values{"members_only": {"1"}})
	id := subwikiID(t, inst, "newsroom")

	// Bob asks to join; until a moderator lets him in he cannot post.
	wantBody(t, bob.get("/s/newsroom"), "Request to join")
	wantStatus(t, bob.post("/s/newsroom/join", nil), http.StatusSeeOther)
	wantBody(t, bob.get("/s/newsroom"), "sent to its moderators", "Withdraw request")
	bob.get("/compose")
	p := bob.post("/compose", url.Values{"action": {"publish"}, "kind": {"discussion"}, "subwiki": {id},
		"headline": {"May I?"}, "text": {"Hello"}})
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, "Only members of this subwiki can post in it.", `value="May I?"`)

	// Only moderators open the settings.
	wantStatus(t, bob.get("/s/newsroom/settings"), http.StatusForbidden)
	wantStatus(t, carol.get("/s/newsroom/settings"), http.StatusForbidden)
	carol.get("/s/newsroom")
	wantStatus(t, carol.post("/s/newsroom/settings", url.Values{"title": {"Mine now"}}), http.StatusForbidden)

	settings := alice.get("/s/newsroom/settings")
	wantStatus(t, settings, http.StatusOK)
	wantBody(t, settings, "Requests to join", "@bob@"+inst.Config.Server.Domain)
	bobID := actorOf(t, inst, "bob").ID
	wantStatus(t, alice.post("/s/newsroom/settings/requests/approve", url.Values{"actor": {bobID}}), http.StatusSeeOther)
	wantBody(t, alice.get("/s/newsroom/settings"), "is a member of s/newsroom now", "Nobody is waiting.")
	wantBody(t, bob.get("/s/newsroom"), ">Leave</button>", `action="/compose"`)
	publish(t, bob, url.Values{"kind": {"discussion"}, "subwiki": {id}, "headline": {"Now I may"}, "text": {"Thanks"}})

	// Carol asks too, and is turned down.
	carol.post("/s/newsroom/join", nil)
	alice.get("/s/newsroom/settings")
	wantStatus(t, alice.post("/s/newsroom/settings/requests/reject", url.Values{"actor": {actorOf(t, inst, "carol").ID}}), http.StatusSeeOther)
	wantBody(t, carol.get("/s/newsroom"), "Request to join")

	// Moderators: add one, refuse nobody, keep the last.
	wantStatus(t, alice.post("/s/newsroom/settings/moderators", url.Values{"username": {"@bob"}}), http.StatusSeeOther)
	wantBody(t, alice.get("/s/newsroom/settings"), "@bob moderates s/newsroom now.")
	wantStatus(t, bob.get("/s/newsroom/settings"), http.StatusOK)
	p = alice.post("/s/newsroom/settings/moderators", url.Values{"username": {"nobody"}})
	wantStatus(t, p, http.StatusNotFound)
	wantBody(t, p, "There is no member @nobody here.", `value="nobody"`)
	wantStatus(t, alice.post("/s/newsroom/settings/moderators/remove", url.Values{"username": {"bob"}}), http.StatusSeeOther)
	p = alice.post("/s/newsroom/settings/moderators/remove", url.Values{"username": {"alice"}})
	wantStatus(t, p, http.StatusConflict)
	wantBody(t, p, "needs at least one moderator")

	// The description: bad input changes nothing, good input is saved.
	p = alice.post("/s/newsroom/settings", url.Values{"title": {"  "}, "description": {"Gone"}, "members_only": {"1"}})
	wantStatus(t, p, http.StatusBadRequest)
	wantBody(t, p, "Give the subwiki a title.", ">Gone</textarea>")
	wantStatus(t, alice.post("/s/newsroom/settings", url.Values{"title": {"The Newsroom"}, "description": {"Reporters only."}}), http.StatusSeeOther)
	s, _ := inst.DB.SubwikiByName(context.Background(), "newsroom")
	if s.Title != "The Newsroom" || s.Description != "Reporters only." || s.MembersOnly {
		t.Errorf("after saving: %+v", s)
	}
}

func TestSubwikiPostsThreadsLikesNotifications(t *testing.T) {
	inst := startInstance(t, nil)
	ctx := context.Background()
	alice := member(t, inst, "alice")
	bob := member(t, inst, "bob")
	createSubwiki(t, alice, "climate", "Climate", nil)
	id := subwikiID(t, inst, "climate")
	bob.get("/s/climate")
	wantStatus(t, bob.post("/s/climate/join", nil), http.StatusSeeOther)

	// The compose form offers the subwiki alice joined.
	wantBody(t, alice.get("/"), `action="/compose"`, `name="kind" value="news"`, `name="kind" value="discussion"`,
		`<option value="`+id+`">s/climate</option>`, "My profile", "Fill in from link")

	// A discussion, then a news post, in the subwiki.
	discussion := publish(t, alice, url.Values{"kind": {"discussion"}, "subwiki": {id},
		"headline": {"What should the city do about heat?"}, "text": {"Ideas welcome.\n\nSecond paragraph."}})
	news := publish(t, alice, url.Values{"kind": {"news"}, "subwiki": {id}, "link": {"https://www.example.org/heat"},
		"headline": {"Heat record broken in June"}, "text": {"Worth reading."}})
	page := alice.get("/posts/" + news)
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, "Published.", `href="https://www.example.org/heat"`, "Heat record broken in June", "example.org",
		"Worth reading.", `href="/s/climate">in s/climate`, "Edit commentary", "Delete this post")

	// Bob's feed: the subwiki's posts, newest first.
	feed := bob.get("/")
	wantOrder(t, feed, "Heat record broken in June", "What should the city do about heat?")
	wantBody(t, feed, "(example.org)", "Worth reading.", "Ideas welcome. Second paragraph.", "in s/climate", "0 comments")
	wantOrder(t, bob.get("/s/climate"), "Heat record broken in June", "What should the city do about heat?")

	// A thread: bob comments and mentions alice, alice replies, bob answers.
	bob.get("/posts/" + discussion)
	first := comment(t, bob, discussion, "Plant trees, @alice.")
	reply := comment(t, alice, first, "Which ones, @bob?")
	answer := comment(t, bob, reply, "Plane trees.")
	thread := bob.get("/posts/" + discussion)
	wantOrder(t, thread, `id="post-`+first+`"`, "Plant trees,", `<ol class="comments replies">`, `id="post-`+reply+`"`,
		"Which ones,", `<ol class="comments replies">`, `id="post-`+answer+`"`, "Plane trees.")
	wantBody(t, thread, `href="`+inst.URL+`/@alice" class="u-url mention"`, "@<span>alice</span>", `<span class="count">3</span>`)
	if p := bob.get("/posts/" + reply); p.Status != http.StatusSeeOther || p.Location != "/posts/"+discussion+"#post-"+reply {
		t.Errorf("a comment's address: %d %q, want a redirect to its place in the thread", p.Status, p.Location)
	}
	feed = bob.get("/")
	if strings.Contains(feed.Body, "Plane trees.") || strings.Contains(feed.Body, "Plant trees") {
		t.Error("comments appear in the home feed")
	}
	wantBody(t, feed, "3 comments")

	// Alice hears of the mention and the reply; reading them clears the count.
	wantBody(t, alice.get("/"), `Notifications <span class="unread">(`)
	notes := alice.get("/notifications")
	wantBody(t, notes, "replied to you", `href="/posts/`+discussion+`#post-`+first+`"`,
		"Plant trees, @alice.", "on “What should the city do about heat?”")
	// The first comment both replies to alice and names her: one notice.
	if n := strings.Count(notes.Body, `href="/posts/`+discussion+`#post-`+first+`"`); n != 1 {
		t.Errorf("alice was told of bob's first comment %d times, want once", n)
	}
	if strings.Contains(alice.get("/").Body, `class="unread"`) {
		t.Error("unread count still shown after reading the notifications")
	}

	// Likes: a button for members, back to the page it was on.
	p := bob.post("/posts/"+discussion+"/like", url.Values{"next": {"/posts/" + discussion}})
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location != "/posts/"+discussion {
		t.Errorf("after liking, redirected to %q", p.Location)
	}
	wantBody(t, bob.get("/posts/"+discussion), `action="/posts/`+discussion+`/unlike"`, `♥ Liked <span class="like-count">1</span>`)
	wantBody(t, bob.get("/"), "♥ 1")
	bob.post("/posts/"+reply+"/like", url.Values{"next": {"/posts/" + discussion + "#post-" + reply}})
	wantStatus(t, bob.post("/posts/"+discussion+"/unlike", url.Values{"next": {"//evil.example/"}}), http.StatusSeeOther)
	if p, _ := inst.DB.PostByID(ctx, discussion); p.LikeCount != 0 {
		t.Errorf("likes after unliking: %d", p.LikeCount)
	}
	if p, _ := inst.DB.PostByID(ctx, reply); p.LikeCount != 1 {
		t.Errorf("likes of the reply: %d", p.LikeCount)
	}

	// Editing the commentary: only its author.
	wantStatus(t, bob.get("/posts/"+news+"/edit"), http.StatusForbidden)
	wantBody(t, alice.get("/posts/"+news+"/edit"), ">Worth reading.</textarea>")
	wantStatus(t, alice.post("/posts/"+news+"/edit", url.Values{"text": {"Worth reading, **twice**."}}), http.StatusSeeOther)
	wantBody(t, bob.get("/posts/"+news), "Worth reading, <strong>twice</strong>.", "edited")
	bob.get("/posts/" + news)
	wantStatus(t, bob.post("/posts/"+news+"/edit", url.Values{"text": {"Mine"}}), http.StatusForbidden)

	// Deleting a comment: its author may; its reply stays in the thread.
	alice.get("/posts/" + discussion)
	wantStatus(t, alice.post("/posts/"+first+"/delete", url.Values{"next": {"/posts/" + discussion + "#comments"}}), http.StatusForbidden)
	p = bob.post("/posts/"+first+"/delete", url.Values{"next": {"/posts/" + discussion + "#comments"}})
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location != "/posts/"+discussion+"#comments" {
		t.Errorf("after deleting a comment, redirected to %q", p.Location)
	}
	thread = bob.get("/posts/" + discussion)
	if strings.Contains(thread.Body, "Plant trees") {
		t.Error("the deleted comment is still shown")
	}
	wantBody(t, thread, "Which ones,", "Plane trees.")

	// The headline history lists the first headline.
	wantBody(t, bob.get("/posts/"+news+"/history"), "Heat record broken in June", "first headline", "@alice@")
}

func TestSubwikiComposeRefusesBadInput(t *testing.T) {
	inst := startInstance(t, nil)
	ctx := context.Background()
	alice := member(t, inst, "alice")
	createSubwiki(t, alice, "climate", "Climate", nil)
	id := subwikiID(t, inst, "climate")
	before, _ := inst.DB.CountLocalPosts(ctx)

	alice.get("/compose")
	for _, tt := range []struct {
		name string
		form url.Values
		msg  string
	}{
		{"empty headline", url.Values{"kind": {"discussion"}, "headline": {"  "}, "text": {"Body"}}, "Write a headline."},
		{"long headline", url.Values{"kind": {"discussion"}, "headline": {strings.Repeat("h", 201)}, "text": {"Body"}}, "at most 200 characters"},
		{"news without link", url.Values{"kind": {"news"}, "headline": {"No link"}}, "needs the link"},
		{"javascript link", url.Values{"kind": {"news"}, "headline": {"Sneaky"}, "link": {"javascript:alert(1)"}}, "must be a web address"},
		{"discussion without text", url.Values{"kind": {"discussion"}, "headline": {"Empty"}}, "Write some text or add an image."},
	} {
		tt.form.Set("action", "publish")
		tt.form.Set("subwiki", id)
		p := alice.post("/compose", tt.form)
		if p.Status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", tt.name, p.Status)
		}
		wantBody(t, p, tt.msg, `<option value="`+id+`" selected>s/climate</option>`)
	}
	if after, _ := inst.DB.CountLocalPosts(ctx); after != before {
		t.Errorf("%d posts stored by refused forms", after-before)
	}
	// A comment without text: the thread again, with the reason.
	post := publish(t, alice, url.Values{"kind": {"discussion"}, "headline": {"On my profile"}, "text": {"Hello"}})
	p := alice.post("/posts/"+post+"/comments", url.Values{"text": {"   "}})
	wantStatus(t, p, http.StatusBadRequest)
	wantBody(t, p, "Write some text or add an image.", "On my profile")
}

func TestSubwikiLinkPreviewFillsInTheForm(t *testing.T) {
	news := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/story" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><head><title>Story | Daily</title>
<meta property="og:title" content="Glacier retreats 2 km in a decade">
<meta property="og:description" content="Satellite images show the fastest retreat on record.">
<meta property="og:site_name" content="The Daily Planet">
</head><body><p>The story.</p></body></html>`)
	}))
	defer news.Close()
	inst := startInstance(t, federating)
	alice := member(t, inst, "alice")
	createSubwiki(t, alice, "climate", "Climate", nil)
	id := subwikiID(t, inst, "climate")

	alice.get("/s/climate")
	p := alice.post("/compose", url.Values{"action": {"preview"}, "kind": {"news"}, "subwiki": {id}, "link": {news.URL + "/story"}})
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, `name="headline" value="Glacier retreats 2 km in a decade"`,
		`name="link_description" value="Satellite images show the fastest retreat on record."`, "Filled in from The Daily Planet",
		`value="`+news.URL+`/story"`, `<option value="`+id+`" selected>s/climate</option>`)

	// What the member wrote is kept; a page that cannot be read says why.
	p = alice.post("/compose", url.Values{"action": {"preview"}, "kind": {"news"}, "link": {news.URL + "/gone"},
		"headline": {"My headline"}, "text": {"My words"}})
	wantStatus(t, p, http.StatusBadGateway)
	wantBody(t, p, "Could not read that page: the site answered 404 Not Found.", `value="My headline"`, ">My words</textarea>")
	p = alice.post("/compose", url.Values{"action": {"preview"}, "kind": {"news"}, "link": {""}})
	wantStatus(t, p, http.StatusBadRequest)
	wantBody(t, p, "Paste the link to the news first.")

	post := publish(t, alice, url.Values{"kind": {"news"}, "subwiki": {id}, "link": {news.URL + "/story"},
		"headline": {"Glacier retreats 2 km in a decade"}, "text": {"Satellite images show the fastest retreat on record."}})
	wantBody(t, alice.get("/posts/"+post), "Glacier retreats 2 km in a decade", "127.0.0.1")
}

func TestSubwikiOnAnotherServer(t *testing.T) {
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	alice := member(t, a, "alice")
	bob := member(t, b, "bob")
	createSubwiki(t, alice, "climate", "Climate", url.Values{"description": {"About the climate."}})
	handle := "@climate@" + a.Config.Server.Domain

	// On B the subwiki is a group to join from its profile page.
	p := bob.get("/search?q=" + url.QueryEscape(handle))
	wantStatus(t, p, http.StatusSeeOther)
	profile := bob.get(p.Location)
	wantBody(t, profile, "Climate", handle, "About the climate.", "Group", ">Join</button>")
	wantStatus(t, bob.post("/follow", url.Values{"actor": {actorIDOnPage(t, profile)}}), http.StatusSeeOther)
	waitFor(t, "bob's membership accepted", 10*time.Second, func() bool {
		return strings.Contains(bob.get(p.Location).Body, ">Leave</button>")
	})
	wantBody(t, bob.get(p.Location), `action="/compose"`, "In s/climate@"+a.Config.Server.Domain)

	// A post in the subwiki reaches the group's page and bob's feed on B.
	publish(t, alice, url.Values{"kind": {"news"}, "subwiki": {subwikiID(t, a, "climate")},
		"link": {"https://example.org/sea"}, "headline": {"Sea level rise speeds up"}})
	waitFor(t, "the post on B", 10*time.Second, func() bool {
		return strings.Contains(bob.get(p.Location).Body, "Sea level rise speeds up")
	})
	feed := bob.get("/")
	wantBody(t, feed, "Sea level rise speeds up", "(example.org)", `href="`+p.Location+`">in s/climate@`+a.Config.Server.Domain)
	_, after, _ := strings.Cut(feed.Body, `<a class="meta post-time" href="/posts/`)
	id, _, _ := strings.Cut(after, `"`)
	wantBody(t, bob.get("/posts/"+id), "Sea level rise speeds up", "Original on "+a.Config.Server.Domain)
}
