package storage

import (
	"context"
	"slices"
	"testing"
	"time"
)

// storeInbound stores an inbound activity for a test and returns its id
// in the inbox.
func storeInbound(t *testing.T, db *DB, uri, key string) string {
	t.Helper()
	ctx := context.Background()
	if stored, err := db.StoreInbound(ctx, uri, "https://r.example/u/bob", "Like", key, []byte(`{}`)); err != nil || !stored {
		t.Fatalf("store %s = %v, %v", uri, stored, err)
	}
	var id string
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT id FROM inbox WHERE activity_uri = ?`, uri).Scan(&id)
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func claimedURIs(t *testing.T, db *DB, limit int) []string {
	t.Helper()
	claimed, err := db.ClaimInbound(context.Background(), limit, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	var uris []string
	for _, in := range claimed {
		uris = append(uris, in.ActivityURI)
	}
	return uris
}

func TestInboundWithTheSameKeyIsHandledInOrder(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	follow := storeInbound(t, db, "https://r.example/follow", "bob alice")
	storeInbound(t, db, "https://r.example/undo", "bob alice")
	storeInbound(t, db, "https://r.example/like", "bob post")
	storeInbound(t, db, "https://r.example/other", "")

	if got, want := claimedURIs(t, db, 10), []string{"https://r.example/follow", "https://r.example/like", "https://r.example/other"}; !equalStrings(got, want) {
		t.Fatalf("claimed %v, want %v: the Undo waits for its Follow", got, want)
	}
	// A Follow waiting for a retry still holds its Undo back.
	if err := db.RetryInbound(ctx, follow, "server down", clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Minute)
	if got := claimedURIs(t, db, 10); slices.Contains(got, "https://r.example/undo") {
		t.Fatalf("claimed %v while the Follow waits for a retry; want the Undo kept back", got)
	}
	// Once the Follow is done, the Undo is due; a parked Follow would not
	// hold it either.
	if err := db.ParkInbound(ctx, follow, "gave up"); err != nil {
		t.Fatal(err)
	}
	if got := claimedURIs(t, db, 10); !slices.Contains(got, "https://r.example/undo") {
		t.Fatalf("claimed %v after the Follow was parked; want the Undo among them", got)
	}
}

func TestParkedInboundIsKeptAndRetriedOnDemand(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	id := storeInbound(t, db, "https://r.example/a/1", "k")
	for range 3 {
		claimedURIs(t, db, 1)
		clock.Advance(time.Hour)
	}
	if err := db.ParkInbound(ctx, id, "panic: boom"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(24 * time.Hour)
	if got := claimedURIs(t, db, 10); len(got) != 0 {
		t.Errorf("claimed %v, want nothing: parked activities are not taken", got)
	}
	if n, _ := db.PendingInbound(ctx); n != 0 {
		t.Errorf("pending = %d, want 0", n)
	}
	parked, err := db.ParkedInbound(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(parked) != 1 || parked[0].ID != id || parked[0].LastError != "panic: boom" || parked[0].Attempts != 3 ||
		string(parked[0].Body) != `{}` || !parked[0].ParkedAt.Equal(clock.Now().Add(-24*time.Hour)) {
		t.Fatalf("parked = %+v", parked)
	}
	if err := db.RetryParkedInbound(ctx, id); err != nil {
		t.Fatal(err)
	}
	claimed, _ := db.ClaimInbound(ctx, 10, time.Minute)
	if len(claimed) != 1 || claimed[0].ID != id || claimed[0].Attempts != 1 {
		t.Fatalf("claimed after the retry = %+v; want it, with its attempts counted afresh", claimed)
	}
	wantCode(t, db.RetryParkedInbound(ctx, id), ENotFound)
	// Finished, it cannot be parked any more.
	if err := db.FinishInbound(ctx, id, ""); err != nil {
		t.Fatal(err)
	}
	if err := db.ParkInbound(ctx, id, "late"); err != nil {
		t.Fatal(err)
	}
	if parked, _ := db.ParkedInbound(ctx, 10); len(parked) != 0 {
		t.Errorf("parked = %+v, want none", parked)
	}
}
