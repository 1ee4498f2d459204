package storage

import (
	"context"
	"testing"
)

// TestRemoveFromElsewhere: a remote moderator removes a post of its
// community here, or the post's origin removes it; a community's
// moderator has no say over other posts or over subwikis here, nor a
// server over posts of others.
func TestRemoveFromElsewhere(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	bob := mustCreateMember(t, db, "bob")
	mod := mustCreateMember(t, db, "max")
	town := mustCreateSubwiki(t, db, "town", mod, false)
	lee := saveRemote(t, db, "lee", "lemmy.example")
	carl := saveRemote(t, db, "carl", "other.example")
	community, err := db.SaveRemoteActor(ctx, RemoteActor{URI: "https://lemmy.example/c/pills", Kind: KindGroup,
		Username: "pills", Inbox: "https://lemmy.example/c/pills/inbox", KeyID: "https://lemmy.example/c/pills#main-key",
		PublicKeyPEM: testPublicKeys()[0]})
	if err != nil {
		t.Fatal(err)
	}
	post := func(author *Actor, uri, subwiki string) *Post {
		t.Helper()
		p, err := db.SaveRemotePost(ctx, RemotePost{URI: uri, AuthorID: author.ID, Kind: KindDiscussion,
			Headline: "Pills", Content: "<p>Cheap</p>", Visibility: Public, SubwikiID: subwiki, Published: db.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	inCommunity := post(carl, "https://other.example/notes/1", community.ID)
	inTown := post(carl, "https://other.example/notes/2", town.ID)
	outside := post(carl, "https://other.example/notes/3", "")
	bobs, err := db.Publish(ctx, PostCreate{AuthorID: bob.ID, SubwikiID: community.ID, Kind: KindDiscussion,
		Headline: "Bob's pills", Text: "Cheap"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		r    RemoteRemoval
		code string
	}{
		{"a post of another community", RemoteRemoval{ActorID: lee.ID, PostURI: outside.URI, GroupID: community.ID}, EForbidden},
		{"a post in a subwiki here", RemoteRemoval{ActorID: lee.ID, PostURI: inTown.URI, GroupID: town.ID}, EForbidden},
		{"someone else's server", RemoteRemoval{ActorID: lee.ID, PostURI: outside.URI}, EForbidden},
		{"a member here", RemoteRemoval{ActorID: mod.ID, PostURI: inCommunity.URI, GroupID: community.ID}, EForbidden},
		{"a post of ours, not by its community", RemoteRemoval{ActorID: carl.ID, PostURI: bobs.URI}, EForbidden},
		{"the community's moderator", RemoteRemoval{ActorID: lee.ID, PostURI: inCommunity.URI, GroupID: community.ID, Reason: "Spam"}, ""},
		{"again", RemoteRemoval{ActorID: lee.ID, PostURI: inCommunity.URI, GroupID: community.ID, Reason: "Spam"}, ""},
		{"bob's post in the community", RemoteRemoval{ActorID: lee.ID, PostURI: bobs.URI, GroupID: community.ID, Reason: "Spam"}, ""},
		{"the origin", RemoteRemoval{ActorID: carl.ID, PostURI: outside.URI}, ""},
	} {
		if err := db.RemoveFromElsewhere(ctx, tc.r); ErrorCode(err) != tc.code {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.code)
		}
	}
	for _, p := range []*Post{inCommunity, bobs, outside} {
		if _, err := db.PostByURI(ctx, p.URI); ErrorCode(err) != ENotFound {
			t.Errorf("%s after its removal: %v, want not found", p.URI, err)
		}
	}
	if rm, err := db.Removal(ctx, bobs.ID); err != nil || rm.Reason != "Spam" || rm.RemoverID != lee.ID {
		t.Errorf("the removal of bob's post = %+v, %v", rm, err)
	}
	if _, err := db.PostByURI(ctx, inTown.URI); err != nil {
		t.Errorf("the post in s/town: %v, want it kept", err)
	}
	log, err := db.ModerationLog(ctx, "", "", 10)
	if err != nil || len(log) != 3 {
		t.Errorf("the instance's log = %v, %v; want three removals", log, err)
	}
}
