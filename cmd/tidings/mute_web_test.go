package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestMutesFromTheWeb: a member mutes an account from its profile and a
// word from the settings page; their posts leave the home feed; both are
// listed in /settings/mutes and undone there.
func TestMutesFromTheWeb(t *testing.T) {
	a := startInstance(t, nil)
	alice, carol := member(t, a, "alice"), member(t, a, "carol")
	profile := alice.get("/@carol")
	wantBody(t, profile, ">Mute<", ">Block<")
	carolID := actorIDOnPage(t, profile)
	wantStatus(t, alice.post("/follow", url.Values{"actor": {carolID}}), http.StatusSeeOther)
	publish(t, carol, url.Values{"kind": {"discussion"}, "headline": {"Harbour news"}, "text": {"Boats came in."}})
	publish(t, carol, url.Values{"kind": {"discussion"}, "headline": {"Floods again"}, "text": {"Water rises."}})
	wantBody(t, alice.get("/"), "Harbour news", "Floods again")

	// A muted word.
	alice.get("/settings/mutes")
	bad := alice.post("/settings/mutes/words", url.Values{"word": {"  "}})
	wantStatus(t, bad, http.StatusBadRequest)
	wantBody(t, bad, "Give a word to mute.")
	wantStatus(t, alice.post("/settings/mutes/words", url.Values{"word": {"FLOODS"}}), http.StatusSeeOther)
	home := alice.get("/")
	wantBody(t, home, "Harbour news")
	if strings.Contains(home.Body, "Floods again") {
		t.Error("a post with a muted word is in the home feed")
	}

	// A muted account, from its profile.
	alice.get("/@carol")
	wantStatus(t, alice.post("/mute", url.Values{"actor": {carolID}}), http.StatusSeeOther)
	wantBody(t, alice.get("/@carol"), ">Unmute<", "You muted @carol@")
	if body := alice.get("/").Body; strings.Contains(body, "Harbour news") {
		t.Error("a muted account's post is in the home feed")
	}
	settings := alice.get("/settings/mutes")
	wantBody(t, settings, "floods", "@carol@")

	// Undone from the settings page.
	p := alice.post("/unmute", url.Values{"actor": {carolID}, "from": {"settings"}})
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location != "/settings/mutes" {
		t.Errorf("after unmuting, sent to %q", p.Location)
	}
	alice.get("/settings/mutes")
	wantStatus(t, alice.post("/settings/mutes/words/remove", url.Values{"word": {"floods"}}), http.StatusSeeOther)
	wantBody(t, alice.get("/"), "Harbour news", "Floods again")

	// Nobody mutes themselves; a stranger is sent to sign in.
	alice.get("/@alice")
	wantStatus(t, alice.post("/mute", url.Values{"actor": {actorOf(t, a, "alice").ID}}), http.StatusBadRequest)
}

// TestBlockAcrossInstances: alice on A blocks bob on B from his profile;
// the follows between them end on both servers, bob's server hears the
// Block, and his follow is refused until alice lifts it.
func TestBlockAcrossInstances(t *testing.T) {
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	alice := member(t, a, "alice")
	bob := member(t, b, "bob")
	aliceHandle := "@alice@" + a.Config.Server.Domain
	bobHandle := "@bob@" + b.Config.Server.Domain
	followRemote(t, bob, aliceHandle)
	waitFor(t, "bob following alice on A", 10*time.Second, func() bool { return followersOf(t, a, "alice") == 1 })
	followRemote(t, alice, bobHandle)
	waitFor(t, "alice following bob on B", 10*time.Second, func() bool { return followersOf(t, b, "bob") == 1 })

	profile := alice.get("/" + bobHandle)
	bobID := actorIDOnPage(t, profile)
	wantStatus(t, alice.post("/block", url.Values{"actor": {bobID}}), http.StatusSeeOther)
	wantBody(t, alice.get("/"+bobHandle), ">Unblock<", "You blocked "+bobHandle)
	if n := followersOf(t, a, "alice"); n != 0 {
		t.Errorf("alice has %d followers after blocking bob, want 0", n)
	}
	// On B: the Undo of alice's follow and the Block end both follows.
	waitFor(t, "alice's follow of bob to end on B", 10*time.Second, func() bool { return followersOf(t, b, "bob") == 0 })
	aliceOnB, err := b.DB.ActorByHandle(context.Background(), "alice", a.Config.Server.Domain)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the Block to reach B", 10*time.Second, func() bool {
		s, err := b.DB.MuteStateOf(context.Background(), actorOf(t, b, "bob").ID, aliceOnB.ID)
		return err == nil && s.BlockedBy
	})
	if f, _ := b.DB.FollowBetween(context.Background(), actorOf(t, b, "bob").ID, aliceOnB.ID); f != nil {
		t.Errorf("bob still follows alice on B: %+v", f)
	}
	// Bob cannot follow alice again, from B.
	bob.get("/" + aliceHandle)
	wantStatus(t, bob.post("/follow", url.Values{"actor": {aliceOnB.ID}}), http.StatusForbidden)

	// Lifted: B hears the Undo, and bob may follow again.
	alice.get("/settings/mutes")
	wantStatus(t, alice.post("/unblock", url.Values{"actor": {bobID}, "from": {"settings"}}), http.StatusSeeOther)
	waitFor(t, "the Undo of the Block to reach B", 10*time.Second, func() bool {
		s, err := b.DB.MuteStateOf(context.Background(), actorOf(t, b, "bob").ID, aliceOnB.ID)
		return err == nil && !s.BlockedBy
	})
	followRemote(t, bob, aliceHandle)
	waitFor(t, "bob following alice again", 10*time.Second, func() bool { return followersOf(t, a, "alice") == 1 })
}
