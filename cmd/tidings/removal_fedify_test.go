package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// TestRemovalReachesFedifyPeer: the independent Fedify peer, a member of
// a subwiki, posts into it; the subwiki's moderator removes the post from
// the web with a reason. The peer, the author's server, receives the
// moderator's Delete with the reason, and the subwiki's boost taken back.
func TestRemovalReachesFedifyPeer(t *testing.T) {
	ctx := context.Background()
	inst := startInstance(t, federating)
	peer := startFedifyPeer(t, "--name", "reader")
	alice := member(t, inst, "alice")
	createSubwiki(t, alice, "weather", "Weather", nil)
	group := inst.Config.Server.Scheme + "://" + inst.Config.Server.Domain + "/s/weather"
	if status, body := peer.control(t, "/_control/follow", map[string]any{"target": "weather@" + inst.Config.Server.Domain}); status != 202 {
		t.Fatalf("the peer could not follow the subwiki: %d %s", status, body)
	}
	waitFor(t, "the peer's follow accepted", 15*time.Second, func() bool {
		for _, f := range peer.following(t) {
			if f.Actor == group && f.State == "accepted" {
				return true
			}
		}
		return false
	})
	status, body := peer.control(t, "/_control/post", map[string]any{
		"content": `<p><span class="h-card"><a href="` + group + `" class="u-url mention">@<span>weather</span></a></span> Cheap umbrellas here</p><p>Buy now.</p>`,
		"mention": group,
	})
	if status != 202 {
		t.Fatalf("the peer could not post: %d %s", status, body)
	}
	var sent struct{ ID string }
	json.Unmarshal(body, &sent)
	var p *storage.Post
	waitFor(t, "the peer's post in the subwiki", 15*time.Second, func() bool {
		p, _ = inst.DB.PostByURI(ctx, sent.ID)
		return p != nil
	})

	alice.get("/posts/" + p.ID)
	wantStatus(t, alice.post("/posts/"+p.ID+"/remove", url.Values{"reason": {"Advertising is not news"}}), http.StatusSeeOther)
	aliceURI := actorOf(t, inst, "alice").URI
	var del peerActivity
	waitFor(t, "alice's Delete at the peer", 15*time.Second, func() bool {
		var ok bool
		del, ok = findActivity(peer.inbox(t, "Delete"), func(a peerActivity) bool {
			return a.Actor == aliceURI && a.ObjectID == sent.ID
		})
		return ok
	})
	var raw map[string]any
	json.Unmarshal(del.Body, &raw)
	if raw["summary"] != "Advertising is not news" || raw["audience"] != group {
		t.Errorf("the Delete at the peer: %s; want the reason as summary, for the subwiki", del.Body)
	}
	waitFor(t, "the subwiki's boost taken back at the peer", 15*time.Second, func() bool {
		_, ok := findActivity(peer.inbox(t, "Undo"), func(a peerActivity) bool { return a.Actor == group })
		return ok
	})
}
