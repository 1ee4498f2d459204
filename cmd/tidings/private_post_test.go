package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// postLinks are the addresses of posts that a page links to.
var postLinks = regexp.MustCompile(`href="(/posts/[^"#]+)(#[^"]*)?"`)

// linksTo returns the post pages the page links to whose address has
// the prefix, without their fragment.
func linksTo(p page, prefix string) []string {
	var links []string
	for _, m := range postLinks.FindAllStringSubmatch(p.Body, -1) {
		if strings.HasPrefix(m[1], prefix) {
			links = append(links, m[1])
		}
	}
	return links
}

// TestPrivatePostsOpenForTheirReaders: carl, an account on another
// server that alice follows, sends through the inbox a followers-only
// post, a direct post to alice, and a followers-only reply to alice's
// discussion. Each reaches alice's feed or notifications, and every link
// she follows to it opens it: the feed card, the notification, the
// thread, the headline history, her like and her comment. Bob, another
// member, and a stranger are told there is no such post (404, not 403,
// so as not to tell them it exists).
func TestPrivatePostsOpenForTheirReaders(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	alice := member(t, a, "alice")
	bob := member(t, a, "bob")
	stranger := newVisitor(t, a)
	carl := newRemoteAccount(t, "carl")
	aliceURI := a.DB.Site.ActorURI("alice")

	followAccepted(t, a, alice, "alice", carl)
	root := publish(t, alice, url.Values{"kind": {"discussion"}, "headline": {"Alice asks about trains"},
		"text": {"Which line is fastest?"}})
	rootPost, err := a.DB.PostByID(ctx, root)
	if err != nil {
		t.Fatal(err)
	}

	followers := carl.note("notes/followers", "<p>carl-for-followers</p>", []string{carl.Followers()}, nil, nil)
	followers["name"] = "Carl's headline for followers"
	followers["type"] = "Page"
	carl.send(a, carl.activity("Create", "activities/1", followers, []string{carl.Followers()}, nil))
	direct := carl.note("notes/direct", `<p><a href="`+aliceURI+`">@alice</a> carl-just-for-alice</p>`,
		[]string{aliceURI}, nil, []string{aliceURI})
	carl.send(a, carl.activity("Create", "activities/2", direct, []string{aliceURI}, nil))
	reply := carl.note("notes/reply", `<p><a href="`+aliceURI+`">@alice</a> carl-replies-privately</p>`,
		[]string{carl.Followers()}, []string{aliceURI}, []string{aliceURI})
	reply["inReplyTo"] = rootPost.URI
	carl.send(a, carl.activity("Create", "activities/3", reply, []string{carl.Followers()}, []string{aliceURI}))
	settle(t, a)

	posts := map[string]*storage.Post{}
	for name, note := range map[string]map[string]any{"followers": followers, "direct": direct, "reply": reply} {
		p, err := a.DB.PostByURI(ctx, note["id"].(string))
		if err != nil {
			t.Fatalf("the %s post was not kept: %v", name, err)
		}
		posts[name] = p
	}

	// Alice follows every link to them.
	home := alice.get("/")
	wantBody(t, home, "Carl&#39;s headline for followers")
	notices := alice.get("/notifications")
	wantBody(t, notices, "carl-just-for-alice", "carl-replies-privately")
	var opened []string
	for _, link := range append(linksTo(home, "/posts/"+posts["followers"].ID), linksTo(notices, "/posts/")...) {
		p := alice.get(link)
		wantStatus(t, p, http.StatusOK)
		opened = append(opened, link)
	}
	for _, want := range []string{"/posts/" + posts["followers"].ID, "/posts/" + posts["direct"].ID, "/posts/" + root} {
		if !strings.Contains(strings.Join(opened, " "), want) {
			t.Errorf("alice found no link to %s in her feed or notifications; she opened %v", want, opened)
		}
	}
	wantBody(t, alice.get("/posts/"+posts["followers"].ID), "carl-for-followers")
	wantBody(t, alice.get("/posts/"+posts["direct"].ID), "carl-just-for-alice")
	wantBody(t, alice.get("/posts/"+root), "carl-replies-privately")
	wantLinksOpen(t, alice, "the followers-only post's page", alice.get("/posts/"+posts["followers"].ID))
	wantLinksOpen(t, alice, "the direct post's page", alice.get("/posts/"+posts["direct"].ID))
	wantLinksOpen(t, alice, "her thread", alice.get("/posts/"+root))
	wantStatus(t, alice.get("/posts/"+posts["followers"].ID+"/history"), http.StatusOK)
	// A comment's own address leads to its place in the thread.
	p := alice.get("/posts/" + posts["reply"].ID)
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/posts/"+root) {
		t.Errorf("carl's reply's page for alice: %d to %q, want a redirect to the thread", p.Status, p.Location)
	}
	// She likes the followers-only post and comments on it, and is
	// taken back to it.
	alice.get("/posts/" + posts["followers"].ID)
	liked := alice.post("/posts/"+posts["followers"].ID+"/like", url.Values{"next": {"/posts/" + posts["followers"].ID}})
	wantStatus(t, liked, http.StatusSeeOther)
	wantStatus(t, alice.get(liked.Location), http.StatusOK)
	commented := alice.post("/posts/"+posts["followers"].ID+"/comments", url.Values{"text": {"alice-answers-carl"}})
	wantStatus(t, commented, http.StatusSeeOther)
	wantBody(t, alice.get(commented.Location), "carl-for-followers", "alice-answers-carl")

	// Nobody else sees them, or learns that they exist.
	for name, v := range map[string]*visitor{"bob": bob, "a stranger": stranger} {
		for kind, post := range posts {
			if got := v.get("/posts/" + post.ID).Status; got != http.StatusNotFound {
				t.Errorf("the %s post's page for %s: status %d, want 404", kind, name, got)
			}
			if got := v.get("/posts/" + post.ID + "/history").Status; got != http.StatusNotFound {
				t.Errorf("the %s post's history for %s: status %d, want 404", kind, name, got)
			}
		}
		thread := v.get("/posts/" + root)
		wantStatus(t, thread, http.StatusOK)
		if strings.Contains(thread.Body, "carl-replies-privately") {
			t.Errorf("alice's thread shows %s carl's followers-only reply", name)
		}
	}
	if got := bob.post("/posts/"+posts["direct"].ID+"/like", nil).Status; got != http.StatusNotFound {
		t.Errorf("bob liking the direct post: status %d, want 404", got)
	}
}

