package federation

import (
	"context"
	"fmt"
	"strings"
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
	a.fed.inboxStep(ctx, 0)
	a.fed.inboxStep(ctx, 0)
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
	// Parked: kept with its body and last error, listed for an admin,
	// and no longer taken.
	parked, err := a.db.ParkedInbound(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(parked) != 1 || parked[0].ActivityURI != follow["id"] || parked[0].Attempts != inboxMaxAttempts ||
		!strings.Contains(parked[0].LastError, "panic: a bug in handling follows") || !strings.Contains(string(parked[0].Body), `"Follow"`) {
		t.Fatalf("parked = %+v; want the Follow, its body, %d attempts and the panic", parked, inboxMaxAttempts)
	}
	if n, _ := a.db.PendingInbound(ctx); n != 0 {
		t.Errorf("pending = %d, want 0: a parked activity waits for no worker", n)
	}
	// Once the bug is fixed, the admin retries it, and it is handled.
	a.fed.inboxHook = nil
	if err := a.db.RetryParkedInbound(ctx, parked[0].ID); err != nil {
		t.Fatal(err)
	}
	a.drain(t)
	if f := follower(t, a, bob); f == nil {
		t.Error("bob does not follow alice after the parked Follow was retried")
	}
	if parked, _ := a.db.ParkedInbound(ctx, 10); len(parked) != 0 {
		t.Errorf("parked after the retry = %+v, want none", parked)
	}
	if err := a.db.RetryParkedInbound(ctx, parked[0].ID); storage.ErrorCode(err) != storage.ENotFound {
		t.Errorf("retrying an activity that is not parked = %v, want not found", err)
	}
}

// An activity that has no effect is processed with the reason, not
// parked: there is nothing to retry.
func TestInboxWorkerDoesNotParkWhatHadNoEffect(t *testing.T) {
	ctx := context.Background()
	a, b := newInboxTestInstance(t), newPeer(t)
	bob := b.member("bob")
	b.send(a, bob, b.activity("Like", bob, a.fed.cfg.Site.PostURI("nothing-here")))
	a.drain(t)
	if parked, _ := a.db.ParkedInbound(ctx, 10); len(parked) != 0 {
		t.Errorf("parked = %+v; want none", parked)
	}
	if n, _ := a.db.PendingInbound(ctx); n != 0 {
		t.Errorf("pending = %d, want 0", n)
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

// A panic deep in a storage write (a remote post dated 1900 once made
// one) fails that activity only: the transaction is rolled back and the
// worker, and every later write, carry on.
func TestInboxWorkerSurvivesAPanicInAStorageWrite(t *testing.T) {
	ctx := context.Background()
	a, b := newInboxTestInstance(t), newPeer(t)
	clock := standStill(a, time.Now())
	bob := b.member("bob")
	alice := a.fed.cfg.Site.ActorURI("alice")
	post, err := a.db.CreatePost(ctx, a.member(t, "alice").ID, "The river is rising.")
	if err != nil {
		t.Fatal(err)
	}
	b.send(a, bob, b.activity("Create", bob, map[string]any{"id": b.id("posts"), "type": "Note",
		"attributedTo": bob.URI, "content": "<p>Old news</p>", "published": "1900-01-01T00:00:00Z",
		"to": []any{alice}, "tag": []any{map[string]any{"type": "Mention", "href": alice}}}))
	b.send(a, bob, b.activity("Like", bob, post.URI))
	for range inboxMaxAttempts + 1 {
		a.drain(t)
		clock.Add(int64(24 * time.Hour))
	}
	if got := reactions(t, a, post.URI, "Like"); got != 1 {
		t.Errorf("likes = %d, want 1", got)
	}
	if n, _ := a.db.PendingInbound(ctx); n != 0 {
		t.Errorf("pending = %d, want 0", n)
	}
}

// TestInboxWorkersGoOnUnderAFlood: while many inbox requests are being
// answered, most workers wait, but processing does not stop; once the
// requests end, every worker takes work again.
func TestInboxWorkersGoOnUnderAFlood(t *testing.T) {
	ctx := context.Background()
	a, b := newInboxTestInstance(t), newPeer(t)
	bob := b.member("bob")
	alice := a.member(t, "alice")
	const likes = 3 * inboxWorkers
	var posts []string
	for i := range likes {
		post, err := a.db.CreatePost(ctx, alice.ID, fmt.Sprintf("The river is rising, report %d.", i))
		if err != nil {
			t.Fatal(err)
		}
		posts = append(posts, post.URI)
		b.send(a, bob, b.activity("Like", bob, post.URI))
	}
	liked := func() int {
		n := 0
		for _, uri := range posts {
			n += reactions(t, a, uri, "Like")
		}
		return n
	}
	var handling, most atomic.Int64
	a.fed.inboxHook = func(context.Context, *storage.Inbound) {
		n := handling.Add(1)
		defer handling.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(20 * time.Millisecond) // long enough for the others to take work, if they may
	}

	a.fed.receiving.Store(inboxBusyRequests + 1) // a flood under way
	running, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { a.fed.Run(running); close(done) }()
	defer func() { stop(); <-done }()
	waitUntil(t, func() bool { return liked() >= inboxWorkers })
	if got := most.Load(); got > inboxWorkersWhenBusy {
		t.Errorf("%d workers handled activities at once during the flood, want at most %d", got, inboxWorkersWhenBusy)
	}
	a.fed.receiving.Store(0)
	waitUntil(t, func() bool { return liked() == likes })
	if got := most.Load(); got <= inboxWorkersWhenBusy {
		t.Errorf("after the flood at most %d workers handled activities at once, want more", got)
	}
}

// waitUntil polls cond until it holds, failing the test after a while.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestInboxWakesIdleWorkers: storing an activity wakes the workers
// waiting for work, so they need not poll often; an activity refused
// wakes nobody.
func TestInboxWakesIdleWorkers(t *testing.T) {
	a, b := newInboxTestInstance(t), newPeer(t)
	bob := b.member("bob")
	post, err := a.db.CreatePost(context.Background(), a.member(t, "alice").ID, "The river is rising.")
	if err != nil {
		t.Fatal(err)
	}
	woken := func(ch <-chan struct{}) bool {
		select {
		case <-ch:
			return true
		default:
			return false
		}
	}
	wake := a.fed.inboxWake.wait()
	if woken(wake) {
		t.Fatal("woken before anything arrived")
	}
	b.send(a, bob, b.activity("Like", bob, post.URI))
	if !woken(wake) {
		t.Error("a stored activity did not wake the idle workers")
	}
	if again := a.fed.inboxWake.wait(); woken(again) {
		t.Error("a worker that waits after the wake-up was woken by it")
	}
}

// TestPublishingWakesTheOutboxAndDeliveries: a member's post wakes the
// outbox worker, and expanding it into deliveries wakes the delivery
// loop, so neither waits for its next look.
func TestPublishingWakesTheOutboxAndDeliveries(t *testing.T) {
	a, b := newInboxTestInstance(t), newPeer(t)
	alice := a.member(t, "alice")
	bob := b.member("bob")
	b.send(a, bob, b.activity("Follow", bob, alice.URI))
	a.drain(t)
	woken := func(ch <-chan struct{}) bool {
		select {
		case <-ch:
			return true
		default:
			return false
		}
	}
	ctx := context.Background()
	if _, err := a.fed.expandOutbox(ctx); err != nil { // the follow's Accept, before watching
		t.Fatal(err)
	}
	outbox, deliveries := a.fed.outboxWake.wait(), a.fed.deliveryWake.wait()
	if _, err := a.db.CreatePost(ctx, alice.ID, "The river is rising."); err != nil {
		t.Fatal(err)
	}
	if !woken(outbox) {
		t.Fatal("publishing did not wake the outbox worker")
	}
	if woken(deliveries) {
		t.Fatal("the delivery loop was woken before anything was expanded")
	}

	running, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { a.fed.runOutbox(running); close(done) }()
	defer func() { stop(); <-done }()
	waitUntil(t, func() bool { return woken(deliveries) })
}
