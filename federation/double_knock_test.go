package federation

import (
	"context"
	"crypto/rsa"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// schemeServer verifies the HTTP signatures of one local actor and
// answers each scheme with its status: 2xx only when the signature
// verifies; a scheme without a status gets 401, as from a server that
// knows only the other one. It records the scheme of every request.
type schemeServer struct {
	*httptest.Server
	status map[storage.SignatureScheme]int
	key    *rsa.PublicKey
	now    func() time.Time

	mu   sync.Mutex
	seen []storage.SignatureScheme
}

func newSchemeServer(t *testing.T, in *outboxTestInstance, actorID string, status map[storage.SignatureScheme]int) *schemeServer {
	t.Helper()
	_, pemText, err := in.db.SigningKey(context.Background(), actorID)
	if err != nil {
		t.Fatal(err)
	}
	key, err := storage.ParsePrivateKey(pemText)
	if err != nil {
		t.Fatal(err)
	}
	s := &schemeServer{status: status, key: &key.PublicKey, now: in.clock.Now}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *schemeServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	scheme := storage.SignatureCavage
	if r.Header.Get("Signature-Input") != "" {
		scheme = storage.SignatureRFC9421
	}
	s.mu.Lock()
	s.seen = append(s.seen, scheme)
	s.mu.Unlock()
	status, ok := s.status[scheme]
	if !ok {
		http.Error(w, "signature scheme not supported", http.StatusUnauthorized)
		return
	}
	r.URL.Scheme = "http" // what VerifyRequest rebuilds @target-uri with
	if err := VerifyRequest(r, body, s.key, s.now()); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	if r.Method == http.MethodGet && status/100 == 2 {
		serveActivity(w, r)
		return
	}
	w.WriteHeader(status)
}

// requests returns the schemes of the requests received since the last call.
func (s *schemeServer) requests() []storage.SignatureScheme {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := s.seen
	s.seen = nil
	return seen
}

func (s *schemeServer) host() string {
	u, _ := url.Parse(s.URL)
	return u.Host
}

// deliverPost makes a post of alice's to be delivered to the servers' inboxes, and delivers it.
func deliverPost(t *testing.T, in *outboxTestInstance, servers ...*schemeServer) {
	t.Helper()
	ctx := context.Background()
	if _, err := in.db.CreatePost(ctx, in.alice.ID, "news"); err != nil {
		t.Fatal(err)
	}
	events, _ := in.db.PendingOutbox(ctx, 10)
	var inboxes []string
	for _, s := range servers {
		inboxes = append(inboxes, s.URL+"/inbox")
	}
	if _, err := in.db.ExpandOutbox(ctx, events[len(events)-1].ID, []byte(`{"type":"Create"}`), "", inboxes); err != nil {
		t.Fatal(err)
	}
	in.deliverDue(t)
}

// restart makes a new federator on the same database, with nothing
// remembered in memory.
func (in *outboxTestInstance) restart() {
	in.fed = New(in.db, Config{Site: in.fed.cfg.Site, Version: "test", AllowPrivateAddresses: true}, slog.New(slog.DiscardHandler))
}

func wantSchemes(t *testing.T, what string, got []storage.SignatureScheme, want ...storage.SignatureScheme) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: got requests signed %q, want %q", what, got, want)
	}
}

func wantRemembered(t *testing.T, in *outboxTestInstance, s *schemeServer, want storage.SignatureScheme) {
	t.Helper()
	if got, err := in.db.HostSignatureScheme(context.Background(), s.host()); err != nil || got != want {
		t.Errorf("stored scheme of %s: got %q, %v, want %q", s.host(), got, err, want)
	}
}

// TestDeliveryDoubleKnocks delivers to a server that verifies only
// draft-cavage and to one that verifies only RFC 9421: both deliveries
// land, the second server's after exactly one retry, and the scheme each
// accepted is used first from then on, after a restart too.
func TestDeliveryDoubleKnocks(t *testing.T) {
	const (
		cavage  = storage.SignatureCavage
		rfc9421 = storage.SignatureRFC9421
	)
	in := newOutboxTestInstance(t)
	in.fed.expandOutbox(context.Background()) // the Accept of bob's follow, out of the way
	in.deliverDue(t)
	cavageOnly := newSchemeServer(t, in, in.alice.ID, map[storage.SignatureScheme]int{cavage: http.StatusAccepted})
	rfcOnly := newSchemeServer(t, in, in.alice.ID, map[storage.SignatureScheme]int{rfc9421: http.StatusAccepted})

	deliverPost(t, in, cavageOnly, rfcOnly)
	wantSchemes(t, "first delivery, draft-cavage server", cavageOnly.requests(), cavage)
	wantSchemes(t, "first delivery, RFC 9421 server", rfcOnly.requests(), cavage, rfc9421)
	wantRemembered(t, in, cavageOnly, cavage)
	wantRemembered(t, in, rfcOnly, rfc9421)

	deliverPost(t, in, cavageOnly, rfcOnly)
	wantSchemes(t, "second delivery, draft-cavage server", cavageOnly.requests(), cavage)
	wantSchemes(t, "second delivery, RFC 9421 server", rfcOnly.requests(), rfc9421)

	in.restart()
	deliverPost(t, in, rfcOnly)
	wantSchemes(t, "after a restart, RFC 9421 server", rfcOnly.requests(), rfc9421)

	// A server that accepted RFC 9421 and no longer does (software
	// changed) is knocked on with draft-cavage once, then signed for so.
	if err := in.db.HostAcceptedSignature(context.Background(), cavageOnly.host(), rfc9421); err != nil {
		t.Fatal(err)
	}
	in.restart()
	deliverPost(t, in, cavageOnly)
	wantSchemes(t, "after a change of software", cavageOnly.requests(), rfc9421, cavage)
	wantRemembered(t, in, cavageOnly, cavage)
	deliverPost(t, in, cavageOnly)
	wantSchemes(t, "after relearning", cavageOnly.requests(), cavage)

	if _, delivered, dropped, err := in.db.DeliveryCounts(context.Background()); err != nil || delivered != 8 || dropped != 0 {
		t.Errorf("deliveries: got %d delivered, %d dropped (%v), want 8 (with the Accept) and 0", delivered, dropped, err)
	}
}

