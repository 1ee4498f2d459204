package storage

import (
	"context"
	"testing"
)

// outboxKinds lists the kinds of pending outbox events, oldest first.
func outboxKinds(t *testing.T, db *DB) []string {
	t.Helper()
	events, err := db.PendingOutbox(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	return kinds
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFollowRemoteAndAccept(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := saveRemote(t, db, "bob", "social.example")

	f, err := db.Follow(ctx, alice.ID, bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	if f.State != FollowPending || f.ActivityURI != "https://tidings.test/activities/"+f.ID {
		t.Errorf("follow = %+v", f)
	}
	again, _ := db.Follow(ctx, alice.ID, bob.ID)
	if again.ID != f.ID {
		t.Error("following twice made a second follow")
	}
	if got := outboxKinds(t, db); !equalStrings(got, []string{EventFollow}) {
		t.Errorf("outbox = %v", got)
	}
	// An Accept from someone else does not count.
	carl := saveRemote(t, db, "carl", "social.example")
	wantCode(t, db.ReceiveAccept(ctx, carl.ID, f.ActivityURI, alice.ID), ENotFound)

	if err := db.ReceiveAccept(ctx, bob.ID, f.ActivityURI, alice.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FollowBetween(ctx, alice.ID, bob.ID); got.State != FollowAccepted {
		t.Errorf("state after Accept = %s", got.State)
	}
	page, _ := db.Following(ctx, alice.ID, "", 10)
	if len(page.Actors) != 1 || page.Actors[0].ID != bob.ID {
		t.Errorf("following = %v", page.Actors)
	}

	if err := db.Unfollow(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FollowBetween(ctx, alice.ID, bob.ID); got != nil {
		t.Error("follow remains after unfollow")
	}
	events, _ := db.PendingOutbox(ctx, 10)
	last := events[len(events)-1]
	if last.Kind != EventUndoFollow || last.Payload.ObjectURI != f.ActivityURI || last.Payload.TargetActorID != bob.ID {
		t.Errorf("undo event = %+v", last)
	}
}

func TestFollowRefusals(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	inst, _ := db.InstanceActor(ctx)
	_, err := db.Follow(ctx, alice.ID, alice.ID)
	wantCode(t, err, EInvalid)
	_, err = db.Follow(ctx, alice.ID, inst.ID)
	wantCode(t, err, EInvalid)
	_, err = db.Follow(ctx, alice.ID, "nobody")
	wantCode(t, err, ENotFound)
}

func TestReceiveFollow(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := saveRemote(t, db, "bob", "social.example")
	eve := saveRemote(t, db, "eve", "other.example")
	dan := saveRemote(t, db, "dan", "other.example")

	f, err := db.ReceiveFollow(ctx, bob.ID, alice.ID, "https://social.example/follows/1")
	if err != nil || f.State != FollowAccepted {
		t.Fatalf("follow = %+v, %v", f, err)
	}
	// A repeated Follow is answered again, with its new id.
	f2, _ := db.ReceiveFollow(ctx, bob.ID, alice.ID, "https://social.example/follows/2")
	if f2.ID != f.ID || f2.ActivityURI != "https://social.example/follows/2" {
		t.Errorf("repeated follow = %+v", f2)
	}
	if got := outboxKinds(t, db); !equalStrings(got, []string{EventAcceptFollow, EventAcceptFollow}) {
		t.Errorf("outbox = %v", got)
	}
	if _, err := db.ReceiveFollow(ctx, eve.ID, alice.ID, "https://other.example/f/1"); err != nil {
		t.Fatal(err)
	}
	inboxes, _ := db.FollowerInboxes(ctx, alice.ID)
	if len(inboxes) != 2 {
		t.Errorf("follower inboxes = %v, want the two shared inboxes", inboxes)
	}
	if _, err := db.ReceiveFollow(ctx, dan.ID, alice.ID, "https://other.example/f/2"); err != nil {
		t.Fatal(err)
	}
	inboxes, _ = db.FollowerInboxes(ctx, alice.ID)
	if len(inboxes) != 2 {
		t.Errorf("follower inboxes = %v, want one per server", inboxes)
	}
	followers, following, _ := db.FollowCounts(ctx, alice.ID)
	if followers != 3 || following != 0 {
		t.Errorf("counts = %d, %d", followers, following)
	}
	if err := db.ReceiveUndoFollow(ctx, bob.ID, alice.ID, ""); err != nil {
		t.Fatal(err)
	}
	followers, _, _ = db.FollowCounts(ctx, alice.ID)
	if followers != 2 {
		t.Errorf("followers after Undo = %d", followers)
	}
	// Follows of a local actor through the inbox, or of the instance, are refused.
	inst, _ := db.InstanceActor(ctx)
	_, err = db.ReceiveFollow(ctx, bob.ID, inst.ID, "https://social.example/follows/3")
	wantCode(t, err, ENotFound)
	_, err = db.ReceiveFollow(ctx, alice.ID, alice.ID, "https://tidings.test/x")
	wantCode(t, err, EForbidden)
}

func TestManualApprovalOfFollowers(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	locked := true
	if _, err := db.UpdateProfile(ctx, alice.ID, ProfileUpdate{ManuallyApprovesFollowers: &locked}); err != nil {
		t.Fatal(err)
	}
	bob := saveRemote(t, db, "bob", "social.example")
	carl := saveRemote(t, db, "carl", "social.example")
	dora := mustCreateMember(t, db, "dora")
	for _, r := range []*Actor{bob, carl} {
		f, err := db.ReceiveFollow(ctx, r.ID, alice.ID, r.URI+"/follow")
		if err != nil || f.State != FollowPending {
			t.Fatalf("follow of %s = %+v, %v", r.Username, f, err)
		}
	}
	if f, _ := db.Follow(ctx, dora.ID, alice.ID); f.State != FollowPending {
		t.Errorf("local follow of a locked member is %s", f.State)
	}
	requests, _ := db.FollowRequests(ctx, alice.ID)
	if len(requests) != 3 {
		t.Fatalf("requests = %d", len(requests))
	}
	if err := db.ApproveFollower(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.RejectFollower(ctx, alice.ID, carl.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.ApproveFollower(ctx, alice.ID, carl.ID), ENotFound)
	// Unlocking accepts the rest; local follows need no activity.
	unlocked := false
	if _, err := db.UpdateProfile(ctx, alice.ID, ProfileUpdate{ManuallyApprovesFollowers: &unlocked}); err != nil {
		t.Fatal(err)
	}
	if f, _ := db.FollowBetween(ctx, dora.ID, alice.ID); f.State != FollowAccepted {
		t.Errorf("dora's follow after unlocking is %s", f.State)
	}
	want := []string{EventUpdateActor, EventAcceptFollow, EventRejectFollow, EventUpdateActor}
	if got := outboxKinds(t, db); !equalStrings(got, want) {
		t.Errorf("outbox = %v, want %v", got, want)
	}
}

func TestFollowPages(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	for _, name := range []string{"a1", "a2", "a3", "a4", "a5"} {
		r := saveRemote(t, db, name, "social.example")
		if _, err := db.ReceiveFollow(ctx, r.ID, alice.ID, r.URI+"/f"); err != nil {
			t.Fatal(err)
		}
	}
	var seen []string
	before := ""
	for i := 0; i < 5; i++ {
		page, err := db.Followers(ctx, alice.ID, before, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Actors {
			seen = append(seen, a.Username)
		}
		if page.Next == "" {
			break
		}
		before = page.Next
	}
	if !equalStrings(seen, []string{"a5", "a4", "a3", "a2", "a1"}) {
		t.Errorf("pages = %v", seen)
	}
}

func TestIsFollowedLocallyCountsRequests(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := saveRemote(t, db, "bob", "social.example")
	if followed, _ := db.IsFollowedLocally(ctx, bob.ID); followed {
		t.Fatal("followed before anyone asked")
	}
	f, _ := db.Follow(ctx, alice.ID, bob.ID) // pending until bob accepts
	if followed, _ := db.IsFollowedLocally(ctx, bob.ID); !followed {
		t.Errorf("a follow request (%s) does not count", f.State)
	}
}