// followAccepted has the member (signed in as v) follow the remote
// account, which accepts.
func followAccepted(t *testing.T, a *instance, v *visitor, name string, remote *remoteAccount) {
	t.Helper()
	ctx := context.Background()
	followRemote(t, v, remote.URI)
	remoteActor, err := a.DB.ActorByURI(ctx, remote.URI)
	if err != nil {
		t.Fatal(err)
	}
	f, err := a.DB.FollowBetween(ctx, memberOf(t, a, name).ID, remoteActor.ID)
	if err != nil || f == nil {
		t.Fatalf("%s's follow of %s: %+v, %v", name, remote.URI, f, err)
	}
	memberURI := a.DB.Site.ActorURI(name)
	remote.send(a, remote.activity("Accept", "activities/accept", map[string]any{
		"id": f.ActivityURI, "type": "Follow", "actor": memberURI, "object": remote.URI}, []string{memberURI}, nil))
	waitFor(t, "the follow to be accepted", 10*time.Second, func() bool {
		f, _ := a.DB.FollowBetween(ctx, memberOf(t, a, name).ID, remoteActor.ID)
		return f != nil && f.State == storage.FollowAccepted
	})
}

// nextFields are the pages forms go back to after they are sent.
var nextFields = regexp.MustCompile(`name="next" value="(/posts/[^"#]+)[^"]*"`)

// wantLinksOpen fails the test unless every post page the page links to,
// and every page its forms go back to, opens for the visitor.
func wantLinksOpen(t *testing.T, v *visitor, where string, p page) {
	t.Helper()
	links := linksTo(p, "/posts/")
	for _, m := range nextFields.FindAllStringSubmatch(p.Body, -1) {
		links = append(links, m[1])
	}
	for _, link := range links {
		if got, at := followRedirects(t, v, link); got.Status != http.StatusOK {
			t.Errorf("%s links to %s, which leads to %s: status %d, want 200", where, link, at, got.Status)
		}
	}
}

// followRedirects gets the path and follows the site's redirects, as a
// browser does, and returns the page it lands on with its address.
func followRedirects(t *testing.T, v *visitor, path string) (page, string) {
	t.Helper()
	for range 5 {
		p := v.get(path)
		if p.Status != http.StatusSeeOther && p.Status != http.StatusFound {
			return p, path
		}
		path = p.Location
	}
	t.Fatalf("%s: too many redirects", path)
	return page{}, ""
}

