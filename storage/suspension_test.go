package storage

import (
	"context"
	"testing"
)

// TestSuspendMember: a suspended member's sessions end, they cannot sign
// in or post, their posts are hidden; lifting it lets them back. Only
// admins suspend; admins and oneself are not suspended; both are logged.
func TestSuspendMember(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	admin, err := db.CreateMember(ctx, MemberCreate{Username: "ada", Email: "ada@example.org", Password: "correct horse", IsAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	bob := mustCreateMember(t, db, "bob")
	eve := mustCreateMember(t, db, "eve")
	town := mustCreateSubwiki(t, db, "town", eve, false)
	post, err := db.Publish(ctx, PostCreate{AuthorID: bob.ID, SubwikiID: town.ID, Kind: KindDiscussion, Headline: "Hello", Text: "x"})
	if err != nil {
		t.Fatal(err)
	}
	token, err := db.CreateSession(ctx, bob.ID)
	if err != nil {
		t.Fatal(err)
	}

	_, err = db.SuspendMember(ctx, eve.ID, "bob", "spam")
	wantCode(t, err, EForbidden)
	_, err = db.SuspendMember(ctx, admin.ID, "ada", "")
	wantCode(t, err, EConflict)
	_, err = db.SuspendMember(ctx, "", "ada", "")
	wantCode(t, err, EConflict)
	_, err = db.SuspendMember(ctx, admin.ID, "nobody", "")
	wantCode(t, err, ENotFound)
	if _, err := db.SuspendMember(ctx, admin.ID, "bob", "Spam bot"); err != nil {
		t.Fatal(err)
	}
	_, err = db.SuspendMember(ctx, admin.ID, "bob", "again")
	wantCode(t, err, EConflict)

	_, err = db.MemberBySession(ctx, token)
	wantCode(t, err, EUnauthorized)
	_, err = db.Authenticate(ctx, "bob", "correct horse", "192.0.2.1")
	wantCode(t, err, EForbidden)
	if ErrorMessage(err) != "Your account is suspended by the admins: Spam bot." {
		t.Errorf("sign-in message = %q", ErrorMessage(err))
	}
	_, err = db.Publish(ctx, PostCreate{AuthorID: bob.ID, Kind: KindDiscussion, Headline: "Still here", Text: "x"})
	wantCode(t, err, EForbidden)
	if ok, err := db.MaySee(ctx, Stranger, post.ID); err != nil || ok {
		t.Errorf("a stranger may see the suspended member's post: %v, %v; want not", ok, err)
	}
	feed, err := db.SubwikiFeed(ctx, eve.ID, town.ID, "", 10)
	if err != nil || len(feed.Posts) != 0 {
		t.Errorf("the subwiki's feed has %d posts, %v; want none", len(feed.Posts), err)
	}

	if _, err := db.UnsuspendMember(ctx, "", "bob"); err != nil {
		t.Fatal(err)
	}
	_, err = db.UnsuspendMember(ctx, "", "bob")
	wantCode(t, err, EConflict)
	if _, err := db.Authenticate(ctx, "bob", "correct horse", "192.0.2.1"); err != nil {
		t.Errorf("sign-in after the suspension was lifted: %v", err)
	}
	if ok, _ := db.MaySee(ctx, Stranger, post.ID); !ok {
		t.Error("the post stays hidden after the suspension was lifted")
	}
	log, err := db.ModerationLog(ctx, "", "", 10)
	if err != nil || len(log) != 2 || log[0].Action != ModUnsuspendMember || log[1].Action != ModSuspendMember ||
		log[1].Reason != "Spam bot" || log[1].Actor == nil || log[1].Actor.ID != admin.ID || log[0].Actor != nil {
		t.Errorf("the instance's log = %+v, %v", log, err)
	}
}
