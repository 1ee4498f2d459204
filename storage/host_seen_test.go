package storage

import (
	"context"
	"testing"
	"time"
)

// TestHostAnsweredRightAfterItWasMarkedDown: a server remembered as up a
// moment ago, then marked unavailable, is marked available again by the
// next activity it sends, at once.
func TestHostAnsweredRightAfterItWasMarkedDown(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	fail := func() {
		t.Helper()
		if err := db.write(ctx, func(tx *Tx) error { return tx.hostFailed(ctx, "b.example") }); err != nil {
			t.Fatal(err)
		}
	}
	fail()
	clock.Advance(HostUnavailableAfter + time.Hour)
	db.hostsUp.saw("b.example", db.Now()) // it sent something a moment ago
	fail()
	if down, _ := db.HostUnavailable(ctx, "b.example"); !down {
		t.Fatal("b.example not marked unavailable after a week of failures")
	}
	if err := db.HostAnswered(ctx, "B.example"); err != nil {
		t.Fatal(err)
	}
	if down, _ := db.HostUnavailable(ctx, "b.example"); down {
		t.Error("b.example still unavailable after it sent an activity")
	}
	// Remembered now: more activities within the second cost no read, and
	// a second later it is read again.
	if !db.hostsUp.recent("b.example", db.Now()) {
		t.Error("b.example not remembered as up")
	}
	clock.Advance(hostSeenFor)
	if db.hostsUp.recent("b.example", db.Now()) {
		t.Error("b.example still remembered after hostSeenFor")
	}
}
