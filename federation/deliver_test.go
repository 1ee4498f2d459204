package federation

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// TestSlowServerDoesNotHoldUpOthers queues many deliveries to a server
// that answers slowly, then one to a fast server: the fast one must not
// wait for the slow server's queue.
func TestSlowServerDoesNotHoldUpOthers(t *testing.T) {
	var slowHits, fastHits atomic.Int64
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(500 * time.Millisecond)
		slowHits.Add(1)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer slow.Close()
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fastHits.Add(1)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer fast.Close()

	site := storage.Site{Scheme: "http", Domain: "127.0.0.1:1"}
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "t.db"), site)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	alice, err := db.CreateMember(ctx, storage.MemberCreate{Username: "alice", Email: "a@example.org", Password: "a long password"})
	if err != nil {
		t.Fatal(err)
	}
	for _, inboxes := range [][]string{slowInboxes(slow.URL, 300), {fast.URL + "/inbox"}} {
		if _, err := db.CreatePost(ctx, alice.ID, "news"); err != nil {
			t.Fatal(err)
		}
		events, _ := db.PendingOutbox(ctx, 10)
		if _, err := db.ExpandOutbox(ctx, events[0].ID, []byte(`{}`), "", inboxes); err != nil {
			t.Fatal(err)
		}
	}

	f := New(db, Config{Site: site, Version: "test", AllowPrivateAddresses: true}, slog.New(slog.DiscardHandler))
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { f.runDeliveries(runCtx); close(done) }()
	defer func() { cancel(); <-done }()

	start := time.Now()
	for fastHits.Load() == 0 && time.Since(start) < 10*time.Second {
		time.Sleep(10 * time.Millisecond)
	}
	if took := time.Since(start); fastHits.Load() != 1 || took > 2*time.Second {
		t.Errorf("the fast server got %d deliveries after %v, behind %d slow ones; want 1 within 2 s",
			fastHits.Load(), took, slowHits.Load())
	}
}

func slowInboxes(base string, n int) []string {
	var inboxes []string
	for i := range n {
		inboxes = append(inboxes, fmt.Sprintf("%s/inbox/%d", base, i))
	}
	return inboxes
}

// TestAPanickingDeliveryIsRecordedAndTheWorkersCarryOn sends deliveries
// whose signing panics (the signer's key is missing), more of them than a
// server may have in flight, and then one that signs: each panic must be
// recorded as that delivery's failure, and the server's slots given back.
func TestAPanickingDeliveryIsRecordedAndTheWorkersCarryOn(t *testing.T) {
	in := newOutboxTestInstance(t)
	ctx := context.Background()
	carol, err := in.db.CreateMember(ctx, storage.MemberCreate{Username: "carol", Email: "c@example.org", Password: "a long password"})
	if err != nil {
		t.Fatal(err)
	}
	in.fed.keys.byID = map[string]signingKey{carol.ID: {id: "http://127.0.0.1:1/users/carol#main-key"}} // no key: signing panics
	in.fed.expandOutbox(ctx)                                                                            // the Accept of bob's follow
	var carols []string
	for i := range perHostLimit + 2 {
		carols = append(carols, fmt.Sprintf("%s/users/u%d/inbox", in.remote.URL, i))
	}
	expand := func(member *storage.Member, inboxes []string) {
		if _, err := in.db.CreatePost(ctx, member.ID, "news"); err != nil {
			t.Fatal(err)
		}
		events, _ := in.db.PendingOutbox(ctx, 10)
		if _, err := in.db.ExpandOutbox(ctx, events[0].ID, []byte(`{"type":"Create"}`), "", inboxes); err != nil {
			t.Fatal(err)
		}
	}
	expand(carol, carols)
	expand(in.alice, []string{in.remote.URL + "/inbox"})

	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { in.fed.runDeliveries(runCtx); close(done) }()
	for start := time.Now(); len(in.remote.objects()) < 2 && time.Since(start) < 10*time.Second; {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	if got := in.remote.objects(); len(got) != 2 {
		t.Fatalf("the server received %d deliveries (%v); want the Accept and alice's, after carol's %d failed", len(got), got, len(carols))
	}

	// Each of carol's is recorded as failed, due again after the first
	// retry's wait, not held until its claim lapses.
	in.clock.Advance(time.Minute)
	again, err := in.db.ClaimDeliveries(ctx, 100, 0, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != len(carols) {
		t.Fatalf("due again after a minute: %d deliveries, want carol's %d", len(again), len(carols))
	}
	for _, d := range again {
		if d.ActorID != carol.ID || d.Attempts != 2 {
			t.Errorf("delivery to %s by %s: attempt %d, want carol's second", d.Inbox, d.ActorID, d.Attempts)
		}
	}
}
