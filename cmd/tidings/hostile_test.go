package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// hostileKey is the RSA key every actor of a hostile server signs with,
// made once: generating one takes long enough to slow every test.
var hostileKey = sync.OnceValue(func() *rsa.PrivateKey {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return key
})

// hostilePublicPEM is the public key of hostileKey, as an actor shows it.
func hostilePublicPEM(t *testing.T) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&hostileKey().PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// hostileServer is another server on loopback, made by hand: it serves
// whatever documents a test gives it and signs what its actors send, so
// a test can make it say what no honest server would. It takes every
// delivery with 202 and keeps its body.
type hostileServer struct {
	*httptest.Server
	mu        sync.Mutex
	docs      map[string]any // by path
	delivered [][]byte       // the bodies of the POSTs it took, in order
}

// deliveries returns the activities delivered to the server so far.
func (s *hostileServer) deliveries() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []map[string]any
	for _, body := range s.delivered {
		var activity map[string]any
		if json.Unmarshal(body, &activity) == nil {
			list = append(list, activity)
		}
	}
	return list
}

func startHostileServer(t *testing.T) *hostileServer {
	t.Helper()
	s := &hostileServer{docs: map[string]any{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *hostileServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		s.mu.Lock()
		s.delivered = append(s.delivered, body)
		s.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		return
	}
	s.mu.Lock()
	doc, ok := s.docs[r.URL.Path]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/activity+json")
	json.NewEncoder(w).Encode(doc)
}

// put serves doc at the path of its id (and returns the id).
func (s *hostileServer) put(t *testing.T, doc map[string]any) string {
	t.Helper()
	id, _ := doc["id"].(string)
	if !strings.HasPrefix(id, s.URL+"/") {
		t.Fatalf("document id %q is not on the hostile server %s", id, s.URL)
	}
	s.mu.Lock()
	s.docs[strings.TrimPrefix(id, s.URL)] = doc
	s.mu.Unlock()
	return id
}

// actor serves an actor of the type (Person, Group) at /users/name with
// the shared key, and extra fields, and returns its id.
func (s *hostileServer) actor(t *testing.T, kind, name string, extra map[string]any) string {
	t.Helper()
	uri := s.URL + "/users/" + name
	doc := map[string]any{
		"@context":          []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":                uri,
		"type":              kind,
		"preferredUsername": name,
		"inbox":             uri + "/inbox",
		"outbox":            uri + "/outbox",
		"followers":         uri + "/followers",
		"endpoints":         map[string]any{"sharedInbox": s.URL + "/inbox"},
		"publicKey": map[string]any{"id": uri + "#main-key", "owner": uri,
			"publicKeyPem": hostilePublicPEM(t)},
	}
	for k, v := range extra {
		doc[k] = v
	}
	return s.put(t, doc)
}

// send delivers an activity to the instance's shared inbox, signed by
// its actor (one of this server's), and fails the test unless the inbox
// takes it with 202.
func (s *hostileServer) send(t *testing.T, inst *instance, activity map[string]any) {
	t.Helper()
	actor, _ := activity["actor"].(string)
	if status, reason := s.forward(t, inst, activity, actor); status != http.StatusAccepted {
		t.Fatalf("%s %v: inbox answered %d %s", activity["type"], activity["id"], status, reason)
	}
}

// settle waits until the instance has processed every activity it took.
func settle(t *testing.T, inst *instance) {
	t.Helper()
	waitFor(t, "every inbound activity processed", 15*time.Second, func() bool {
		n, err := inst.DB.PendingInbound(context.Background())
		return err == nil && n == 0
	})
}
