package storage

import (
	"context"
	"testing"
	"time"
)

// damagePayload replaces an event's payload with text that is not JSON,
// as a fault on disk or an older version's bug might leave it.
func damagePayload(t *testing.T, db *DB, eventID string) {
	t.Helper()
	if _, err := db.writer.ExecContext(context.Background(), `UPDATE outbox SET payload = '{"object_uri": ' WHERE id = ?`, eventID); err != nil {
		t.Fatal(err)
	}
}

func TestPendingOutboxReturnsAnUnreadableEventWithTheOthers(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	db.CreatePost(ctx, alice.ID, "first")
	first, err := db.PendingOutbox(ctx, 10)
	if err != nil || len(first) != 1 {
		t.Fatalf("pending = %d, %v", len(first), err)
	}
	damagePayload(t, db, first[0].ID)
	db.CreatePost(ctx, alice.ID, "second")

	events, err := db.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatalf("pending outbox failed for every event because of one: %v", err)
	}
	if len(events) != 2 {
		t.Fatalf("got %d events, want 2", len(events))
	}
	if events[0].ID != first[0].ID || events[0].Invalid == nil {
		t.Errorf("the damaged event %s came back without Invalid set: %+v", first[0].ID, events[0])
	}
	if events[1].Invalid != nil {
		t.Errorf("the sound event is marked invalid: %v", events[1].Invalid)
	}
}

func TestOutboxFailuresBackOffThenPark(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	db.CreatePost(ctx, alice.ID, "news")
	events, _ := db.PendingOutbox(ctx, 10)
	id := events[0].ID

	for attempt := 1; attempt <= OutboxMaxAttempts; attempt++ {
		parked, err := db.OutboxFailed(ctx, id, "build failed", clock.now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if want := attempt == OutboxMaxAttempts; parked != want {
			t.Fatalf("attempt %d: parked = %v, want %v", attempt, parked, want)
		}
		if pending, _ := db.PendingOutbox(ctx, 10); len(pending) != 0 {
			t.Fatalf("attempt %d: the event is taken again before its next attempt is due", attempt)
		}
		clock.Advance(time.Minute)
		pending, _ := db.PendingOutbox(ctx, 10)
		if want := !parked; (len(pending) == 1) != want {
			t.Fatalf("attempt %d: pending after the wait = %d events, want taken again: %v", attempt, len(pending), want)
		}
		if len(pending) == 1 && pending[0].Attempts != attempt {
			t.Errorf("attempt %d: attempts = %d", attempt, pending[0].Attempts)
		}
	}
	if _, err := db.OutboxFailed(ctx, id, "again", clock.now); ErrorCode(err) != ENotFound {
		t.Errorf("failing a parked event: %v, want not found", err)
	}

	parked, err := db.ParkedOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(parked) != 1 || parked[0].ID != id || parked[0].Attempts != OutboxMaxAttempts ||
		parked[0].LastError != "build failed" || !parked[0].ParkedAt.Equal(clock.now.Add(-time.Minute)) {
		t.Fatalf("parked = %+v", parked)
	}

	if err := db.RetryParkedOutbox(ctx, id); err != nil {
		t.Fatal(err)
	}
	if pending, _ := db.PendingOutbox(ctx, 10); len(pending) != 1 || pending[0].Attempts != 0 {
		t.Errorf("after a retry on demand: %+v, want the event due with no attempts", pending)
	}
	if parked, _ := db.ParkedOutbox(ctx, 10); len(parked) != 0 {
		t.Errorf("still parked: %+v", parked)
	}
	wantCode(t, db.RetryParkedOutbox(ctx, id), ENotFound)
	wantCode(t, db.RetryParkedOutbox(ctx, "no such event"), ENotFound)
}

// TestOnOutboxAfterCommitsThatQueue: the function OnOutbox sets is
// called once a commit has queued outbox events, and not for a write
// that queued none or failed.
func TestOnOutboxAfterCommitsThatQueue(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	var calls int
	db.OnOutbox(func() { calls++ })

	if _, err := db.CreatePost(ctx, alice.ID, "The river is rising."); err != nil {
		t.Fatal(err)
	}
	if calls == 0 {
		t.Fatal("publishing a post, which queues its Create, called nothing")
	}
	before := calls
	if _, err := db.CreatePost(ctx, alice.ID, ""); err == nil {
		t.Fatal("an empty post was published")
	}
	if err := db.write(ctx, func(tx *Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	refused := Errorf(EInvalid, "refused after queueing")
	if err := db.write(ctx, func(tx *Tx) error {
		if err := tx.enqueue(ctx, EventUpdateActor, alice.ID, alice.ID, OutboxPayload{}); err != nil {
			return err
		}
		return refused
	}); err != refused {
		t.Fatalf("write: %v, want its own error", err)
	}
	if calls != before {
		t.Errorf("a failed write and one that queued nothing made %d calls", calls-before)
	}
}
