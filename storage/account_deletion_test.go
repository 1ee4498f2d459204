package storage

import (
	"context"
	"testing"
	"time"
)

// deletionWorld is a member, alice, with a post, a comment on bob's
// post, a like, a flag, a follower on remote.example and a followee on
// other.example; and bob, who stays.
type deletionWorld struct {
	db            *DB
	clock         *testClock
	alice, bob    *Member
	post, bobs    *Post
	comment       *Post
	follower      *Actor
	followee      *Actor
	replier       *Actor
	aliceActorURI string
}

func newDeletionWorld(t *testing.T) *deletionWorld {
	t.Helper()
	ctx := context.Background()
	db, clock := openTestDB(t)
	w := &deletionWorld{db: db, clock: clock}
	w.alice = mustCreateMember(t, db, "alice")
	w.bob = mustCreateMember(t, db, "bob")
	w.post = publishNews(t, db, w.alice.ID, "alices-news")
	w.bobs = publishNews(t, db, w.bob.ID, "bobs-news")
	var err error
	if w.comment, err = db.Comment(ctx, CommentCreate{AuthorID: w.alice.ID, ParentID: w.bobs.ID, Text: "a reply"}); err != nil {
		t.Fatal(err)
	}
	if err := db.LikePost(ctx, w.alice.ID, w.bobs.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FlagItem(ctx, FlagCreate{ReporterID: w.alice.ID, PostID: w.bobs.ID, Category: FlagSpam}); err != nil {
		t.Fatal(err)
	}
	w.follower = saveRemote(t, db, "carol", "remote.example")
	if _, err := db.ReceiveFollow(ctx, w.follower.ID, w.alice.ID, "https://remote.example/follows/1"); err != nil {
		t.Fatal(err)
	}
	w.followee = saveRemote(t, db, "dave", "other.example")
	if _, err := db.Follow(ctx, w.alice.ID, w.followee.ID); err != nil {
		t.Fatal(err)
	}
	w.replier = saveRemote(t, db, "erin", "third.example")
	a, err := db.ActorByID(ctx, w.alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	w.aliceActorURI = a.URI
	return w
}

func TestAccountDeletionWrongPasswordChangesNothing(t *testing.T) {
	w := newDeletionWorld(t)
	ctx := context.Background()
	_, err := w.db.RequestAccountDeletion(ctx, w.alice.ID, "wrong horse", time.Hour)
	wantCode(t, err, EForbidden)
	if n := count(t, w.db, `SELECT count(*) FROM account_deletions`); n != 0 {
		t.Errorf("deletions = %d, want 0", n)
	}
}

func TestAccountDeletionGraceAndCancel(t *testing.T) {
	w := newDeletionWorld(t)
	ctx := context.Background()
	d, err := w.db.RequestAccountDeletion(ctx, w.alice.ID, "correct horse", 7*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.DueAt, w.clock.now.Add(7*24*time.Hour); !got.Equal(want) {
		t.Errorf("due = %v, want %v", got, want)
	}
	_, err = w.db.RequestAccountDeletion(ctx, w.alice.ID, "correct horse", time.Hour)
	wantCode(t, err, EConflict)
	_, err = w.db.Publish(ctx, PostCreate{AuthorID: w.alice.ID, Kind: KindNews, Headline: "more", LinkURL: "https://example.org/more"})
	wantCode(t, err, EForbidden)
	_, err = w.db.Comment(ctx, CommentCreate{AuthorID: w.alice.ID, ParentID: w.bobs.ID, Text: "again"})
	wantCode(t, err, EForbidden)

	w.clock.Advance(6 * 24 * time.Hour)
	if got, err := w.db.DeleteDueAccount(ctx); err != nil || got != nil {
		t.Fatalf("delete due within grace = %v, %v; want nothing", got, err)
	}
	if err := w.db.CancelAccountDeletion(ctx, w.alice.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, w.db.CancelAccountDeletion(ctx, w.alice.ID), EConflict)
	w.clock.Advance(2 * 24 * time.Hour)
	if got, err := w.db.DeleteDueAccount(ctx); err != nil || got != nil {
		t.Fatalf("delete due after cancel = %v, %v; want nothing", got, err)
	}
	if _, err := w.db.Publish(ctx, PostCreate{AuthorID: w.alice.ID, Kind: KindNews, Headline: "back", LinkURL: "https://example.org/back"}); err != nil {
		t.Errorf("publish after cancel: %v", err)
	}
}

func TestLastAdminCannotDeleteThemselves(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	admin, err := db.CreateMember(ctx, MemberCreate{Username: "root_admin", Email: "r@example.org", Password: "correct horse", IsAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.RequestAccountDeletion(ctx, admin.ID, "correct horse", time.Hour)
	wantCode(t, err, EConflict)
	other, err := db.CreateMember(ctx, MemberCreate{Username: "second", Email: "s@example.org", Password: "correct horse", IsAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.RequestAccountDeletion(ctx, admin.ID, "correct horse", time.Hour); err != nil {
		t.Fatalf("with another admin: %v", err)
	}
	// The other admin is now the last one staying.
	_, err = db.RequestAccountDeletion(ctx, other.ID, "correct horse", time.Hour)
	wantCode(t, err, EConflict)
}

func TestDeleteDueAccountRemovesContentAndKeepsName(t *testing.T) {
	w := newDeletionWorld(t)
	ctx := context.Background()
	// erin on third.example replied to alice's post.
	if _, err := w.db.SaveRemotePost(ctx, RemotePost{URI: "https://third.example/notes/1", AuthorID: w.replier.ID,
		Content: "<p>reply</p>", Visibility: Public, InReplyTo: w.post.URI, Published: w.clock.now}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.RequestAccountDeletion(ctx, w.alice.ID, "correct horse", 7*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(7*24*time.Hour + time.Minute)
	d, err := w.db.DeleteDueAccount(ctx)
	if err != nil || d == nil {
		t.Fatalf("delete due = %v, %v", d, err)
	}
	for _, c := range []struct {
		what, query string
	}{
		{"posts and comments", `SELECT count(*) FROM posts WHERE author_id = ?1`},
		{"likes", `SELECT count(*) FROM reactions WHERE actor_id = ?1`},
		{"follows", `SELECT count(*) FROM follows WHERE follower_id = ?1 OR followee_id = ?1`},
		{"flags", `SELECT count(*) FROM flags WHERE reporter_id = ?1`},
		{"sessions", `SELECT count(*) FROM sessions WHERE member_id = ?1`},
		{"member", `SELECT count(*) FROM members WHERE id = ?1`},
	} {
		if n := count(t, w.db, c.query, w.alice.ID); n != 0 {
			t.Errorf("%s left: %d", c.what, n)
		}
	}
	if p, err := w.db.PostByID(ctx, w.bobs.ID); err != nil || p.LikeCount != 0 || p.CommentCount != 0 {
		t.Errorf("bob's post after = %+v, %v; want no like, no comment", p, err)
	}
	if gone, _ := w.db.IsDeleted(ctx, w.post.URI); !gone {
		t.Errorf("alice's post is not tombstoned")
	}
	_, err = w.db.CreateMember(ctx, MemberCreate{Username: "alice", Email: "new@example.org", Password: "correct horse"})
	wantCode(t, err, EConflict)
	got, err := w.db.AccountDeletionInboxes(ctx, w.alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"https://other.example/inbox", "https://remote.example/inbox", "https://third.example/inbox"}
	if len(got) != len(want) {
		t.Fatalf("inboxes = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("inboxes = %v, want %v", got, want)
		}
	}
	if n := count(t, w.db, `SELECT count(*) FROM outbox WHERE kind = ? AND actor_id = ?`, EventDeleteActor, w.alice.ID); n != 1 {
		t.Errorf("Delete events = %d, want 1", n)
	}
	if gone, err := w.db.DeletedAccount(ctx, "alice"); err != nil || gone == nil || gone.Pending() {
		t.Errorf("deleted account = %+v, %v", gone, err)
	}
	// bob is untouched.
	if n := count(t, w.db, `SELECT count(*) FROM posts WHERE author_id = ?`, w.bob.ID); n != 1 {
		t.Errorf("bob's posts = %d, want 1", n)
	}
}

func TestDeletedActorIsForgottenOnlyAfterItsDelete(t *testing.T) {
	w := newDeletionWorld(t)
	ctx := context.Background()
	if _, err := w.db.RequestAccountDeletion(ctx, w.alice.ID, "correct horse", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.DeleteDueAccount(ctx); err != nil {
		t.Fatal(err)
	}
	if found, err := w.db.ForgetDeletedActor(ctx); err != nil || found {
		t.Fatalf("forget before the Delete is sent = %v, %v", found, err)
	}
	var eventID string
	events, err := w.db.PendingOutbox(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Kind == EventDeleteActor {
			eventID = e.ID
		} else if _, err := w.db.ExpandOutbox(ctx, e.ID, nil, "", nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.db.ExpandOutbox(ctx, eventID, []byte(`{}`), "", []string{"https://remote.example/inbox"}); err != nil {
		t.Fatal(err)
	}
	if found, _ := w.db.ForgetDeletedActor(ctx); found {
		t.Fatalf("forgot the actor while its Delete is pending")
	}
	if _, _, err := w.db.SigningKey(ctx, w.alice.ID); err != nil {
		t.Fatalf("key while the Delete is pending: %v", err)
	}
	deliveries, err := w.db.ClaimDeliveries(ctx, 10, 10, time.Minute)
	if err != nil || len(deliveries) != 1 {
		t.Fatalf("claimed %d deliveries, %v", len(deliveries), err)
	}
	if err := w.db.DeliverySucceeded(ctx, deliveries[0]); err != nil {
		t.Fatal(err)
	}
	if found, err := w.db.ForgetDeletedActor(ctx); err != nil || !found {
		t.Fatalf("forget after delivery = %v, %v", found, err)
	}
	if _, err := w.db.ActorByID(ctx, w.alice.ID); ErrorCode(err) != ENotFound {
		t.Errorf("actor after forgetting: %v, want not found", err)
	}
	if gone, err := w.db.DeletedAccount(ctx, "alice"); err != nil || gone == nil {
		t.Errorf("deletion record after forgetting = %v, %v", gone, err)
	}
}
