package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// federating configures a test instance that may reach other instances
// on loopback.
func federating(c *Config) { c.Federation.AllowPrivateAddresses = true }

// member signs up a member on the instance and returns a signed-in
// visitor for them.
func member(t *testing.T, inst *instance, name string) *visitor {
	t.Helper()
	v := newVisitor(t, inst)
	if p := v.signUp(name, "a long password", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("sign up %s: %d %s", name, p.Status, p.Body)
	}
	return v
}

// actorOf returns the stored actor of the instance's member.
func actorOf(t *testing.T, inst *instance, name string) *storage.Actor {
	t.Helper()
	m, err := inst.DB.MemberByUsername(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	a, err := inst.DB.ActorByID(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// followRemote has the visitor find handle through search and follow it.
func followRemote(t *testing.T, v *visitor, handle string) {
	t.Helper()
	p := v.get("/search?q=" + url.QueryEscape(handle))
	if p.Status != http.StatusSeeOther {
		t.Fatalf("search %s: %d\n%s", handle, p.Status, p.Body)
	}
	profile := v.get(p.Location)
	wantStatus(t, profile, http.StatusOK)
	id := actorIDOnPage(t, profile)
	p = v.post("/follow", url.Values{"actor": {id}})
	wantStatus(t, p, http.StatusSeeOther)
}

// actorIDOnPage reads the actor id from a profile page's follow form.
func actorIDOnPage(t *testing.T, p page) string {
	t.Helper()
	_, after, ok := strings.Cut(p.Body, `name="actor" value="`)
	if !ok {
		t.Fatalf("no follow form on the page:\n%s", p.Body)
	}
	id, _, _ := strings.Cut(after, `"`)
	return id
}

func followersOf(t *testing.T, inst *instance, name string) int {
	n, _, err := inst.DB.FollowCounts(context.Background(), actorOf(t, inst, name).ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFederationBetweenThreeInstances(t *testing.T) {
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	c := startInstance(t, federating)
	alice := member(t, a, "alice")
	bob := member(t, b, "bob")
	carol := member(t, c, "carol")
	dave := member(t, c, "dave")
	aliceHandle := "@alice@" + a.Config.Server.Domain

	// Bob and Carol (and Dave, on Carol's server) follow Alice.
	followRemote(t, bob, aliceHandle)
	followRemote(t, carol, aliceHandle)
	followRemote(t, dave, aliceHandle)
	waitFor(t, "three followers of alice on A", 10*time.Second, func() bool { return followersOf(t, a, "alice") == 3 })
	waitFor(t, "bob's follow accepted on B", 10*time.Second, func() bool {
		f, _ := b.DB.FollowBetween(context.Background(), actorOf(t, b, "bob").ID, remoteActor(t, b, aliceHandle).ID)
		return f != nil && f.State == storage.FollowAccepted
	})
	profile := bob.get("/@alice@" + a.Config.Server.Domain)
	wantBody(t, profile, "Unfollow")
	wantBody(t, alice.get("/@alice/followers"), "@bob@"+b.Config.Server.Domain, "@carol@"+c.Config.Server.Domain)

	// Alice posts; it reaches B, and C once for both of its members.
	alice.get("/")
	wantStatus(t, alice.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"Breaking: the river is rising."},
		"text": {"More soon."}, "action": {"publish"}}), http.StatusSeeOther)
	waitFor(t, "the post in bob's feed", 10*time.Second, func() bool {
		return strings.Contains(bob.get("/").Body, "Breaking: the river is rising.")
	})
	waitFor(t, "the post in the feeds of carol and dave", 10*time.Second, func() bool {
		return strings.Contains(carol.get("/").Body, "Breaking: the river is rising.") &&
			strings.Contains(dave.get("/").Body, "Breaking: the river is rising.")
	})
	_, delivered, _, _ := a.DB.DeliveryCounts(context.Background())
	if delivered != 2+3 { // two servers for the post, three Accepts
		t.Errorf("A made %d deliveries, want 5 (one per server for the post, one Accept per follow)", delivered)
	}

	// Alice changes her name; the copies elsewhere follow.
	alice.get("/settings/profile")
	alice.post("/settings/profile", url.Values{"display_name": {"Alice Reporter"}, "bio": {"Covers the river."}})
	waitFor(t, "the new name on B", 10*time.Second, func() bool {
		return remoteActor(t, b, aliceHandle).DisplayName == "Alice Reporter"
	})

	// Alice deletes the post; it is gone on B and C.
	post := latestPost(t, a, "alice")
	alice.get("/@alice")
	wantStatus(t, alice.post("/posts/"+post.ID+"/delete", nil), http.StatusSeeOther)
	waitFor(t, "the post deleted on B and C", 10*time.Second, func() bool {
		return !strings.Contains(bob.get("/").Body, "the river is rising") && !strings.Contains(carol.get("/").Body, "the river is rising")
	})

	// Bob unfollows; A forgets him as a follower.
	bob.get("/@alice@" + a.Config.Server.Domain)
	wantStatus(t, bob.post("/unfollow", url.Values{"actor": {remoteActor(t, b, aliceHandle).ID}}), http.StatusSeeOther)
	waitFor(t, "bob no longer following alice on A", 10*time.Second, func() bool { return followersOf(t, a, "alice") == 2 })

	// Alice follows Bob back, from A.
	followRemote(t, alice, "@bob@"+b.Config.Server.Domain)
	waitFor(t, "alice following bob on B", 10*time.Second, func() bool { return followersOf(t, b, "bob") == 1 })
	bob.get("/")
	bob.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"Hello from B"}, "text": {"First post."}, "action": {"publish"}})
	waitFor(t, "bob's post in alice's feed", 10*time.Second, func() bool {
		return strings.Contains(alice.get("/").Body, "Hello from B")
	})
}

