package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// settled waits until the instances have processed every activity they
// received and sent every delivery they made.
func settled(t *testing.T, instances ...*instance) {
	t.Helper()
	ctx := context.Background()
	waitFor(t, "the instances to finish their work", 20*time.Second, func() bool {
		for _, inst := range instances {
			inbound, _ := inst.DB.PendingInbound(ctx)
			events, _ := inst.DB.PendingOutbox(ctx, 1)
			pending, _, _, _ := inst.DB.DeliveryCounts(ctx)
			if inbound+len(events)+pending > 0 {
				return false
			}
		}
		return true
	})
}

// TestSubwikiRelaysNoPrivatePost: a followers-only or direct post sent
// to a subwiki (as Mastodon sends one that mentions it) is not passed on
// to the subwiki's followers, and neither are its Update, a Like of it
// or its Delete. Only a public post is. The private posts stay with
// those they were for: kept only when someone here may see them.
func TestSubwikiRelaysNoPrivatePost(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	alice := member(t, a, "alice")
	bob := member(t, b, "bob")
	createSubwiki(t, alice, "climate", "Climate", nil)
	followRemote(t, bob, "@climate@"+a.Config.Server.Domain)
	waitFor(t, "bob's membership accepted on B", 10*time.Second, func() bool {
		f, _ := b.DB.FollowBetween(ctx, memberOf(t, b, "bob").ID, remoteActor(t, b, "@climate@"+a.Config.Server.Domain).ID)
		return f != nil && f.State == storage.FollowAccepted
	})
	settled(t, a, b)
	_, sentBefore, _, _ := a.DB.DeliveryCounts(ctx)

	carl := newRemoteAccount(t, "carl")
	group, aliceURI := a.DB.Site.SubwikiURI("climate"), a.DB.Site.ActorURI("alice")
	mentions := []string{group, aliceURI}
	// For carl's followers, naming the subwiki and alice.
	private := carl.note("notes/followers", "<p>@climate @alice Only for my followers.</p>",
		[]string{carl.Followers()}, mentions, mentions)
	carl.send(a, carl.activity("Create", "activities/1", private, []string{carl.Followers()}, mentions))
	// For the subwiki and alice only.
	direct := carl.note("notes/direct", "<p>@climate @alice Just between us.</p>", mentions, nil, mentions)
	carl.send(a, carl.activity("Create", "activities/2", direct, mentions, nil))
	// For carl's followers and the subwiki: nobody here may see it.
	unseen := carl.note("notes/unseen", "<p>@climate Nobody here follows me.</p>",
		[]string{carl.Followers()}, []string{group}, []string{group})
	carl.send(a, carl.activity("Create", "activities/3", unseen, []string{carl.Followers()}, []string{group}))
	// What happens to the private posts afterwards.
	edited := carl.note("notes/followers", "<p>@climate @alice Only for my followers, edited.</p>",
		[]string{carl.Followers()}, mentions, mentions)
	edited["updated"] = time.Now().Add(time.Minute).UTC().Format(time.RFC3339)
	carl.send(a, carl.activity("Update", "activities/4", edited, []string{carl.Followers()}, mentions))
	carl.send(a, carl.activity("Like", "activities/5", private["id"], []string{aliceURI}, nil))
	carl.send(a, carl.activity("Delete", "activities/6", direct["id"], mentions, nil))
	// A public post into the subwiki, which is passed on.
	public := carl.note("notes/public", "<p>@climate Glaciers are melting.</p>",
		[]string{asPublic, group}, []string{carl.Followers()}, []string{group})
	carl.serve(public)
	carl.send(a, carl.activity("Create", "activities/7", public, []string{asPublic, group}, []string{carl.Followers()}))

	waitFor(t, "the public post on B", 15*time.Second, func() bool {
		_, err := b.DB.PostByURI(ctx, public["id"].(string))
		return err == nil
	})
	settled(t, a)

	for _, note := range []map[string]any{private, direct, unseen} {
		if p, err := b.DB.PostByURI(ctx, note["id"].(string)); storage.ErrorCode(err) != storage.ENotFound {
			t.Errorf("B has %s: %+v, %v; want not found", note["id"], p, err)
		}
	}
	// The Accept of bob's membership went to B before; since then, only
	// the subwiki's Announce of the public post's Create (B runs Tidings,
	// which reads FEP-1b12, so it gets no boost of the post itself).
	if _, sent, _, _ := a.DB.DeliveryCounts(ctx); sent-sentBefore != 1 {
		t.Errorf("A delivered %d activities after the private posts came; want 1, the Announce of the public post",
			sent-sentBefore)
	}
	if _, err := a.DB.PostByURI(ctx, unseen["id"].(string)); storage.ErrorCode(err) != storage.ENotFound {
		t.Errorf("A kept a followers-only post nobody here may see: %v", err)
	}
	// Alice, whom the followers-only post names, sees it; nobody else.
	p, err := a.DB.PostByURI(ctx, private["id"].(string))
	if err != nil {
		t.Fatalf("A did not keep the followers-only post that names alice: %v", err)
	}
	wantBody(t, alice.get("/posts/"+p.ID), "Only for my followers, edited.")
	wantStatus(t, newVisitor(t, a).get("/posts/"+p.ID), http.StatusNotFound)
	dora := member(t, a, "dora")
	wantStatus(t, dora.get("/posts/"+p.ID), http.StatusNotFound)
	page := dora.get("/s/climate")
	wantBody(t, page, "Glaciers are melting.")
	if strings.Contains(page.Body, "Only for my followers") {
		t.Errorf("the subwiki's page shows dora the followers-only post:\n%s", page.Body)
	}
}
