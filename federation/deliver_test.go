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
		if _, err := db.ExpandOutbox(ctx, events[0].ID, []byte(`{}`), inboxes); err != nil {
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
