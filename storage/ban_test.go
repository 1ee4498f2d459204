package storage

import (
	"context"
	"testing"
	"time"
)

// TestBanKeepsAnAccountOut: a banned member cannot post, comment, like
// or correct in the subwiki, a banned remote account's posts are
// refused; lifting or the end of the ban lets them back; it is logged.
func TestBanKeepsAnAccountOut(t *testing.T) {
	ctx := context.Background()
	db, clock := openTestDB(t)
	mod := mustCreateMember(t, db, "max")
	bob := mustCreateMember(t, db, "bob")
	town := mustCreateSubwiki(t, db, "town", mod, false)
	remote := saveRemote(t, db, "rex", "far.example")
	post, err := db.Publish(ctx, PostCreate{AuthorID: mod.ID, SubwikiID: town.ID, Kind: KindDiscussion,
		Headline: "Town hall meets tonight", Text: "Agenda inside."})
	if err != nil {
		t.Fatal(err)
	}

	ban, err := db.BanFromSubwiki(ctx, BanCreate{ByMemberID: mod.ID, SubwikiID: town.ID, AccountID: bob.ID,
		Reason: "Spam", Until: clock.Now().Add(48 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Publish(ctx, PostCreate{AuthorID: bob.ID, SubwikiID: town.ID, Kind: KindDiscussion, Headline: "Buy now", Text: "x"})
	wantCode(t, err, EForbidden)
	_, err = db.Comment(ctx, CommentCreate{AuthorID: bob.ID, ParentID: post.ID, Text: "buy"})
	wantCode(t, err, EForbidden)
	wantCode(t, db.LikePost(ctx, bob.ID, post.ID), EForbidden)
	_, err = db.ReviseHeadline(ctx, HeadlineEdit{PostID: post.ID, EditorID: bob.ID, BaseRevision: 1, Headline: "Buy now", Reason: "x"})
	wantCode(t, err, EForbidden)
	// Outside the subwiki the member may still post.
	if _, err := db.Publish(ctx, PostCreate{AuthorID: bob.ID, Kind: KindDiscussion, Headline: "Elsewhere", Text: "x"}); err != nil {
		t.Errorf("posting outside the subwiki: %v, want it allowed", err)
	}

	if _, err := db.BanFromSubwiki(ctx, BanCreate{ByMemberID: mod.ID, SubwikiID: town.ID, AccountID: remote.ID}); err != nil {
		t.Fatal(err)
	}
	_, err = db.SaveRemotePost(ctx, RemotePost{URI: "https://far.example/notes/1", AuthorID: remote.ID,
		Content: "<p>hi</p>", Visibility: Public, SubwikiID: town.ID, Published: clock.Now()})
	wantCode(t, err, EForbidden)
	wantCode(t, db.React(ctx, remote.ID, post.URI, Like, "https://far.example/likes/1", ""), EForbidden)

	bans, err := db.SubwikiBans(ctx, mod.ID, town.ID)
	if err != nil || len(bans) != 2 {
		t.Fatalf("SubwikiBans = %v, %v; want 2 bans", bans, err)
	}
	if err := db.LiftBan(ctx, mod.ID, town.ID, bans[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveRemotePost(ctx, RemotePost{URI: "https://far.example/notes/2", AuthorID: remote.ID,
		Content: "<p>hi</p>", Visibility: Public, SubwikiID: town.ID, Published: clock.Now()}); err != nil {
		t.Errorf("a post after the ban was lifted: %v, want it saved", err)
	}

	clock.Advance(49 * time.Hour)
	if _, err := db.Publish(ctx, PostCreate{AuthorID: bob.ID, SubwikiID: town.ID, Kind: KindDiscussion, Headline: "Back", Text: "x"}); err != nil {
		t.Errorf("posting after the ban ended: %v, want it allowed", err)
	}
	if b, err := db.CurrentBan(ctx, bob.ID, town.ID); err != nil || b != nil {
		t.Errorf("CurrentBan after the end = %v, %v; want none", b, err)
	}

	log, err := db.ModerationLog(ctx, town.ID, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	want := []string{ModUnbanMember, ModBanMember, ModBanMember}
	if len(actions) != len(want) || actions[0] != want[0] || actions[1] != want[1] || actions[2] != want[2] {
		t.Errorf("log actions = %v, want %v", actions, want)
	}
	if log[2].Reason != "Spam" || log[2].TargetText != "@bob@"+db.Site.Domain || !log[2].Until.Equal(ban.Until) {
		t.Errorf("the first ban's entry = %+v, want bob's with the reason and end", log[2])
	}
}

// TestWhoMayBan: only the subwiki's moderators and admins ban; nobody
// bans a moderator; the end must be in the future.
func TestWhoMayBan(t *testing.T) {
	ctx := context.Background()
	db, clock := openTestDB(t)
	mod := mustCreateMember(t, db, "max")
	bob := mustCreateMember(t, db, "bob")
	eve := mustCreateMember(t, db, "eve")
	town := mustCreateSubwiki(t, db, "town", mod, false)
	admin, err := db.CreateMember(ctx, MemberCreate{Username: "root_admin", Email: "a@example.com",
		DisplayName: "Admin", Password: "correct horse battery", IsAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.BanFromSubwiki(ctx, BanCreate{ByMemberID: eve.ID, SubwikiID: town.ID, AccountID: bob.ID})
	wantCode(t, err, EForbidden)
	_, err = db.BanFromSubwiki(ctx, BanCreate{ByMemberID: admin.ID, SubwikiID: town.ID, AccountID: mod.ID})
	wantCode(t, err, EConflict)
	_, err = db.BanFromSubwiki(ctx, BanCreate{ByMemberID: mod.ID, SubwikiID: town.ID, AccountID: bob.ID, Until: clock.Now().Add(-time.Hour)})
	wantCode(t, err, EInvalid)
	if _, err := db.BanFromSubwiki(ctx, BanCreate{ByMemberID: admin.ID, SubwikiID: town.ID, AccountID: bob.ID}); err != nil {
		t.Errorf("an admin's ban: %v, want it made", err)
	}
	_, err = db.SubwikiBans(ctx, eve.ID, town.ID)
	wantCode(t, err, EForbidden)
}

// TestRemoteBan: a remote group's ban of our member is kept once and
// refuses their posts into it; one about our own subwiki or someone
// elsewhere is refused; the Undo lifts it.
func TestRemoteBan(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	bob := mustCreateMember(t, db, "bob")
	mod := mustCreateMember(t, db, "max")
	town := mustCreateSubwiki(t, db, "town", mod, false)
	rex := saveRemote(t, db, "rex", "lemmy.example")
	group, err := db.SaveRemoteActor(ctx, RemoteActor{URI: "https://lemmy.example/c/news", Kind: KindGroup, Username: "news",
		Inbox: "https://lemmy.example/c/news/inbox", KeyID: "https://lemmy.example/c/news#main-key", PublicKeyPEM: testPublicKeys()[0]})
	if err != nil {
		t.Fatal(err)
	}
	ban := RemoteBan{GroupID: group.ID, AccountID: bob.ID, ByActorID: rex.ID, Reason: "spam", ActivityURI: "https://lemmy.example/activities/block/1"}
	for range 2 {
		if err := db.RecordRemoteBan(ctx, ban); err != nil {
			t.Fatal(err)
		}
	}
	if bans, err := db.BansOf(ctx, bob.ID); err != nil || len(bans) != 1 || bans[0].Subwiki.ID != group.ID || bans[0].Reason != "spam" {
		t.Fatalf("BansOf = %v, %v; want the one ban", bans, err)
	}
	_, err = db.Publish(ctx, PostCreate{AuthorID: bob.ID, SubwikiID: group.ID, Kind: KindDiscussion, Headline: "Hi", Text: "x"})
	wantCode(t, err, EForbidden)

	wantCode(t, db.RecordRemoteBan(ctx, RemoteBan{GroupID: town.ID, AccountID: bob.ID, ActivityURI: "https://lemmy.example/b/2"}), EForbidden)
	wantCode(t, db.RecordRemoteBan(ctx, RemoteBan{GroupID: group.ID, AccountID: rex.ID, ActivityURI: "https://lemmy.example/b/3"}), ENotFound)

	if err := db.LiftRemoteBan(ctx, group.ID, bob.ID, ban.ActivityURI, rex.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Publish(ctx, PostCreate{AuthorID: bob.ID, SubwikiID: group.ID, Kind: KindDiscussion, Headline: "Hi", Text: "x"}); err != nil {
		t.Errorf("posting after the ban was lifted: %v", err)
	}
}
