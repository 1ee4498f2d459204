package federation

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-fed/httpsig"
)

// keyServer is another server on loopback that publishes whatever
// documents a test gives it, by path, and keeps what is delivered to it.
// Its requests are signed as GoToSocial signs them: go-fed's httpsig,
// labelled hs2019, over (request-target) host date digest.
type keyServer struct {
	*httptest.Server
	mu        sync.Mutex
	docs      map[string]any
	redirects map[string]string // path → absolute URL
	received  []map[string]any
}

func newKeyServer(t *testing.T) *keyServer {
	t.Helper()
	s := &keyServer{docs: map[string]any{}, redirects: map[string]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *keyServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Method == http.MethodPost {
		var activity map[string]any
		if err := json.NewDecoder(r.Body).Decode(&activity); err == nil {
			s.received = append(s.received, activity)
		}
		w.WriteHeader(http.StatusAccepted)
		return
	}
	if to, ok := s.redirects[r.URL.Path]; ok {
		http.Redirect(w, r, to, http.StatusFound)
		return
	}
	doc, ok := s.docs[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/activity+json")
	json.NewEncoder(w).Encode(doc)
}

// put publishes doc at the path.
func (s *keyServer) put(path string, doc map[string]any) {
	s.mu.Lock()
	s.docs[path] = doc
	s.mu.Unlock()
}

// delivered returns the activities of the type delivered so far.
func (s *keyServer) delivered(typ string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, a := range s.received {
		if a["type"] == typ {
			out = append(out, a)
		}
	}
	return out
}

// gtsActor is an actor document as GoToSocial publishes it: its key at
// the path ACTOR/main-key, no shared inbox.
func gtsActor(t *testing.T, uri, name string, key *rsa.PrivateKey) map[string]any {
	return map[string]any{
		"@context":          []any{"https://w3id.org/security/v1", "https://www.w3.org/ns/activitystreams"},
		"id":                uri,
		"type":              "Person",
		"preferredUsername": name,
		"inbox":             uri + "/inbox",
		"outbox":            uri + "/outbox",
		"followers":         uri + "/followers",
		"following":         uri + "/following",
		"publicKey":         map[string]any{"id": uri + "/main-key", "owner": uri, "publicKeyPem": publicPEM(t, key)},
	}
}

// gtsMinimalActor is what GoToSocial serves at a key's address
// (AccountToASMinimal): the owner's id, type, preferredUsername and key.
func gtsMinimalActor(t *testing.T, uri, name string, key *rsa.PrivateKey) map[string]any {
	return map[string]any{
		"@context":          []any{"https://w3id.org/security/v1", "https://www.w3.org/ns/activitystreams"},
		"id":                uri,
		"type":              "Person",
		"preferredUsername": name,
		"publicKey":         map[string]any{"id": uri + "/main-key", "owner": uri, "publicKeyPem": publicPEM(t, key)},
	}
}

// deliverHS2019 posts an activity to the shared inbox signed as
// GoToSocial signs.
func (in *inboxTestInstance) deliverHS2019(t *testing.T, activity map[string]any, keyID string, key *rsa.PrivateKey) (int, string) {
	t.Helper()
	body, _ := json.Marshal(activity)
	req, _ := http.NewRequest(http.MethodPost, in.srv.URL+"/inbox", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/activity+json")
	req.Header.Set("Host", req.URL.Host) // go-fed reads host from the header
	req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	signer, _, err := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256}, httpsig.DigestSha256,
		[]string{httpsig.RequestTarget, "host", "date", "digest"}, httpsig.Signature, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := signer.SignRequest(key, keyID, req, body); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	reason, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(reason))
}

// TestInboxGoToSocialFirstContact: a GoToSocial user nobody here has
// looked up follows a member. Its key id is ACTOR/main-key, which
// serves a minimal actor document; the Follow is taken and the Accept
// reaches the follower's inbox.
func TestInboxGoToSocialFirstContact(t *testing.T) {
	in := newInboxTestInstance(t)
	in.runWorkers(t)
	key := inboxTestKeys()[0]
	gts := newKeyServer(t)
	actor := gts.URL + "/users/gtsuser"
	gts.put("/users/gtsuser", gtsActor(t, actor, "gtsuser", key))
	gts.put("/users/gtsuser/main-key", gtsMinimalActor(t, actor, "gtsuser", key))
	alice := in.fed.cfg.Site.ActorURI("alice")
	follow := map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       actor + "/follow/01HZ", "type": "Follow", "actor": actor, "object": alice,
	}
	if status, reason := in.deliverHS2019(t, follow, actor+"/main-key", key); status != http.StatusAccepted {
		t.Fatalf("first Follow from a GoToSocial user: %d %s, want 202", status, reason)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(gts.delivered("Accept")) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no Accept reached the follower's inbox")
		}
		time.Sleep(20 * time.Millisecond)
	}
	accept := gts.delivered("Accept")[0]
	if object, _ := accept["object"].(map[string]any); object["id"] != follow["id"] {
		if accept["object"] != follow["id"] {
			t.Errorf("the Accept is of %v, want the Follow %v", accept["object"], follow["id"])
		}
	}
	stored, err := in.db.ActorByURI(context.Background(), actor)
	if err != nil {
		t.Fatal(err)
	}
	if stored.KeyID != actor+"/main-key" || stored.Inbox != actor+"/inbox" {
		t.Errorf("stored actor: key %q, inbox %q; want the full actor's", stored.KeyID, stored.Inbox)
	}
}

