package storage

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestCreateAndDeletePost(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	p, err := db.CreatePost(ctx, alice.ID, "Hello <world>\n\nSecond paragraph\nwith a break")
	if err != nil {
		t.Fatal(err)
	}
	want := "<p>Hello &lt;world&gt;</p><p>Second paragraph<br>with a break</p>"
	if p.Content != want || p.URI != "https://tidings.test/posts/"+p.ID || p.Visibility != Public {
		t.Errorf("post = %+v", p)
	}
	for _, bad := range []string{"", "   ", strings.Repeat("x", maxPostLength+1)} {
		_, err := db.CreatePost(ctx, alice.ID, bad)
		wantCode(t, err, EInvalid)
	}
	bob := mustCreateMember(t, db, "bob")
	wantCode(t, db.DeletePost(ctx, bob.ID, p.ID), EForbidden)
	if err := db.DeletePost(ctx, alice.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	if gone, _ := db.IsDeleted(ctx, p.URI); !gone {
		t.Error("no tombstone")
	}
	events, _ := db.PendingOutbox(ctx, 10)
	if len(events) != 2 || events[0].Kind != EventCreatePost || events[1].Kind != EventDeletePost ||
		events[1].Payload.ObjectURI != p.URI {
		t.Errorf("outbox = %+v", events)
	}
	if n, _ := db.CountLocalPosts(ctx); n != 0 {
		t.Errorf("local posts = %d", n)
	}
}

func TestRemotePosts(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	bob := saveRemote(t, db, "bob", "social.example")
	eve := saveRemote(t, db, "eve", "evil.example")
	published := clock.now.Add(-time.Hour)
	note := RemotePost{URI: "https://social.example/notes/1", AuthorID: bob.ID, Visibility: Public,
		Content: `<p>hi<img src=x onerror=alert(1)></p>`, Published: published}
	p, err := db.SaveRemotePost(ctx, note)
	if err != nil {
		t.Fatal(err)
	}
	if p.Content != "<p>hi</p>" || !p.Published.Equal(published) {
		t.Errorf("post = %+v", p)
	}
	// Another server's actor cannot claim it, nor publish under another host.
	stolen := note
	stolen.AuthorID = eve.ID
	_, err = db.SaveRemotePost(ctx, stolen)
	wantCode(t, err, EForbidden)

	// Edits apply only when newer.
	edit := note
	edit.Content, edit.Updated = "<p>edited</p>", clock.now
	if p, _ = db.SaveRemotePost(ctx, edit); p.Content != "<p>edited</p>" {
		t.Errorf("edit not applied: %q", p.Content)
	}
	stale := note
	stale.Content, stale.Updated = "<p>older</p>", clock.now.Add(-time.Minute)
	if p, _ = db.SaveRemotePost(ctx, stale); p.Content != "<p>edited</p>" {
		t.Errorf("an older edit was applied: %q", p.Content)
	}

	wantCode(t, db.DeleteRemotePost(ctx, eve.ID, note.URI, ""), EForbidden)
	if err := db.DeleteRemotePost(ctx, bob.ID, note.URI, ""); err != nil {
		t.Fatal(err)
	}
	_, err = db.SaveRemotePost(ctx, note)
	wantCode(t, err, EConflict)

	// A Delete that arrives first keeps the late Create out.
	if err := db.DeleteRemotePost(ctx, bob.ID, "https://social.example/notes/2", ""); err != nil {
		t.Fatal(err)
	}
	late := note
	late.URI = "https://social.example/notes/2"
	_, err = db.SaveRemotePost(ctx, late)
	wantCode(t, err, EConflict)
}

func TestReactionsAndActorDeletion(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	p, _ := db.CreatePost(ctx, alice.ID, "news")
	bob := saveRemote(t, db, "bob", "social.example")
	carl := saveRemote(t, db, "carl", "social.example")
	for _, a := range []*Actor{bob, carl, bob} {
		if err := db.React(ctx, a.ID, p.URI, Like, a.URI+"/like", ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.React(ctx, bob.ID, p.URI, Announce, bob.URI+"/boost", ""); err != nil {
		t.Fatal(err)
	}
	got, _ := db.PostByID(ctx, p.ID)
	if got.LikeCount != 2 || got.AnnounceCount != 1 {
		t.Fatalf("counts = %d likes, %d boosts", got.LikeCount, got.AnnounceCount)
	}
	if err := db.Unreact(ctx, carl.ID, Like, carl.URI+"/like", "", ""); err != nil {
		t.Fatal(err)
	}
	if err := db.Unreact(ctx, carl.ID, Like, carl.URI+"/like", "", ""); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.React(ctx, bob.ID, "https://tidings.test/posts/none", Like, "x", ""), ENotFound)

	bobPost, _ := db.SaveRemotePost(ctx, RemotePost{URI: "https://social.example/notes/9", AuthorID: bob.ID, Visibility: Public, Content: "x"})
	if err := db.DeleteRemoteActor(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	got, _ = db.PostByID(ctx, p.ID)
	if got.LikeCount != 0 || got.AnnounceCount != 0 {
		t.Errorf("counts after the liker was deleted = %d, %d", got.LikeCount, got.AnnounceCount)
	}
	_, err := db.PostByID(ctx, bobPost.ID)
	wantCode(t, err, ENotFound)
	_, err = db.SaveRemoteActor(ctx, RemoteActor{URI: bob.URI, Kind: KindPerson, Username: "bob", Inbox: bob.Inbox, KeyID: bob.KeyID, PublicKeyPEM: bob.PublicKeyPEM})
	wantCode(t, err, EConflict)
}

func TestHomeFeed(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := saveRemote(t, db, "bob", "social.example")
	stranger := saveRemote(t, db, "zed", "social.example")
	f, _ := db.Follow(ctx, alice.ID, bob.ID)
	db.ReceiveAccept(ctx, bob.ID, f.ActivityURI, alice.ID)

	var want []string
	for i := 0; i < 4; i++ {
		clock.Advance(time.Minute)
		mine, _ := db.CreatePost(ctx, alice.ID, "mine")
		theirs, err := db.SaveRemotePost(ctx, RemotePost{URI: bob.URI + "/n/" + string(rune('a'+i)), AuthorID: bob.ID,
			Visibility: Public, Content: "theirs", Published: clock.now.Add(time.Second)})
		if err != nil {
			t.Fatal(err)
		}
		db.SaveRemotePost(ctx, RemotePost{URI: stranger.URI + "/n/" + string(rune('a'+i)), AuthorID: stranger.ID,
			Visibility: Public, Content: "not followed"})
		want = append([]string{theirs.ID, mine.ID}, want...)
	}
	var got []string
	before := ""
	for {
		page, err := db.HomeFeed(ctx, alice.ID, before, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Posts {
			if p.Author == nil || (p.AuthorID == bob.ID && p.Author.Username != "bob") {
				t.Fatalf("author not filled: %+v", p.Author)
			}
			got = append(got, p.ID)
		}
		if page.Next == "" {
			break
		}
		before = page.Next
	}
	if !equalStrings(got, want) {
		t.Errorf("feed = %v\nwant %v", got, want)
	}
}
