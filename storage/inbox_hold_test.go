package storage

import (
	"context"
	"testing"
	"time"
)

func receiveHeld(t *testing.T, db *DB, uri, key string) (bool, *Inbound) {
	t.Helper()
	stored, held, err := db.ReceiveInbound(context.Background(), NewInbound{ActivityURI: uri,
		ActorURI: "https://r.example/u/bob", Type: "Like", OrderKey: key, Body: []byte(`{"a":1}`), Hold: time.Minute})
	if err != nil {
		t.Fatalf("receive %s: %v", uri, err)
	}
	return stored, held
}

func TestReceivedInboundIsHeldWithoutAClaimOfItsOwn(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	stored, held := receiveHeld(t, db, "https://r.example/like/1", "bob post")
	if !stored || held == nil {
		t.Fatalf("stored %v, held %v; want the activity stored and held", stored, held)
	}
	if held.Attempts != 1 || string(held.Body) != `{"a":1}` || held.OrderKey != "bob post" || held.ID == "" {
		t.Errorf("held %+v; want it as a claim returns it, on its first attempt", held)
	}
	if got := claimedURIs(t, db, 10); len(got) != 0 {
		t.Fatalf("claimed %v while the activity is held; want nothing", got)
	}
	// The same activity again changes nothing and holds nothing.
	if stored, again := receiveHeld(t, db, "https://r.example/like/1", "bob post"); stored || again != nil {
		t.Errorf("received again: stored %v, held %v; want neither", stored, again)
	}
	// Another about the same thing waits for the first, unheld.
	if stored, next := receiveHeld(t, db, "https://r.example/undo/1", "bob post"); !stored || next != nil {
		t.Errorf("second of its key: stored %v, held %v; want stored, not held", stored, next)
	}
	// Completing the held one lets the second be claimed.
	if err := db.FinishInbound(ctx, held.ID, ""); err != nil {
		t.Fatal(err)
	}
	claimed, err := db.ClaimInbound(ctx, 10, time.Minute)
	if err != nil || len(claimed) != 1 || claimed[0].ActivityURI != "https://r.example/undo/1" {
		t.Fatalf("claimed %v, %v after the first was done; want the second", claimed, err)
	}
	if err := db.FinishInbound(ctx, claimed[0].ID, ""); err != nil {
		t.Fatal(err)
	}
	// A held activity whose holder died is due once its claim is released,
	// or once the hold lapses.
	_, lost := receiveHeld(t, db, "https://r.example/like/2", "")
	clock.Advance(2 * time.Minute)
	again, err := db.ClaimInbound(ctx, 10, time.Minute)
	if err != nil || len(again) != 1 || again[0].ActivityURI != lost.ActivityURI || again[0].Attempts != 2 {
		t.Fatalf("claimed %v, %v after the hold lapsed; want %s on its second attempt", again, err, lost.ActivityURI)
	}
	if err := db.FinishInbound(ctx, again[0].ID, ""); err != nil {
		t.Fatal(err)
	}
	_, crashed := receiveHeld(t, db, "https://r.example/like/3", "")
	if _, inbound, err := db.ReleaseClaims(ctx); err != nil || inbound < 1 {
		t.Fatalf("released %d inbound, %v; want the held one among them", inbound, err)
	}
	if got := claimedURIs(t, db, 10); len(got) != 1 || got[0] != crashed.ActivityURI {
		t.Errorf("claimed %v after release; want %s", got, crashed.ActivityURI)
	}
}

func TestCompletingFindsAnActivityDoneOrUnknown(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	_, held := receiveHeld(t, db, "https://r.example/like/1", "")
	write := func(in *Inbound) error {
		return db.write(CompletingInbound(ctx, in), func(tx *Tx) error { return nil })
	}
	if err := write(held); err != nil || !held.Completed() {
		t.Fatalf("first completion: %v, completed %v; want done", err, held.Completed())
	}
	if err := write(held); err != ErrInboundDone {
		t.Errorf("second completion: %v; want ErrInboundDone", err)
	}
	if err := write(&Inbound{ID: "nope"}); ErrorCode(err) != ENotFound {
		t.Errorf("completing an unknown activity: %v; want not found", err)
	}
}