// TestInboxKeyShapes: the ways servers publish keys, each accepted, and
// the ways a key could claim an owner that does not claim it, each
// refused with 401 and a reason.
func TestInboxKeyShapes(t *testing.T) {
	key, otherKey := inboxTestKeys()[0], inboxTestKeys()[1]
	type setup func(t *testing.T, s, elsewhere *keyServer) (actor, keyID string)
	person := func(uri string, keys any) map[string]any {
		return map[string]any{
			"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
			"id":       uri, "type": "Person", "preferredUsername": "k", "inbox": uri + "/inbox", "publicKey": keys,
		}
	}
	keyDoc := func(id, owner string, k *rsa.PrivateKey) map[string]any {
		return map[string]any{"@context": "https://w3id.org/security/v1", "id": id, "type": "Key",
			"owner": owner, "publicKeyPem": publicPEM(t, k)}
	}
	tests := []struct {
		name   string
		setup  setup
		status int
		reason string
	}{
		{"fragment of the actor", func(t *testing.T, s, _ *keyServer) (string, string) {
			a := s.URL + "/users/k"
			s.put("/users/k", person(a, map[string]any{"id": a + "#main-key", "owner": a, "publicKeyPem": publicPEM(t, key)}))
			return a, a + "#main-key"
		}, 202, ""},
		{"key document with owner", func(t *testing.T, s, _ *keyServer) (string, string) {
			a := s.URL + "/users/k"
			s.put("/users/k", person(a, map[string]any{"id": s.URL + "/keys/1", "owner": a, "publicKeyPem": publicPEM(t, key)}))
			s.put("/keys/1", keyDoc(s.URL+"/keys/1", a, key))
			return a, s.URL + "/keys/1"
		}, 202, ""},
		{"minimal actor at the key", func(t *testing.T, s, _ *keyServer) (string, string) {
			a := s.URL + "/users/k"
			s.put("/users/k", gtsActor(t, a, "k", key))
			s.put("/users/k/main-key", gtsMinimalActor(t, a, "k", key))
			return a, a + "/main-key"
		}, 202, ""},
		{"full actor with a list of keys at the key", func(t *testing.T, s, _ *keyServer) (string, string) {
			a := s.URL + "/users/k"
			keys := []any{
				map[string]any{"id": a + "/keys/old", "owner": a, "publicKeyPem": publicPEM(t, otherKey)},
				map[string]any{"id": a + "/keys/new", "owner": a, "publicKeyPem": publicPEM(t, key)},
			}
			s.put("/users/k", person(a, keys))
			s.put("/users/k/keys/new", person(a, keys))
			return a, a + "/keys/new"
		}, 202, ""},
		{"owner on another server", func(t *testing.T, s, elsewhere *keyServer) (string, string) {
			a := elsewhere.URL + "/users/k"
			elsewhere.put("/users/k", person(a, map[string]any{"id": s.URL + "/keys/1", "owner": a, "publicKeyPem": publicPEM(t, key)}))
			s.put("/keys/1", keyDoc(s.URL+"/keys/1", a, key))
			return a, s.URL + "/keys/1"
		}, 401, "another server"},
		{"owner does not list the key", func(t *testing.T, s, _ *keyServer) (string, string) {
			a := s.URL + "/users/k"
			s.put("/users/k", person(a, map[string]any{"id": a + "#main-key", "owner": a, "publicKeyPem": publicPEM(t, otherKey)}))
			s.put("/keys/1", keyDoc(s.URL+"/keys/1", a, key))
			return a, s.URL + "/keys/1"
		}, 401, "does not list"},
		{"owner lists the key with another PEM", func(t *testing.T, s, _ *keyServer) (string, string) {
			a := s.URL + "/users/k"
			s.put("/users/k", person(a, map[string]any{"id": s.URL + "/keys/1", "owner": a, "publicKeyPem": publicPEM(t, otherKey)}))
			s.put("/keys/1", keyDoc(s.URL+"/keys/1", a, key))
			return a, s.URL + "/keys/1"
		}, 401, "another key"},
		{"minimal actor naming another key", func(t *testing.T, s, _ *keyServer) (string, string) {
			a := s.URL + "/users/k"
			s.put("/users/k", gtsActor(t, a, "k", key))
			s.put("/keys/1", gtsMinimalActor(t, a, "k", key))
			return a, s.URL + "/keys/1"
		}, 401, "does not list"},
		{"key document without owner", func(t *testing.T, s, _ *keyServer) (string, string) {
			a := s.URL + "/users/k"
			s.put("/users/k", person(a, map[string]any{"id": s.URL + "/keys/1", "owner": a, "publicKeyPem": publicPEM(t, key)}))
			s.put("/keys/1", keyDoc(s.URL+"/keys/1", "", key))
			return a, s.URL + "/keys/1"
		}, 401, "no owner"},
		{"key redirected to another server", func(t *testing.T, s, elsewhere *keyServer) (string, string) {
			a := s.URL + "/users/k"
			s.put("/users/k", gtsActor(t, a, "k", key))
			elsewhere.put("/users/k/main-key", gtsMinimalActor(t, a, "k", key))
			s.redirects["/users/k/main-key"] = elsewhere.URL + "/users/k/main-key"
			return a, a + "/main-key"
		}, 401, "another server"},
		{"owner redirected to another server", func(t *testing.T, s, elsewhere *keyServer) (string, string) {
			a := s.URL + "/users/k"
			b := elsewhere.URL + "/users/k"
			s.put("/users/k/main-key", gtsMinimalActor(t, a, "k", key))
			s.redirects["/users/k"] = b
			elsewhere.put("/users/k", gtsActor(t, b, "k", key))
			return a, a + "/main-key"
		}, 401, "another server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := newInboxTestInstance(t)
			s, elsewhere := newKeyServer(t), newKeyServer(t)
			actor, keyID := tt.setup(t, s, elsewhere)
			follow := map[string]any{"id": actor + "/follows/1", "type": "Follow", "actor": actor,
				"object": in.fed.cfg.Site.ActorURI("alice")}
			status, reason := in.deliverHS2019(t, follow, keyID, key)
			if status != tt.status || !strings.Contains(reason, tt.reason) {
				t.Errorf("got %d %q, want %d containing %q", status, reason, tt.status, tt.reason)
			}
			if tt.status != http.StatusAccepted && in.pending(t) != 0 {
				t.Error("a refused activity was stored")
			}
		})
	}
}

