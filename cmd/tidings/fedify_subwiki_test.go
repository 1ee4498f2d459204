package main

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// TestFedifyPeerAndSubwiki: the independent Fedify peer follows a subwiki,
// receives its Announces of posts, and posts into it by mentioning it as
// a Mastodon user would; the post appears with its first line as headline.
func TestFedifyPeerAndSubwiki(t *testing.T) {
	ctx := context.Background()
	inst := startInstance(t, federating)
	peer := startFedifyPeer(t, "--name", "reader")
	member(t, inst, "alice")
	alice := memberOf(t, inst, "alice")
	s, err := inst.DB.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "weather", Title: "Weather"}, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	group := inst.Config.Server.Scheme + "://" + inst.Config.Server.Domain + "/s/weather"

	status, body := peer.control(t, "/_control/follow", map[string]any{"target": "weather@" + inst.Config.Server.Domain})
	if status != 202 {
		t.Fatalf("the peer could not follow the subwiki: %d %s", status, body)
	}
	waitFor(t, "the peer among the subwiki's members", 15*time.Second, func() bool {
		n, _, _ := inst.DB.FollowCounts(ctx, s.ID)
		return n == 2
	})
	waitFor(t, "the peer's follow accepted", 15*time.Second, func() bool {
		for _, f := range peer.following(t) {
			if f.Actor == group && f.State == "accepted" {
				return true
			}
		}
		return false
	})

	// Alice posts into the subwiki: the peer, whose NodeInfo names no
	// group-aware software, receives the Group's boost of the bare post,
	// with published, and not the Announce of the Create (FEP-1b12), which
	// goes to group-aware servers only.
	post, err := inst.DB.Publish(ctx, storage.PostCreate{AuthorID: alice.ID, SubwikiID: s.ID, Kind: storage.KindDiscussion,
		Headline: "Storm warning", Text: "Stay indoors tonight."})
	if err != nil {
		t.Fatal(err)
	}
	var boost map[string]any
	waitFor(t, "the boost at the peer", 15*time.Second, func() bool {
		for _, a := range peer.inbox(t, "Announce") {
			if a.Actor == group && a.ObjectID == post.URI {
				json.Unmarshal(a.Body, &boost)
				return true
			}
		}
		return false
	})
	if boost["published"] == nil {
		t.Errorf("the boost has no published: %v", boost)
	}
	for _, a := range peer.inbox(t, "Announce") {
		if a.Actor == group && a.ObjectType == "Create" {
			t.Errorf("the peer received the Announce of the Create %s; want only the boost", a.ObjectID)
		}
	}

	// The peer posts into the subwiki by mentioning it.
	status, body = peer.control(t, "/_control/post", map[string]any{
		"content": `<p><span class="h-card"><a href="` + group + `" class="u-url mention">@<span>weather</span></a></span> Hail in the valley this morning</p><p>Cars dented, no one hurt.</p>`,
		"mention": group,
	})
	if status != 202 {
		t.Fatalf("the peer could not post: %d %s", status, body)
	}
	var sent struct{ ID string }
	json.Unmarshal(body, &sent)
	waitFor(t, "the peer's post in the subwiki", 15*time.Second, func() bool {
		p, err := inst.DB.PostByURI(ctx, sent.ID)
		return err == nil && p.SubwikiID == s.ID
	})
	p, _ := inst.DB.PostByURI(ctx, sent.ID)
	if p.Headline != "Hail in the valley this morning" || p.Kind != storage.KindDiscussion {
		t.Errorf("the peer's post: headline %q, kind %q", p.Headline, p.Kind)
	}
	// A mention of a member by the peer notifies her.
	status, body = peer.control(t, "/_control/post", map[string]any{
		"content": `<p>Thanks for the warning, @alice</p>`,
		"mention": inst.Config.Server.Scheme + "://" + inst.Config.Server.Domain + "/users/alice",
	})
	if status != 202 {
		t.Fatalf("the peer could not post: %d %s", status, body)
	}
	waitFor(t, "alice notified of the peer's mention", 15*time.Second, func() bool {
		notes, _ := inst.DB.Notifications(ctx, alice.ID, "", 10)
		return notes != nil && len(notes.Notifications) == 1 && notes.Notifications[0].Kind == storage.NotifyMention
	})

	// The subwiki passes it on: the peer itself, a member, gets the Announce.
	waitFor(t, "the subwiki's Announce of the peer's post", 15*time.Second, func() bool {
		for _, a := range peer.inbox(t, "Announce") {
			if a.Actor == group && a.ObjectID == sent.ID {
				return true
			}
		}
		return false
	})
}
