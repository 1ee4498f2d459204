package federation

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// TestBlackHolesDoNotHoldUpOthers queues a post to many servers known
// to be failing, which accept connections and never answer, and then to
// one live server: the live one must get its delivery while the black
// holes still hold their requests, not after the sender gave up on some
// of them. 256 is as many as the sender once claimed at a time (four
// times its 64 workers): the live delivery was neither sent nor claimed
// until black holes timed out.
func TestBlackHolesDoNotHoldUpOthers(t *testing.T) {
	const holes = 256
	ctx := context.Background()
	liveArrived := make(chan struct{})
	var once sync.Once
	arrived := func() { once.Do(func() { close(liveArrived) }) }
	var gaveUp, held atomic.Int64 // black-hole requests ended before the live delivery arrived; requests held
	var heldThen int64            // held when the live delivery arrived
	var inboxes []string
	for range holes {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			held.Add(1)
			io.Copy(io.Discard, r.Body) // after the body, the server sees the sender give up
			select {
			case <-liveArrived:
			case <-r.Context().Done():
				select {
				case <-liveArrived:
				default:
					gaveUp.Add(1)
				}
			}
			w.WriteHeader(http.StatusServiceUnavailable)
		}))
		t.Cleanup(srv.Close)
		inboxes = append(inboxes, srv.URL+"/inbox")
	}
	live := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { heldThen = held.Load(); close(liveArrived) })
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(live.Close)
	t.Cleanup(arrived) // runs first: lets the black holes go

	site := storage.Site{Scheme: "http", Domain: "127.0.0.1:1"}
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "t.db"), site)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := &testClock{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	db.Now = clock.Now
	alice, err := db.CreateMember(ctx, storage.MemberCreate{Username: "alice", Email: "a@example.org", Password: "a long password"})
	if err != nil {
		t.Fatal(err)
	}
	expand := func(inboxes []string) {
		t.Helper()
		if _, err := db.CreatePost(ctx, alice.ID, "news"); err != nil {
			t.Fatal(err)
		}
		events, _ := db.PendingOutbox(ctx, 10)
		if _, err := db.ExpandOutbox(ctx, events[0].ID, []byte(`{"type":"Create"}`), "", inboxes); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Millisecond) // the next event's deliveries are due after these
	}

	// An earlier post found the black holes failing.
	expand(inboxes)
	claimed, err := db.ClaimDeliveries(ctx, holes, 0, time.Minute)
	if err != nil || len(claimed) != holes {
		t.Fatalf("claimed %d of %d, %v", len(claimed), holes, err)
	}
	for _, d := range claimed {
		failure := storage.DeliveryFailure{Reason: "timeout", RetryAt: clock.Now().Add(time.Hour), Host: storage.HostDown}
		if err := db.DeliveryFailed(ctx, d, failure); err != nil {
			t.Fatal(err)
		}
	}
	expand(inboxes)
	expand([]string{live.URL + "/inbox"})

	f := New(db, Config{Site: site, Version: "test", AllowPrivateAddresses: true}, slog.New(slog.DiscardHandler))
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { f.runDeliveries(runCtx); close(done) }()
	defer func() { cancel(); arrived(); <-done }()

	select {
	case <-liveArrived:
	case <-time.After(time.Minute):
		t.Fatal("the live server got nothing in a minute")
	}
	if n := gaveUp.Load(); n > 0 {
		t.Errorf("%d requests to black holes were given up before the live server got its delivery, want none", n)
	}
	if n := heldThen; n > failingWorkers {
		t.Errorf("%d requests to failing servers held at once, want at most %d", n, failingWorkers)
	}
}