// TestInboxForwardedRefusals: only a Create, Update or Delete of a
// remote actor may come signed by another actor; everything else so
// signed is refused with 401 and nothing is stored.
func TestInboxForwardedRefusals(t *testing.T) {
	in := newInboxTestInstance(t)
	keys := inboxTestKeys()
	rs, forwarder := newRemoteServer(t, keys[0]), newRemoteServer(t, keys[1])
	alice := in.fed.cfg.Site.ActorURI("alice")
	local := in.fed.cfg.Site.Base()
	note := map[string]any{"id": local + "/posts/x", "type": "Note", "attributedTo": alice, "content": "forged"}
	tests := []struct {
		name     string
		activity map[string]any
	}{
		{"Follow", followActivity(rs, alice, "f")},
		{"Like", map[string]any{"id": rs.URL + "/likes/1", "type": "Like", "actor": rs.actorURI(), "object": alice}},
		{"Undo", map[string]any{"id": rs.URL + "/undo/1", "type": "Undo", "actor": rs.actorURI(), "object": rs.URL + "/activities/f"}},
		{"Create in a member's name", map[string]any{"id": local + "/creates/1", "type": "Create", "actor": alice, "object": note}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, reason := in.deliver(t, tt.activity, forwarder.keyID(), keys[1])
			if status != http.StatusUnauthorized || !strings.Contains(reason, "not to the activity's actor") {
				t.Errorf("got %d %q, want 401 naming the signer and the actor", status, reason)
			}
		})
	}
	if n := in.pending(t); n != 0 {
		t.Errorf("%d refused activities were stored", n)
	}
}
