package main

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// TestBanTravelsAsBlock: a moderator on A bans bob of B from a subwiki;
// B hears the Block, shows bob the ban and refuses his posts into the
// group before they travel; lifting it sends the Undo, and bob's next
// post reaches A.
func TestBanTravelsAsBlock(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	alice := member(t, a, "alice")
	bob := member(t, b, "bob")
	s, err := a.DB.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "town", Title: "Town"}, memberOf(t, a, "alice").ID)
	if err != nil {
		t.Fatal(err)
	}
	handle := "@town@" + a.Config.Server.Domain
	followRemote(t, bob, handle)
	groupOnB := remoteActor(t, b, handle)
	bobOnB := memberOf(t, b, "bob")
	waitFor(t, "bob's membership accepted on B", 10*time.Second, func() bool {
		f, _ := b.DB.FollowBetween(ctx, bobOnB.ID, groupOnB.ID)
		return f != nil && f.State == storage.FollowAccepted
	})

	alice.get("/s/town/bans")
	p := alice.post("/s/town/bans", url.Values{"account": {"@bob@" + b.Config.Server.Domain}, "reason": {"Spam"}, "until": {"2999-01-31"}})
	wantStatus(t, p, http.StatusSeeOther)
	waitFor(t, "the ban recorded on B", 10*time.Second, func() bool {
		ban, _ := b.DB.CurrentBan(ctx, bobOnB.ID, groupOnB.ID)
		return ban != nil && ban.Reason == "Spam" && ban.Until.Equal(time.Date(2999, 2, 1, 0, 0, 0, 0, time.UTC))
	})
	_, err = b.DB.Publish(ctx, storage.PostCreate{AuthorID: bobOnB.ID, SubwikiID: groupOnB.ID, Kind: storage.KindDiscussion,
		Headline: "Buy now", Text: "cheap"})
	if storage.ErrorCode(err) != storage.EForbidden {
		t.Fatalf("bob posting into the group that banned him: %v, want it refused", err)
	}
	wantBody(t, bob.get("/settings/bans"), "s/town", "Spam")

	bans, err := a.DB.SubwikiBans(ctx, memberOf(t, a, "alice").ID, s.ID)
	if err != nil || len(bans) != 1 {
		t.Fatalf("bans on A = %v, %v", bans, err)
	}
	if err := a.DB.LiftBan(ctx, memberOf(t, a, "alice").ID, s.ID, bans[0].ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the ban lifted on B", 10*time.Second, func() bool {
		ban, _ := b.DB.CurrentBan(ctx, bobOnB.ID, groupOnB.ID)
		return ban == nil
	})
	post, err := b.DB.Publish(ctx, storage.PostCreate{AuthorID: bobOnB.ID, SubwikiID: groupOnB.ID, Kind: storage.KindDiscussion,
		Headline: "Sorry", Text: "my mistake"})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "bob's post in the subwiki on A", 10*time.Second, func() bool {
		p, err := a.DB.PostByURI(ctx, post.URI)
		return err == nil && p.SubwikiID == s.ID
	})
}