// TestPrivateReplyInAThreadTheReaderCannotSee: carl sends bob a direct
// post, then replies to it naming alice as well, as Mastodon users bring
// someone into a conversation. Alice may see the reply but not the post
// it answers. The link in her notification, her like of the reply and
// her answer to it all lead to pages that open for her, never to the
// post she may not see; bob sees the whole conversation, and a stranger
// and another member neither.
func TestPrivateReplyInAThreadTheReaderCannotSee(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	alice := member(t, a, "alice")
	bob := member(t, a, "bob")
	dora := member(t, a, "dora")
	stranger := newVisitor(t, a)
	carl := newRemoteAccount(t, "carl")
	aliceURI, bobURI := a.DB.Site.ActorURI("alice"), a.DB.Site.ActorURI("bob")

	first := carl.note("notes/to-bob", `<p><a href="`+bobURI+`">@bob</a> carl-asks-bob</p>`,
		[]string{bobURI}, nil, []string{bobURI})
	carl.send(a, carl.activity("Create", "activities/1", first, []string{bobURI}, nil))
	settle(t, a) // the reply is placed in the thread of a post already here
	both := []string{bobURI, aliceURI}
	reply := carl.note("notes/to-both", `<p><a href="`+bobURI+`">@bob</a> <a href="`+aliceURI+`">@alice</a> carl-adds-alice</p>`,
		both, nil, both)
	reply["inReplyTo"] = first["id"]
	carl.send(a, carl.activity("Create", "activities/2", reply, both, nil))
	settle(t, a)
	root, err := a.DB.PostByURI(ctx, first["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	comment, err := a.DB.PostByURI(ctx, reply["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if comment.RootID != root.ID {
		t.Fatalf("carl's reply is in thread %q, want %q", comment.RootID, root.ID)
	}

	notices := alice.get("/notifications")
	wantBody(t, notices, "carl-adds-alice")
	links := linksTo(notices, "/posts/")
	if len(links) == 0 {
		t.Fatalf("alice's notification links to no post:\n%s", notices.Body)
	}
	for _, link := range links {
		p, at := followRedirects(t, alice, link)
		wantStatus(t, p, http.StatusOK)
		wantBody(t, p, "carl-adds-alice")
		if strings.Contains(p.Body, "carl-asks-bob") {
			t.Errorf("%s shows alice the post carl sent bob alone", at)
		}
	}

	// She likes the reply on its page, and is taken back to a page she
	// may see; so she is when she answers it.
	p, _ := followRedirects(t, alice, "/posts/"+comment.ID)
	wantStatus(t, p, http.StatusOK)
	next, _, _ := strings.Cut(strings.SplitAfter(p.Body, `name="next" value="`)[1], `"`)
	liked := alice.post("/posts/"+comment.ID+"/like", url.Values{"next": {next}})
	wantStatus(t, liked, http.StatusSeeOther)
	if p, at := followRedirects(t, alice, liked.Location); p.Status != http.StatusOK {
		t.Errorf("after liking carl's reply, alice lands on %s: status %d, want 200", at, p.Status)
	}
	answered := alice.post("/posts/"+comment.ID+"/comments", url.Values{"text": {"alice-answers-both"}})
	wantStatus(t, answered, http.StatusSeeOther)
	p, _ = followRedirects(t, alice, answered.Location)
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, "alice-answers-both")
	// Her answer's page leads to what it answers, which shows her answer
	// below it.
	wantBody(t, p, `<a href="/posts/`+comment.ID+`">In reply to</a>`)
	p, _ = followRedirects(t, alice, "/posts/"+comment.ID)
	wantOrder(t, p, "carl-adds-alice", `<ol class="comments">`, "alice-answers-both")
	if strings.Contains(p.Body, "In reply to") {
		t.Errorf("carl's reply leads alice to the post she may not see:\n%s", p.Body)
	}
	// Every link and every form's way back on it opens for her.
	wantLinksOpen(t, alice, "carl's reply's page", p)

	// Bob sees the conversation; dora and a stranger see none of it.
	wantBody(t, bob.get("/posts/"+root.ID), "carl-asks-bob", "carl-adds-alice", "alice-answers-both")
	for name, v := range map[string]*visitor{"dora": dora, "a stranger": stranger} {
		for _, id := range []string{root.ID, comment.ID} {
			if got := v.get("/posts/" + id).Status; got != http.StatusNotFound {
				t.Errorf("/posts/%s for %s: status %d, want 404", id, name, got)
			}
		}
	}
}
