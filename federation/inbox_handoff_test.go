package federation

import (
	"context"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// TestInboxHandsActivitiesToRunningWorkers: while the workers run, what
// the inbox stores reaches a worker in memory, claimed as it was stored;
// one that waited too long is left to the database, and one that finds
// no place is claimed from the database as before.
func TestInboxHandsActivitiesToRunningWorkers(t *testing.T) {
	ctx := context.Background()
	a, b := newInboxTestInstance(t), newPeer(t)
	clock := standStill(a, time.Now())
	bob := b.member("bob")
	alice := a.member(t, "alice")
	post, err := a.db.CreatePost(ctx, alice.ID, "The river is rising.")
	if err != nil {
		t.Fatal(err)
	}
	other, err := a.db.CreatePost(ctx, alice.ID, "The bridge is closed.")
	if err != nil {
		t.Fatal(err)
	}
	// Not running: nothing is held.
	b.send(a, bob, b.activity("Like", bob, post.URI))
	if in := a.fed.handoff.take(); in != nil {
		t.Fatalf("handed over %s while no worker runs", in.ActivityURI)
	}
	a.drain(t)

	a.fed.handoff.running.Store(true)
	defer a.fed.handoff.running.Store(false)
	wake := a.fed.inboxWake.wait()
	b.send(a, bob, b.activity("Like", bob, other.URI))
	select {
	case <-wake:
		t.Error("an activity handed over woke every idle worker; want it to reach one through the handoff")
	default:
	}
	if a.fed.claimAndHandle(ctx) {
		t.Fatal("the database offered the activity the inbox handed over")
	}
	if !a.fed.inboxStep(ctx, 1) || reactions(t, a, other.URI, "Like") != 1 {
		t.Fatalf("likes after a worker took the handed over activity = %d, want 1", reactions(t, a, other.URI, "Like"))
	}

	// Taken too late, it is not handled; the database offers it once its
	// claim lapses.
	b.send(a, bob, b.activity("Announce", bob, post.URI))
	clock.Add(int64(inboxLease - inboxHandlingTimeout + time.Second))
	if !a.fed.takeHandedOver(ctx) || reactions(t, a, post.URI, "Announce") != 0 {
		t.Fatal("an activity taken after its claim could lapse was handled")
	}
	if a.fed.claimAndHandle(ctx) {
		t.Fatal("the database offered the activity before its claim lapsed")
	}
	clock.Add(int64(inboxLease))
	if !a.fed.claimAndHandle(ctx) || reactions(t, a, post.URI, "Announce") != 1 {
		t.Fatalf("announces after the claim lapsed = %d, want 1", reactions(t, a, post.URI, "Announce"))
	}

	// A full handoff: the activity is stored unclaimed.
	for a.fed.handoff.reserve(1) {
	}
	b.send(a, bob, b.activity("Undo", bob, b.activity("Announce", bob, post.URI)))
	if !a.fed.claimAndHandle(ctx) {
		t.Fatal("an activity that found the handoff full was not claimed from the database")
	}
}

func TestInboxHandoffPlaces(t *testing.T) {
	h := newInboxHandoff()
	if h.reserve(1) {
		t.Fatal("reserved a place while no worker runs")
	}
	h.running.Store(true)
	n := 0
	for h.reserve(1) {
		n++
	}
	if n != inboxHandoffSize {
		t.Fatalf("reserved %d places, want %d", n, inboxHandoffSize)
	}
	h.put(nil, 1) // not held: the place is given back
	if !h.reserve(1) || h.reserve(1) {
		t.Fatal("a place given back could not be taken once")
	}
	if h.take() != nil {
		t.Fatal("took an activity none was put in")
	}

	// Bytes bound it too: large bodies find no place long before the
	// count is reached, and a place given back frees its bytes.
	h = newInboxHandoff()
	h.running.Store(true)
	big := inboxHandoffBytes / 4
	for range 4 {
		if !h.reserve(big) {
			t.Fatal("no place for a body within the bound")
		}
	}
	if h.reserve(1) {
		t.Fatal("a place beyond the bound of bytes")
	}
	h.put(&storage.Inbound{Body: make([]byte, big)}, big)
	if h.take() == nil || !h.reserve(big) {
		t.Fatal("the bytes of an activity taken were not freed")
	}
}
