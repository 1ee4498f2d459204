package federation

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// deliverOnce makes one delivery to inbox, of a new post by alice, and
// sends it.
func (in *outboxTestInstance) deliverOnce(t *testing.T, inbox string) {
	t.Helper()
	ctx := context.Background()
	if _, err := in.db.CreatePost(ctx, in.alice.ID, "news"); err != nil {
		t.Fatal(err)
	}
	events, _ := in.db.PendingOutbox(ctx, 10)
	if _, err := in.db.ExpandOutbox(ctx, events[len(events)-1].ID, []byte(`{"type":"Create"}`), "", []string{inbox}); err != nil {
		t.Fatal(err)
	}
	if sent := in.deliverDue(t); sent == 0 {
		t.Fatal("nothing was sent")
	}
}

// A server that answers 404 or 410 for one inbox is up; only a server
// that fails (5xx) or cannot be reached is on its way to unavailable.
func TestOnlyAFailingServerIsMarkedUnavailable(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	unreachable := "http://" + closed.Addr().String() + "/inbox"
	closed.Close()
	tests := []struct {
		name   string
		status int    // the answer of the server, for inbox ""
		inbox  string // else this inbox, where nothing answers
		down   bool
	}{
		{"404 for an inbox", http.StatusNotFound, "", false},
		{"410 for an inbox", http.StatusGone, "", false},
		{"403 for an inbox", http.StatusForbidden, "", false},
		{"503", http.StatusServiceUnavailable, "", true},
		{"500", http.StatusInternalServerError, "", true},
		{"no connection", 0, unreachable, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := newOutboxTestInstance(t)
			in.fed.expandOutbox(context.Background()) // the Accept of bob's follow
			in.deliverDue(t)
			in.remote.answer = func(map[string]any) int { return tt.status }
			inbox := tt.inbox
			if inbox == "" {
				inbox = in.remote.URL + "/users/gone/inbox"
			}
			// A failure now and another after more than a week of them.
			in.deliverOnce(t, inbox)
			in.clock.Advance(storage.HostUnavailableAfter + time.Hour)
			in.deliverOnce(t, inbox)
			down, err := in.db.HostUnavailable(context.Background(), hostOf(inbox))
			if err != nil {
				t.Fatal(err)
			}
			if down != tt.down {
				t.Errorf("after a week of these failures: unavailable = %v, want %v", down, tt.down)
			}
		})
	}
}

func TestAnUnavailableServerIsProbedOnceADay(t *testing.T) {
	in := newOutboxTestInstance(t)
	ctx := context.Background()
	in.fed.expandOutbox(ctx)
	in.deliverDue(t)
	// The server answers 503 to everything but its NodeInfo discovery
	// document: 503 too at first, then JSON that links to no NodeInfo
	// (the domain parked), then the document, once it is up again.
	var srv struct {
		answer string
		probes int
	}
	in.remote.answer = func(map[string]any) int { return http.StatusServiceUnavailable }
	in.remote.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/nodeinfo" {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		in.remote.mu.Lock()
		srv.probes++
		answer := srv.answer
		in.remote.mu.Unlock()
		if answer == "" {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(answer))
	})
	host := hostOf(in.remote.URL)
	in.deliverOnce(t, in.remote.URL+"/inbox")
	in.clock.Advance(storage.HostUnavailableAfter + time.Hour)
	in.deliverOnce(t, in.remote.URL+"/inbox")
	if down, _ := in.db.HostUnavailable(ctx, host); !down {
		t.Fatal("the server was not marked unavailable")
	}
	probes := func() int {
		in.remote.mu.Lock()
		defer in.remote.mu.Unlock()
		return srv.probes
	}

	in.fed.probeHosts(ctx)
	if n := probes(); n != 0 {
		t.Fatalf("probed %d times on the day it was marked unavailable, want none", n)
	}
	in.clock.Advance(25 * time.Hour)
	in.fed.probeHosts(ctx)
	in.fed.probeHosts(ctx)
	if n := probes(); n != 1 {
		t.Fatalf("probed %d times a day later, want once", n)
	}
	if down, _ := in.db.HostUnavailable(ctx, host); !down {
		t.Fatal("a probe that failed made the server available")
	}

	in.remote.mu.Lock()
	srv.answer = `{"domain":"for sale","links":[{"rel":"self","href":"https://parking.example/"}]}`
	in.remote.mu.Unlock()
	in.clock.Advance(25 * time.Hour)
	in.fed.probeHosts(ctx)
	if down, _ := in.db.HostUnavailable(ctx, host); !down || probes() != 2 {
		t.Fatalf("after a probe answered by JSON that is no NodeInfo index (%d probes): unavailable = %v", probes(), down)
	}

	in.remote.mu.Lock()
	srv.answer = `{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1","href":"` + in.remote.URL + `/nodeinfo/2.1"}]}`
	in.remote.mu.Unlock()
	in.clock.Advance(25 * time.Hour)
	in.fed.probeHosts(ctx)
	if down, _ := in.db.HostUnavailable(ctx, host); down || probes() != 3 {
		t.Fatalf("after a probe (%d in all) that the server answered: unavailable = %v", probes(), down)
	}
	in.fed.probeHosts(ctx)
	if n := probes(); n != 3 {
		t.Errorf("probed an available server: %d probes", n)
	}
	in.deliverOnce(t, in.remote.URL+"/inbox") // deliveries to it are made again
}
