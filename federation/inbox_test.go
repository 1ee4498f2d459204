package federation

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// inboxTestKeys are RSA keys made once for the inbox tests.
var inboxTestKeys = sync.OnceValue(func() [2]*rsa.PrivateKey {
	var keys [2]*rsa.PrivateKey
	for i := range keys {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		keys[i] = k
	}
	return keys
})

func publicPEM(t *testing.T, key *rsa.PrivateKey) string {
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// remoteServer is another server on loopback that serves one actor,
// whose key a test may change.
type remoteServer struct {
	*httptest.Server
	mu  sync.Mutex
	key *rsa.PrivateKey
}

func (s *remoteServer) actorURI() string { return s.URL + "/users/bob" }
func (s *remoteServer) keyID() string    { return s.actorURI() + "#main-key" }

func (s *remoteServer) setKey(k *rsa.PrivateKey) {
	s.mu.Lock()
	s.key = k
	s.mu.Unlock()
}

func newRemoteServer(t *testing.T, key *rsa.PrivateKey) *remoteServer {
	rs := &remoteServer{key: key}
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/users/bob" {
			http.NotFound(w, r)
			return
		}
		rs.mu.Lock()
		key := rs.key
		rs.mu.Unlock()
		doc := map[string]any{
			"@context":          []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
			"id":                rs.actorURI(),
			"type":              "Person",
			"preferredUsername": "bob",
			"inbox":             rs.actorURI() + "/inbox",
			"publicKey":         map[string]any{"id": rs.keyID(), "owner": rs.actorURI(), "publicKeyPem": publicPEM(t, key)},
		}
		w.Header().Set("Content-Type", "application/activity+json")
		json.NewEncoder(w).Encode(doc)
	}))
	t.Cleanup(rs.Close)
	return rs
}

// inboxTestInstance is a federator with its routes on a loopback server.
type inboxTestInstance struct {
	db   *storage.DB
	path string // of the database file
	fed  *Federator
	srv  *httptest.Server
}

func newInboxTestInstance(t *testing.T) *inboxTestInstance {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	site := storage.Site{Scheme: "http", Domain: srv.Listener.Addr().String()}
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := storage.Open(context.Background(), path, site)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.CreateMember(context.Background(), storage.MemberCreate{
		Username: "alice", Email: "alice@example.org", Password: "a long password",
	}); err != nil {
		t.Fatal(err)
	}
	fed := New(db, Config{Site: site, Version: "test", AllowPrivateAddresses: true, MaxInboxBytes: 64 << 10},
		slog.New(slog.DiscardHandler))
	r := mux.NewRouter()
	fed.Routes(r)
	srv.Config.Handler = r
	srv.Start()
	t.Cleanup(srv.Close)
	return &inboxTestInstance{db: db, path: path, fed: fed, srv: srv}
}