// TestDeliveryRefusedByBothSchemes checks that the retry of
// double-knocking is part of one attempt: a delivery refused under both
// schemes is one failed attempt, recorded once, and no scheme is learned.
func TestDeliveryRefusedByBothSchemes(t *testing.T) {
	const (
		cavage  = storage.SignatureCavage
		rfc9421 = storage.SignatureRFC9421
	)
	ctx := context.Background()
	in := newOutboxTestInstance(t)
	in.fed.expandOutbox(ctx)
	in.deliverDue(t)
	// draft-cavage refused; RFC 9421 verified, then a failure that may pass.
	flaky := newSchemeServer(t, in, in.alice.ID, map[storage.SignatureScheme]int{rfc9421: http.StatusServiceUnavailable})
	deliverPost(t, in, flaky)
	wantSchemes(t, "first attempt", flaky.requests(), cavage, rfc9421)
	wantRemembered(t, in, flaky, storage.SignatureUnknown)
	if pending, delivered, dropped, err := in.db.DeliveryCounts(ctx); err != nil || pending != 1 || delivered != 1 || dropped != 0 {
		t.Fatalf("deliveries: got %d pending, %d delivered, %d dropped (%v), want 1, 1 (the Accept), 0", pending, delivered, dropped, err)
	}
	in.clock.Advance(time.Hour)
	claimed, err := in.db.ClaimDeliveries(ctx, 10, 0, time.Minute)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim the retry: got %d deliveries, %v, want 1", len(claimed), err)
	}
	if got := claimed[0].Attempts; got != 2 {
		t.Errorf("attempts when retried: got %d, want 2 (one for the first attempt and its knock)", got)
	}

	// Refused under both: dropped after one attempt of two requests.
	deaf := newSchemeServer(t, in, in.alice.ID, nil)
	deliverPost(t, in, deaf)
	wantSchemes(t, "refused twice", deaf.requests(), cavage, rfc9421)
	wantRemembered(t, in, deaf, storage.SignatureUnknown)
	if _, _, dropped, err := in.db.DeliveryCounts(ctx); err != nil || dropped != 1 {
		t.Errorf("deliveries dropped: got %d (%v), want 1", dropped, err)
	}
}

// TestFetchDoubleKnocks signs GETs as the instance actor: a server that
// verifies only RFC 9421 answers the retry, and is then asked so first;
// a GET answered at the first knock teaches nothing, since many servers
// answer public documents whatever the signature.
func TestFetchDoubleKnocks(t *testing.T) {
	const (
		cavage  = storage.SignatureCavage
		rfc9421 = storage.SignatureRFC9421
	)
	ctx := context.Background()
	in := newOutboxTestInstance(t)
	inst, err := in.db.InstanceActor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rfcOnly := newSchemeServer(t, in, inst.ID, map[storage.SignatureScheme]int{rfc9421: http.StatusOK})
	both := newSchemeServer(t, in, inst.ID, map[storage.SignatureScheme]int{rfc9421: http.StatusOK, cavage: http.StatusOK})
	fetch := func(s *schemeServer) {
		t.Helper()
		sign, err := in.fed.instanceSigner(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := in.fed.client.GetActivity(ctx, s.URL+"/notes/1", sign); err != nil {
			t.Fatalf("fetch from %s: %v", s.host(), err)
		}
	}
	fetch(rfcOnly)
	wantSchemes(t, "first fetch, RFC 9421 server", rfcOnly.requests(), cavage, rfc9421)
	wantRemembered(t, in, rfcOnly, rfc9421)
	fetch(rfcOnly)
	wantSchemes(t, "second fetch, RFC 9421 server", rfcOnly.requests(), rfc9421)

	fetch(both)
	wantSchemes(t, "fetch from a server of both schemes", both.requests(), cavage)
	wantRemembered(t, in, both, storage.SignatureUnknown)
}
