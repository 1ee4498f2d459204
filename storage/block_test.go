package storage

import (
	"context"
	"testing"
)

func TestBlockBetweenMembers(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	alice, bob := mustCreateMember(t, db, "alice"), mustCreateMember(t, db, "bob")
	aliceActor, _ := db.ActorByID(ctx, alice.ID)
	for _, f := range [][2]string{{alice.ID, bob.ID}, {bob.ID, alice.ID}} {
		if _, err := db.Follow(ctx, f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	post := discuss(t, db, alice, "", "Alice writes")
	if err := db.Block(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.Block(ctx, alice.ID, bob.ID), "") // twice changes nothing
	for _, f := range [][2]string{{alice.ID, bob.ID}, {bob.ID, alice.ID}} {
		if got, _ := db.FollowBetween(ctx, f[0], f[1]); got != nil {
			t.Errorf("follow %s → %s remains after the block", f[0], f[1])
		}
	}
	_, err := db.Follow(ctx, bob.ID, alice.ID)
	wantCode(t, err, EForbidden)
	_, err = db.Follow(ctx, alice.ID, bob.ID)
	wantCode(t, err, EForbidden)
	if ok, _ := db.MaySee(ctx, bob.ID, post.ID); ok {
		t.Error("bob sees the post of alice, who blocked him")
	}
	if ok, _ := db.MaySee(ctx, Stranger, post.ID); !ok {
		t.Error("a stranger does not see alice's public post")
	}
	_, err = db.Comment(ctx, CommentCreate{AuthorID: bob.ID, ParentID: post.ID, Text: "Let me in"})
	wantCode(t, err, ENotFound)
	// Bob's mention neither notifies alice nor shows her his direct post.
	mention := discuss(t, db, bob, "", "Hey alice", aliceActor)
	if n, _ := db.UnreadNotifications(ctx, alice.ID); n != 0 {
		t.Errorf("alice has %d notifications from bob, whom she blocked", n)
	}
	if ok, _ := db.MaySee(ctx, alice.ID, mention.ID); ok {
		t.Error("alice sees the post of bob, whom she blocked")
	}
	if s, _ := db.MuteStateOf(ctx, bob.ID, alice.ID); !s.BlockedBy || s.Blocked {
		t.Errorf("bob's state towards alice = %+v", s)
	}
	if list, _ := db.Mutes(ctx, alice.ID); len(list.Blocked) != 1 || list.Blocked[0].ID != bob.ID {
		t.Errorf("alice's blocks = %+v", list.Blocked)
	}
	if err := db.Unblock(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if ok, _ := db.MaySee(ctx, bob.ID, post.ID); !ok {
		t.Error("bob does not see alice's post after the block is lifted")
	}
	if _, err := db.Follow(ctx, bob.ID, alice.ID); err != nil {
		t.Errorf("follow after the block is lifted: %v", err)
	}
	for _, kind := range outboxKinds(t, db) {
		if kind == EventBlock || kind == EventUndoBlock || kind == EventUndoFollow {
			t.Errorf("a block between members here sent %s", kind)
		}
	}
}

func TestBlockRemoteAccount(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	alice := mustCreateMember(t, db, "alice")
	carl := saveRemote(t, db, "carl", "social.example")
	follow, err := db.Follow(ctx, alice.ID, carl.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ReceiveFollow(ctx, carl.ID, alice.ID, "https://social.example/follows/1"); err != nil {
		t.Fatal(err)
	}
	if err := db.Block(ctx, alice.ID, carl.ID); err != nil {
		t.Fatal(err)
	}
	_, err = db.ReceiveFollow(ctx, carl.ID, alice.ID, "https://social.example/follows/2")
	wantCode(t, err, EForbidden)
	if err := db.Unblock(ctx, alice.ID, carl.ID); err != nil {
		t.Fatal(err)
	}
	events, _ := db.PendingOutbox(ctx, 20)
	var kinds []string
	var block, undo *OutboxEvent
	for _, e := range events {
		kinds = append(kinds, e.Kind)
		switch e.Kind {
		case EventBlock:
			block = e
		case EventUndoBlock:
			undo = e
		case EventUndoFollow:
			if e.Payload.ObjectURI != follow.ActivityURI {
				t.Errorf("undo of follow %s, want %s", e.Payload.ObjectURI, follow.ActivityURI)
			}
		}
	}
	want := []string{EventFollow, EventAcceptFollow, EventUndoFollow, EventBlock, EventUndoBlock}
	if !equalStrings(kinds, want) {
		t.Fatalf("outbox = %v, want %v", kinds, want)
	}
	if block.ActorID != alice.ID || block.Payload.TargetActorID != carl.ID || block.Payload.ActivityURI == "" ||
		undo.Payload.ActivityURI != block.Payload.ActivityURI {
		t.Errorf("block = %+v, undo = %+v", block, undo)
	}
}

func TestReceiveBlockEndsFollows(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	alice := mustCreateMember(t, db, "alice")
	carl := saveRemote(t, db, "carl", "social.example")
	if _, err := db.ReceiveFollow(ctx, carl.ID, alice.ID, "https://social.example/follows/1"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Follow(ctx, alice.ID, carl.ID); err != nil {
		t.Fatal(err)
	}
	const blockURI = "https://social.example/blocks/1"
	for range 2 { // a repeated Block changes nothing
		if err := db.ReceiveBlock(ctx, carl.ID, alice.ID, blockURI); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range [][2]string{{alice.ID, carl.ID}, {carl.ID, alice.ID}} {
		if got, _ := db.FollowBetween(ctx, f[0], f[1]); got != nil {
			t.Errorf("follow %s → %s remains after the Block", f[0], f[1])
		}
	}
	post := discuss(t, db, alice, "", "Alice writes")
	if ok, _ := db.MaySee(ctx, carl.ID, post.ID); ok {
		t.Error("carl, who blocked alice, may see her post")
	}
	_, err := db.ReceiveFollow(ctx, carl.ID, alice.ID, "https://social.example/follows/2")
	wantCode(t, err, EForbidden)
	// Only the blocker lifts its block.
	dora := saveRemote(t, db, "dora", "social.example")
	if err := db.ReceiveUndoBlock(ctx, dora.ID, blockURI); err != nil {
		t.Fatal(err)
	}
	if s, _ := db.MuteStateOf(ctx, alice.ID, carl.ID); !s.BlockedBy {
		t.Error("another actor's Undo lifted carl's block")
	}
	if err := db.ReceiveUndoBlock(ctx, carl.ID, blockURI); err != nil {
		t.Fatal(err)
	}
	if s, _ := db.MuteStateOf(ctx, alice.ID, carl.ID); s.BlockedBy {
		t.Error("carl's Undo did not lift his block")
	}
}

// TestUndoOfABlockByID: an Undo that names the Block only by its id lifts
// it, and a Block arriving after its Undo is refused.
func TestUndoOfABlockByID(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	alice := mustCreateMember(t, db, "alice")
	carl := saveRemote(t, db, "carl", "social.example")
	const blockURI = "https://social.example/blocks/7"
	if err := db.ReceiveBlock(ctx, carl.ID, alice.ID, blockURI); err != nil {
		t.Fatal(err)
	}
	if found, err := db.UndoActivity(ctx, carl.ID, blockURI); err != nil || !found {
		t.Fatalf("undo by id: found %v, %v", found, err)
	}
	if s, _ := db.MuteStateOf(ctx, alice.ID, carl.ID); s.BlockedBy {
		t.Error("the Undo by id did not lift the block")
	}
	wantCode(t, db.ReceiveBlock(ctx, carl.ID, alice.ID, blockURI), EConflict)
	if s, _ := db.MuteStateOf(ctx, alice.ID, carl.ID); s.BlockedBy {
		t.Error("a Block undone before it arrived took effect")
	}
}