// deliver posts an activity to the shared inbox, signed with key as
// keyID (unsigned when key is nil).
func (in *inboxTestInstance) deliver(t *testing.T, activity map[string]any, keyID string, key *rsa.PrivateKey) (int, string) {
	t.Helper()
	body, _ := json.Marshal(activity)
	req, _ := http.NewRequest(http.MethodPost, in.srv.URL+"/inbox", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/activity+json")
	if key != nil {
		if err := SignRequest(req, body, keyID, key, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	reason, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(reason))
}

func (in *inboxTestInstance) pending(t *testing.T) int {
	n, err := in.db.PendingInbound(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func followActivity(rs *remoteServer, alice, id string) map[string]any {
	return map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       rs.URL + "/activities/" + id, "type": "Follow",
		"actor": rs.actorURI(), "object": alice,
	}
}

func TestInboxAcceptsSignedActivityOnce(t *testing.T) {
	in := newInboxTestInstance(t)
	keys := inboxTestKeys()
	rs := newRemoteServer(t, keys[0])
	alice := in.fed.cfg.Site.ActorURI("alice")

	status, reason := in.deliver(t, followActivity(rs, alice, "1"), rs.keyID(), keys[0])
	if status != http.StatusAccepted {
		t.Fatalf("status %d (%s), want 202", status, reason)
	}
	status, _ = in.deliver(t, followActivity(rs, alice, "1"), rs.keyID(), keys[0])
	if status != http.StatusAccepted || in.pending(t) != 1 {
		t.Errorf("a repeated activity: status %d, %d stored; want 202 and 1", status, in.pending(t))
	}
	// The stored Follow is processed off the request path into a follow.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { in.fed.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(5 * time.Second)
	for in.pending(t) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	bob, err := in.db.ActorByURI(context.Background(), rs.actorURI())
	if err != nil {
		t.Fatal(err)
	}
	aliceActor, _ := in.db.ActorByURI(context.Background(), alice)
	if f, _ := in.db.FollowBetween(context.Background(), bob.ID, aliceActor.ID); f == nil || f.State != storage.FollowAccepted {
		t.Errorf("follow after processing = %+v", f)
	}
}

func TestInboxRefusals(t *testing.T) {
	in := newInboxTestInstance(t)
	keys := inboxTestKeys()
	rs := newRemoteServer(t, keys[0])
	other := newRemoteServer(t, keys[1])
	alice := in.fed.cfg.Site.ActorURI("alice")

	tests := []struct {
		name     string
		activity map[string]any
		keyID    string
		key      *rsa.PrivateKey
		status   int
		reason   string
	}{
		{"unsigned", followActivity(rs, alice, "u"), "", nil, 401, "no Signature"},
		{"wrong key", followActivity(rs, alice, "w"), rs.keyID(), keys[1], 401, "does not match"},
		{"key of another actor", followActivity(rs, alice, "o"), other.keyID(), keys[1], 401, "not to the activity's actor"},
		{"unknown key", followActivity(rs, alice, "k"), rs.URL + "/users/nobody#main-key", keys[0], 401, "could not be fetched"},
		{"no id", map[string]any{"type": "Follow", "actor": rs.actorURI(), "object": alice}, rs.keyID(), keys[0], 400, "no id"},
		{"no actor", map[string]any{"id": rs.URL + "/a/1", "type": "Follow", "object": alice}, rs.keyID(), keys[0], 400, "no actor"},
		{"id on another server", map[string]any{"id": "https://elsewhere.example/a/1", "type": "Follow", "actor": rs.actorURI(), "object": alice}, rs.keyID(), keys[0], 400, "not on its actor's server"},
		{"no object", map[string]any{"id": rs.URL + "/a/2", "type": "Follow", "actor": rs.actorURI()}, rs.keyID(), keys[0], 400, "exactly one object"},
		{"object without id", map[string]any{"id": rs.URL + "/a/4", "type": "Create", "actor": rs.actorURI(),
			"object": map[string]any{"type": "Note", "content": "hi"}}, rs.keyID(), keys[0], 400, "exactly one object with an id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, reason := in.deliver(t, tt.activity, tt.keyID, tt.key)
			if status != tt.status || !strings.Contains(reason, tt.reason) {
				t.Errorf("got %d %q, want %d containing %q", status, reason, tt.status, tt.reason)
			}
		})
	}
	// Unknown types are accepted and ignored.
	react := map[string]any{"id": rs.URL + "/a/3", "type": "EmojiReact", "actor": rs.actorURI(), "object": alice, "content": "🔥"}
	if status, reason := in.deliver(t, react, rs.keyID(), keys[0]); status != http.StatusAccepted {
		t.Errorf("unknown type: %d %s", status, reason)
	}
	// Not JSON, and too large.
	for body, want := range map[string]int{"not json": 400, `["an array"]`: 400, strings.Repeat("x", 70<<10): 413} {
		resp, err := http.Post(in.srv.URL+"/inbox", "application/activity+json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("body %.10q: status %d, want %d", body, resp.StatusCode, want)
		}
	}
	if n := in.pending(t); n != 0 {
		t.Errorf("%d refused or ignored activities were stored", n)
	}
}

func TestInboxRefetchesRotatedKey(t *testing.T) {
	in := newInboxTestInstance(t)
	keys := inboxTestKeys()
	rs := newRemoteServer(t, keys[0])
	alice := in.fed.cfg.Site.ActorURI("alice")
	if status, reason := in.deliver(t, followActivity(rs, alice, "1"), rs.keyID(), keys[0]); status != http.StatusAccepted {
		t.Fatalf("first delivery: %d %s", status, reason)
	}
	// The actor rotates its key. A request with the new key fails against
	// the stored one, so the key is fetched again, once the stored copy is
	// more than a minute old.
	rs.setKey(keys[1])
	in.db.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
	defer func() { in.db.Now = time.Now }()
	if status, reason := in.deliver(t, followActivity(rs, alice, "2"), rs.keyID(), keys[1]); status != http.StatusAccepted {
		t.Fatalf("after rotation: %d %s", status, reason)
	}
	bob, _ := in.db.ActorByURI(context.Background(), rs.actorURI())
	if bob.PublicKeyPEM != publicPEM(t, keys[1]) {
		t.Error("the new key was not stored")
	}
}
