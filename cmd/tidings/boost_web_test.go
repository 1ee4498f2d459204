package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// boostForm is the start of the boost button's form on a post's page:
// to boost, or (when boosted) to take the boost back.
func boostForm(postID string, boosted bool) string {
	if boosted {
		return `action="/posts/` + postID + `/unboost" class="boost"`
	}
	return `action="/posts/` + postID + `/boost" class="boost"`
}

// boostButton is the boost button as a post's page shows it to a
// member: pressed or not, with the count of boosts.
func boostButton(boosted bool, count string) string {
	if boosted {
		return `aria-pressed="true"><span aria-hidden="true">⟳</span> Boosted <span class="boost-count">` + count + `</span>`
	}
	return `aria-pressed="false"><span aria-hidden="true">⟳</span> Boost <span class="boost-count">` + count + `</span>`
}

// TestBoostFromThePostPage: bob boosts alice's discussion with the
// button beside the like button and is taken back to it, pressed, with
// the count; carol, who follows bob but not alice, finds it in her home
// feed under a line naming bob; alice is told of his and dave's boosts
// in one notice; a stranger sees the count and no button. A form without the page's token changes nothing;
// bob takes his boost back and it leaves carol's feed.
func TestBoostFromThePostPage(t *testing.T) {
	ctx := context.Background()
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	bob := newVisitor(t, inst)
	wantStatus(t, bob.signUp("bob", "a long password", url.Values{"display_name": {"Bob Baker"}}), http.StatusSeeOther)
	carol := member(t, inst, "carol")
	carol.get("/@bob")
	wantStatus(t, carol.post("/follow", url.Values{"actor": {actorOf(t, inst, "bob").ID}}), http.StatusSeeOther)
	id := publish(t, alice, url.Values{"kind": {"discussion"}, "headline": {"Bridge reopens on Monday"}, "text": {"After two years."}})
	postPath := "/posts/" + id

	page := bob.get(postPath)
	wantBody(t, page, boostForm(id, false), boostButton(false, "0"), `name="next" value="`+postPath+`"`)
	if strings.Contains(carol.get("/").Body, "Bridge reopens on Monday") {
		t.Fatal("carol's feed has alice's post before bob boosted it")
	}

	// A form without the page's token is refused and boosts nothing.
	wantStatus(t, bob.post(postPath+"/boost", url.Values{"csrf": {"forged"}, "next": {postPath}}), http.StatusForbidden)
	if p, _ := inst.DB.PostByID(ctx, id); p.AnnounceCount != 0 {
		t.Errorf("boosts after a forged form = %d, want 0", p.AnnounceCount)
	}

	bob.get(postPath)
	boosted := bob.post(postPath+"/boost", url.Values{"next": {postPath}})
	wantStatus(t, boosted, http.StatusSeeOther)
	if boosted.Location != postPath {
		t.Errorf("a boost leads to %q, want %q", boosted.Location, postPath)
	}
	wantBody(t, bob.get(postPath), boostForm(id, true), boostButton(true, "1"))
	if p, _ := inst.DB.PostByID(ctx, id); p.AnnounceCount != 1 {
		t.Errorf("boosts = %d, want 1", p.AnnounceCount)
	}

	home := carol.get("/")
	wantBody(t, home, `<p class="boosted-by meta"><span aria-hidden="true">↻</span> <a href="/@bob">Bob Baker</a> boosted · <time datetime="`,
		"Bridge reopens on Monday")
	if strings.Index(home.Body, "Bob Baker</a> boosted") > strings.Index(home.Body, "Bridge reopens on Monday") {
		t.Error("the boosted line is below the post it is about")
	}

	// Bob's profile lists the boost too, as Mastodon's does.
	wantBody(t, newVisitor(t, inst).get("/@bob"), `<a href="/@bob">Bob Baker</a> boosted · <time datetime="`,
		"Bridge reopens on Monday")

	dave := member(t, inst, "dave")
	dave.get(postPath)
	wantStatus(t, dave.post(postPath+"/boost", url.Values{"next": {postPath}}), http.StatusSeeOther)
	notes := alice.get("/notifications")
	wantBody(t, notes, `<a href="/@dave"><strong>@dave</strong></a> and <a href="/@bob"><strong>@bob</strong></a>`,
		`boosted your post <a href="`+postPath+`">“Bridge reopens on Monday”</a>`)

	stranger := newVisitor(t, inst).get(postPath)
	wantBody(t, stranger, `<span title="Boosts">⟳ <span class="boost-count">2</span></span>`)
	if strings.Contains(stranger.Body, `class="boost"`) {
		t.Error("a stranger is offered the boost button")
	}
	wantBody(t, alice.get(postPath), boostForm(id, false), boostButton(false, "2"))

	bob.get(postPath)
	wantStatus(t, bob.post(postPath+"/unboost", url.Values{"next": {postPath}}), http.StatusSeeOther)
	wantBody(t, bob.get(postPath), boostForm(id, false), boostButton(false, "1"))
	if home := carol.get("/"); strings.Contains(home.Body, "boosted") || strings.Contains(home.Body, "Bridge reopens on Monday") {
		t.Errorf("carol's feed still has the boost taken back:\n%s", home.Body)
	}
	if profile := carol.get("/@bob"); strings.Contains(profile.Body, "Bridge reopens on Monday") {
		t.Errorf("bob's profile still lists the boost taken back")
	}
}

// TestNoBoostOfFollowersOnlyPost: alice sees carl's followers-only post,
// which has no boost button; a boost she sends by hand, with the page's
// token, is refused with the reason and boosts nothing.
func TestNoBoostOfFollowersOnlyPost(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	alice := member(t, a, "alice")
	carl := newRemoteAccount(t, "carl")
	followAccepted(t, a, alice, "alice", carl)
	note := carl.note("notes/followers", "<p>For my followers only.</p>", []string{carl.Followers()}, nil, nil)
	note["name"], note["type"] = "Carl's news for followers", "Page"
	carl.send(a, carl.activity("Create", "activities/1", note, []string{carl.Followers()}, nil))
	settle(t, a)
	post, err := a.DB.PostByURI(ctx, note["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if post.Visibility != storage.Followers {
		t.Fatalf("carl's post is kept as %q, want %q", post.Visibility, storage.Followers)
	}
	postPath := "/posts/" + post.ID

	page := alice.get(postPath)
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, "Carl&#39;s news for followers", `action="/posts/`+post.ID+`/like"`)
	if strings.Contains(page.Body, `class="boost"`) || strings.Contains(page.Body, "/boost") {
		t.Error("a followers-only post has a boost button")
	}
	refused := alice.post(postPath+"/boost", url.Values{"next": {postPath}})
	wantStatus(t, refused, http.StatusForbidden)
	wantBody(t, refused, "Only posts for everyone can be boosted")
	if p, _ := a.DB.PostByID(ctx, post.ID); p.AnnounceCount != 0 {
		t.Errorf("boosts after a refusal = %d, want 0", p.AnnounceCount)
	}
	boosted, err := a.DB.BoostedBy(ctx, memberOf(t, a, "alice").ID, []string{post.ID})
	if err != nil || boosted[post.ID] {
		t.Errorf("alice's boosts after a refusal: %v, %v", boosted, err)
	}
	if strings.Contains(alice.get("/").Body, "boosted") {
		t.Error("alice's feed shows a refused boost")
	}
}
