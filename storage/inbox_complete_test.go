package storage

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestEffectAndCompletionCommitTogether(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := saveRemote(t, db, "bob", "r.example")
	id := storeInbound(t, db, "https://r.example/follows/1", "")
	claimedURIs(t, db, 1)
	in := &Inbound{ID: id}
	completing := CompletingInbound(ctx, in)

	// A write that fails completes nothing.
	_, err := db.ReceiveFollow(completing, bob.ID, "no such actor", "https://r.example/follows/1")
	wantCode(t, err, ENotFound)
	if in.Completed() {
		t.Error("a failed write reported the activity completed")
	}
	if n, _ := db.PendingInbound(ctx); n != 1 {
		t.Fatalf("pending after a failed write = %d, want 1", n)
	}
	// One that succeeds completes the activity with its effect.
	if _, err := db.ReceiveFollow(completing, bob.ID, alice.ID, "https://r.example/follows/1"); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.PendingInbound(ctx); n != 0 {
		t.Errorf("pending after the effect = %d, want 0", n)
	}
	if !in.Completed() {
		t.Error("the write that completed the activity did not report it")
	}
	clock.Advance(time.Hour)
	if got := claimedURIs(t, db, 10); len(got) != 0 {
		t.Errorf("claimed %v after the effect, want nothing", got)
	}
	// Applied again, it changes nothing.
	kinds := outboxKinds(t, db)
	if _, err := db.ReceiveFollow(completing, bob.ID, alice.ID, "https://r.example/follows/1"); !errors.Is(err, ErrInboundDone) {
		t.Errorf("applied again: %v, want ErrInboundDone", err)
	}
	if again := outboxKinds(t, db); !equalStrings(again, kinds) {
		t.Errorf("outbox after applying again = %v, want %v", again, kinds)
	}
}
