package storage

import (
	"context"
	"strings"
	"testing"
)

func mustCreateSubwiki(t *testing.T, db *DB, name string, moderator *Member, membersOnly bool) *Subwiki {
	t.Helper()
	s, err := db.CreateSubwiki(context.Background(), SubwikiCreate{
		Name: name, Title: strings.ToUpper(name[:1]) + name[1:] + " news", Description: "About " + name, MembersOnly: membersOnly,
	}, moderator.ID)
	if err != nil {
		t.Fatalf("create subwiki %s: %v", name, err)
	}
	return s
}

func TestCreateSubwiki(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	s := mustCreateSubwiki(t, db, "climate", alice, false)

	group, err := db.ActorByID(ctx, s.ID)
	if err != nil || group.Kind != KindGroup || group.URI != "https://tidings.test/s/climate" || group.DisplayName != "Climate news" {
		t.Fatalf("group actor = %+v, %v", group, err)
	}
	if ok, _ := db.IsModerator(ctx, alice.ID, s.ID); !ok {
		t.Error("the creator is not a moderator")
	}
	if f, _ := db.FollowBetween(ctx, alice.ID, s.ID); f == nil || f.State != FollowAccepted {
		t.Errorf("the creator has not joined: %+v", f)
	}
	// Members and subwikis share names.
	_, err = db.CreateSubwiki(ctx, SubwikiCreate{Name: "alice", Title: "x"}, alice.ID)
	wantCode(t, err, EConflict)
	_, err = db.CreateMember(ctx, MemberCreate{Username: "climate", Email: "c@example.org", Password: "long enough"})
	wantCode(t, err, EConflict)
	for _, bad := range []SubwikiCreate{
		{Name: "Bad Name", Title: "x"}, {Name: "admin", Title: "x"}, {Name: "ok_name"}, {Name: "ok2", Title: strings.Repeat("t", 101)},
	} {
		_, err := db.CreateSubwiki(ctx, bad, alice.ID)
		if err == nil {
			t.Errorf("%+v was accepted", bad)
		}
	}
	list, _ := db.Subwikis(ctx, SubwikiFilter{Query: "CLIM"})
	if len(list) != 1 || list[0].Members != 1 {
		t.Errorf("directory search = %+v", list)
	}
	if list, _ := db.Subwikis(ctx, SubwikiFilter{Query: "nothing like it"}); len(list) != 0 {
		t.Errorf("search found %d", len(list))
	}
}

func TestModerators(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := mustCreateMember(t, db, "bob")
	s := mustCreateSubwiki(t, db, "local_news", alice, false)
	wantCode(t, db.AddModerator(ctx, bob.ID, s.ID, "bob"), EForbidden)
	wantCode(t, db.RemoveModerator(ctx, alice.ID, s.ID, "alice"), EConflict)
	if err := db.AddModerator(ctx, alice.ID, s.ID, "bob"); err != nil {
		t.Fatal(err)
	}
	title := "Local news of the valley"
	if _, err := db.UpdateSubwiki(ctx, bob.ID, s.ID, SubwikiUpdate{Title: &title}); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveModerator(ctx, bob.ID, s.ID, "alice"); err != nil {
		t.Fatal(err)
	}
	_, err := db.UpdateSubwiki(ctx, alice.ID, s.ID, SubwikiUpdate{Title: &title})
	wantCode(t, err, EForbidden)
	mods, _ := db.Moderators(ctx, s.ID)
	if len(mods) != 1 || mods[0].Username != "bob" {
		t.Errorf("moderators = %v", mods)
	}
}

func TestMembersOnlySubwiki(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := mustCreateMember(t, db, "bob")
	s := mustCreateSubwiki(t, db, "insiders", alice, true)
	news := PostCreate{AuthorID: bob.ID, SubwikiID: s.ID, Kind: KindDiscussion, Headline: "Hello", Text: "Hi all"}
	_, err := db.Publish(ctx, news)
	wantCode(t, err, EForbidden)
	f, err := db.Follow(ctx, bob.ID, s.ID)
	if err != nil || f.State != FollowPending {
		t.Fatalf("join = %+v, %v", f, err)
	}
	wantCode(t, db.DecideJoin(ctx, bob.ID, s.ID, bob.ID, true), EForbidden)
	if err := db.DecideJoin(ctx, alice.ID, s.ID, bob.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Publish(ctx, news); err != nil {
		t.Errorf("a member could not post: %v", err)
	}
}

func TestStarterSubwikis(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	admin := mustCreateMember(t, db, "admin_one")
	news := mustCreateSubwiki(t, db, "news", admin, false)
	club := mustCreateSubwiki(t, db, "club", admin, true)
	db.StarterSubwikis = []string{"news", "club", "missing"}

	m := mustCreateMember(t, db, "newcomer")
	if f, _ := db.FollowBetween(ctx, m.ID, news.ID); f == nil || f.State != FollowAccepted {
		t.Errorf("not joined to news: %+v", f)
	}
	if f, _ := db.FollowBetween(ctx, m.ID, club.ID); f == nil || f.State != FollowPending {
		t.Errorf("no request to the members-only club: %+v", f)
	}
	db.Registration = RegistrationApproval
	pending, err := db.Register(ctx, registration("waiting", ""))
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := db.FollowBetween(ctx, pending.ID, news.ID); f != nil {
		t.Error("a member waiting for approval joined already")
	}
	db.ApproveMember(ctx, "waiting")
	if f, _ := db.FollowBetween(ctx, pending.ID, news.ID); f == nil {
		t.Error("not joined after approval")
	}
}