// remoteActor returns the instance's copy of a remote account.
func remoteActor(t *testing.T, inst *instance, handle string) *storage.Actor {
	t.Helper()
	user, host, _ := strings.Cut(strings.TrimPrefix(handle, "@"), "@")
	a, err := inst.DB.ActorByHandle(context.Background(), user, host)
	if err != nil {
		t.Fatalf("%s not known: %v", handle, err)
	}
	return a
}

// latestPost returns the member's newest post.
func latestPost(t *testing.T, inst *instance, name string) *storage.Post {
	t.Helper()
	feed, err := inst.DB.PostsBy(context.Background(), storage.Stranger, actorOf(t, inst, name).ID, "", 1)
	if err != nil || len(feed.Posts) == 0 {
		t.Fatalf("no post by %s: %v", name, err)
	}
	return feed.Posts[0]
}

// arrivedOn waits until the post with the URI is stored on inst, and
// returns inst's copy.
func arrivedOn(t *testing.T, inst *instance, what, uri string) *storage.Post {
	t.Helper()
	var p *storage.Post
	waitFor(t, what, 10*time.Second, func() bool {
		var err error
		p, err = inst.DB.PostByURI(context.Background(), uri)
		return err == nil
	})
	return p
}

func TestManualApprovalAcrossInstances(t *testing.T) {
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	alice := member(t, a, "alice")
	bob := member(t, b, "bob")
	alice.get("/settings/profile")
	wantStatus(t, alice.post("/settings/profile", url.Values{
		"display_name": {"Alice"}, "manually_approves_followers": {"1"}, "hide_network": {"1"},
	}), http.StatusSeeOther)

	followRemote(t, bob, "@alice@"+a.Config.Server.Domain)
	waitFor(t, "bob's request on A", 10*time.Second, func() bool {
		return strings.Contains(alice.get("/follow-requests").Body, "@bob@"+b.Config.Server.Domain)
	})
	wantBody(t, bob.get("/@alice@"+a.Config.Server.Domain), "Withdraw follow request")
	if n := followersOf(t, a, "alice"); n != 0 {
		t.Errorf("a pending request counts as a follower: %d", n)
	}
	// Others cannot see her lists; the counts stay public.
	wantStatus(t, bob.get("/@alice/followers"), http.StatusNotFound) // bob is not a member of A
	stranger := newVisitor(t, a)
	wantStatus(t, stranger.get("/@alice/followers"), http.StatusForbidden)

	alice.get("/follow-requests")
	bobOnA := remoteActor(t, a, "@bob@"+b.Config.Server.Domain)
	wantStatus(t, alice.post("/follow-requests/approve", url.Values{"actor": {bobOnA.ID}}), http.StatusSeeOther)
	waitFor(t, "bob's follow accepted on B", 10*time.Second, func() bool {
		f, _ := b.DB.FollowBetween(context.Background(), actorOf(t, b, "bob").ID, remoteActor(t, b, "@alice@"+a.Config.Server.Domain).ID)
		return f != nil && f.State == storage.FollowAccepted
	})
	wantBody(t, bob.get("/@alice@"+a.Config.Server.Domain), "Unfollow")
}
