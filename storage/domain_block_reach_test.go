package storage

import (
	"context"
	"testing"
)

// feedHas reports whether the page holds the post with the uri.
func feedHas(page *FeedPage, uri string) bool {
	for _, p := range page.Posts {
		if p.URI == uri {
			return true
		}
	}
	return false
}

// TestLimitedReachesOnlyFollowers: a limited server's account reaches a
// member through a subwiki, a thread or a mention only once the member
// follows it; other servers' accounts reach everyone as before.
func TestLimitedReachesOnlyFollowers(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	mod := mustCreateMember(t, db, "max")
	alice := mustCreateMember(t, db, "alice")
	town := mustCreateSubwiki(t, db, "town", mod, false)
	if _, err := db.Follow(ctx, alice.ID, town.ID); err != nil {
		t.Fatal(err)
	}
	bob := saveRemote(t, db, "bob", "m.loud.example")
	carl := saveRemote(t, db, "carl", "fine.example")
	if _, err := db.BlockDomain(ctx, DomainBlockCreate{Host: "loud.example", Level: DomainLimit}); err != nil {
		t.Fatal(err)
	}
	root, err := db.Publish(ctx, PostCreate{AuthorID: alice.ID, SubwikiID: town.ID, Kind: KindDiscussion,
		Headline: "Town hall tonight", Text: "Agenda inside."})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []*Actor{bob, carl} {
		if _, err := db.SaveRemotePost(ctx, RemotePost{URI: "https://" + a.Host + "/p/1", AuthorID: a.ID, Kind: KindDiscussion,
			Headline: "News from " + a.Username, Content: "news", Visibility: Public, SubwikiID: town.ID,
			Mentioned: []string{db.Site.ActorURI("alice")}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveRemotePost(ctx, RemotePost{URI: "https://" + a.Host + "/c/1", AuthorID: a.ID,
			Content: "a reply", Visibility: Public, InReplyTo: root.URI}); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string, wantBob bool) {
		t.Helper()
		home, err := db.HomeFeed(ctx, alice.ID, "", 20)
		if err != nil {
			t.Fatal(err)
		}
		sub, err := db.SubwikiFeed(ctx, alice.ID, town.ID, "", 20)
		if err != nil {
			t.Fatal(err)
		}
		thread, err := db.Thread(ctx, alice.ID, root.ID)
		if err != nil {
			t.Fatal(err)
		}
		notes, err := noticeList(db.Notifications(ctx, alice.ID, "", 20))
		if err != nil {
			t.Fatal(err)
		}
		fromBob := 0
		for _, n := range notes {
			if n.Actor != nil && n.Actor.ID == bob.ID {
				fromBob++
			}
		}
		threadHas := feedHas(&FeedPage{Posts: thread}, "https://m.loud.example/c/1")
		got := []bool{feedHas(home, "https://m.loud.example/p/1"), feedHas(sub, "https://m.loud.example/p/1"), threadHas}
		for i, what := range []string{"home feed", "subwiki feed", "thread"} {
			if got[i] != wantBob {
				t.Errorf("%s: the limited account's post in alice's %s: %v, want %v", when, what, got[i], wantBob)
			}
		}
		if !feedHas(home, "https://fine.example/p/1") || !feedHas(sub, "https://fine.example/p/1") ||
			!feedHas(&FeedPage{Posts: thread}, "https://fine.example/c/1") {
			t.Errorf("%s: another server's posts are missing", when)
		}
		if !wantBob && fromBob != 0 {
			t.Errorf("%s: alice has %d notices from the limited account, want none", when, fromBob)
		}
	}
	check("not following", false)
	if page, _ := db.SubwikiFeed(ctx, Stranger, town.ID, "", 20); feedHas(page, "https://m.loud.example/p/1") {
		t.Error("a stranger sees the limited account's post in the subwiki")
	}
	if _, err := db.Follow(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.ReceiveAccept(ctx, bob.ID, "", alice.ID); err != nil {
		t.Fatal(err)
	}
	check("following", true)
}

// TestSubwikiDoesNotRelayLimited: a subwiki of ours does not pass on a
// post a limited server's account sent to it; another's it does.
func TestSubwikiDoesNotRelayLimited(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	mod := mustCreateMember(t, db, "max")
	town := mustCreateSubwiki(t, db, "town", mod, false)
	if _, err := db.BlockDomain(ctx, DomainBlockCreate{Host: "loud.example", Level: DomainLimit}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		host string
		want int
	}{{"loud.example", 0}, {"fine.example", 2}} {
		before := len(outboxKinds(t, db))
		a := saveRemote(t, db, "carl", tt.host)
		if _, err := db.SaveRemotePost(ctx, RemotePost{URI: "https://" + tt.host + "/posts/1", AuthorID: a.ID,
			Kind: KindDiscussion, Headline: "Carl's news", Content: "<p>text</p>", Visibility: Public,
			SubwikiID: town.ID, RelayInboundID: "create", Recipients: []string{testSite.SubwikiURI("town")}}); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, kind := range outboxKinds(t, db)[before:] {
			if kind == EventGroupAnnounce {
				n++
			}
		}
		if n != tt.want {
			t.Errorf("the subwiki announced %d activities for a post from %s, want %d", n, tt.host, tt.want)
		}
	}
}
