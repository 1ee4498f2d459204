package federation

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// standStill makes the instance's clock stand still at now until the
// test moves it.
func standStill(in *inboxTestInstance, now time.Time) *atomic.Int64 {
	var clock atomic.Int64
	clock.Store(now.UnixNano())
	in.db.Now = func() time.Time { return time.Unix(0, clock.Load()) }
	return &clock
}

func TestInboxWorkerParksAPanickingActivity(t *testing.T) {
	ctx := context.Background()
	a, b := newInboxTestInstance(t), newPeer(t)
	clock := standStill(a, time.Now())
	bob := b.member("bob")
	post, err := a.db.CreatePost(ctx, a.member(t, "alice").ID, "The river is rising.")
	if err != nil {
		t.Fatal(err)
	}
	follow := b.activity("Follow", bob, a.fed.cfg.Site.ActorURI("alice"))
	var panics atomic.Int64
	a.fed.inboxHook = func(ctx context.Context, in *storage.Inbound) {
		if in.ActivityURI == follow["id"] {
			panics.Add(1)
			panic("a bug in handling follows")
		}
	}
	b.send(a, bob, follow)
	b.send(a, bob, b.activity("Like", bob, post.URI))

	// The Follow panics; the worker carries on with the Like at once.
	a.fed.inboxStep(ctx)
	a.fed.inboxStep(ctx)
	if got := reactions(t, a, post.URI, "Like"); got != 1 {
		t.Errorf("likes after the worker met a panicking Follow = %d, want 1", got)
	}
	if panics.Load() != 1 {
		t.Fatalf("the Follow was handled %d times, want 1", panics.Load())
	}
	// It is retried with growing waits until it is parked.
	for range 20 {
		clock.Add(int64(24 * time.Hour))
		a.drain(t)
	}
	if got := panics.Load(); got != inboxMaxAttempts {
		t.Errorf("the panicking Follow was tried %d times, want %d", got, inboxMaxAttempts)
	}
	if f := follower(t, a, bob); f != nil {
		t.Errorf("follow after the panics = %+v, want none", f)
	}
}

func TestInboxWorkerHoldsOnlyWhatItHandles(t *testing.T) {
	ctx := context.Background()
	a, b := newInboxTestInstance(t), newPeer(t)
	start := time.Now()
	clock := standStill(a, start)
	bob := b.member("bob")
	post, err := a.db.CreatePost(ctx, a.member(t, "alice").ID, "The river is rising.")
	if err != nil {
		t.Fatal(err)
	}
	follow := b.activity("Follow", bob, a.fed.cfg.Site.ActorURI("alice"))
	like := b.activity("Like", bob, post.URI)
	b.send(a, bob, follow)
	b.send(a, bob, like)

	handled := 0
	a.fed.inboxHook = func(ctx context.Context, in *storage.Inbound) {
		if in.ActivityURI != follow["id"] {
			return
		}
		handled++
		// The handling must end, one way or the other, before the lease.
		deadline, ok := ctx.Deadline()
		if !ok || time.Until(deadline) >= inboxLease {
			t.Errorf("the Follow is handled with deadline %v (set: %v); want one within the lease of %v", time.Until(deadline), ok, inboxLease)
		}
		// Another worker finds the Like, which this one has not started,
		// and not the Follow, not even just before the lease ends.
		clock.Store(start.Add(inboxLease - time.Millisecond).UnixNano())
		claimed, err := a.db.ClaimInbound(ctx, 8, inboxLease)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, other := range claimed {
			got = append(got, other.ActivityURI)
			a.db.RetryInbound(ctx, other.ID, "handed back", start)
		}
		if len(got) != 1 || got[0] != like["id"] {
			t.Errorf("another worker claimed %v while the Follow was handled; want only the Like", got)
		}
	}
	a.drain(t)
	if handled != 1 {
		t.Errorf("the Follow was handled %d times, want 1", handled)
	}
	if f := follower(t, a, bob); f == nil {
		t.Error("bob does not follow alice after the worker handled the Follow")
	}
	if got := reactions(t, a, post.URI, "Like"); got != 1 {
		t.Errorf("likes = %d, want 1", got)
	}
}
