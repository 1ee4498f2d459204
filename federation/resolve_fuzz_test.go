package federation

// FuzzActorDocument and FuzzWebFinger serve fuzzed documents from a
// server on loopback and resolve them with the federation client and
// storage, as a search for an account does. The client may dial that
// server only.

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// originToken in a served document stands for the server's origin,
// http://127.0.0.1:PORT, which differs in every run.
const originToken = "{{origin}}"

// documentServer answers each path with the document set for it.
type documentServer struct {
	*httptest.Server
	db   databaseFile // a new instance's database
	mu   sync.Mutex
	docs map[string]servedDocument
}

type servedDocument struct {
	contentType string
	body        []byte
}

func newDocumentServer(tb testing.TB) *documentServer {
	s := &documentServer{db: newDatabaseFile(tb, nil), docs: map[string]servedDocument{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		doc, ok := s.docs[r.URL.Path]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", doc.contentType)
		w.Write(bytes.ReplaceAll(doc.body, []byte(originToken), []byte(s.URL)))
	}))
	tb.Cleanup(s.Close)
	return s
}

func (s *documentServer) serve(path, contentType string, body []byte) {
	s.mu.Lock()
	s.docs[path] = servedDocument{contentType: contentType, body: body}
	s.mu.Unlock()
}

func (s *documentServer) host() string { return strings.TrimPrefix(s.URL, "http://") }

// federator returns a federator on a copy of the database whose client reaches
// this server and nothing else.
func (s *documentServer) federator(t *testing.T) *Federator {
	t.Helper()
	f := New(s.db.open(t), Config{Site: fixtureSite, Version: "fuzz", AllowPrivateAddresses: true}, slog.New(slog.DiscardHandler))
	var dialer net.Dialer
	f.client.transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr != s.host() {
			return nil, errors.New("no network while fuzzing")
		}
		return dialer.DialContext(ctx, network, addr)
	}
	t.Cleanup(f.client.transport.CloseIdleConnections)
	return f
}

// checkResolveError: a document that cannot be used is refused with a
// reason for the member (a coded storage error); only a server that
// cannot be reached may fail otherwise.
func checkResolveError(t *testing.T, err error) {
	t.Helper()
	if storage.ErrorCode(err) == storage.EInternal && !errors.Is(err, errFetch) {
		t.Errorf("an internal error, not a refusal: %v", err)
	}
}

// fuzzActorDocument is a Mastodon-style actor served at /users/ada.
const fuzzActorDocument = `{"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1"],
"id":"{{origin}}/users/ada","type":"Person","preferredUsername":"ada","name":"Ada",
"inbox":"{{origin}}/users/ada/inbox","outbox":"{{origin}}/users/ada/outbox",
"followers":"{{origin}}/users/ada/followers","endpoints":{"sharedInbox":"{{origin}}/inbox"},
"publicKey":{"id":"{{origin}}/users/ada#main-key","owner":"{{origin}}/users/ada",
"publicKeyPem":"-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n"}}`

func FuzzActorDocument(f *testing.F) {
	f.Add([]byte(fuzzActorDocument))
	f.Add([]byte(`{"id":"{{origin}}/users/ada","type":"Group","preferredUsername":"ada","inbox":"{{origin}}/users/ada/inbox",
"publicKey":{"id":"{{origin}}/users/ada#main-key","owner":"{{origin}}/users/ada","publicKeyPem":"-----BEGIN RSA PUBLIC KEY-----\n-----END RSA PUBLIC KEY-----"}}`))
	srv := newDocumentServer(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		srv.serve("/users/ada", "application/activity+json", doc)
		fed := srv.federator(t)
		uri := srv.URL + "/users/ada"
		a, err := fed.ResolveActor(context.Background(), uri)
		if err != nil {
			checkResolveError(t, err)
			if _, err := fed.db.ActorByURI(context.Background(), uri); storage.ErrorCode(err) != storage.ENotFound {
				t.Errorf("a refused actor document was stored (%v)", err)
			}
			return
		}
		if a.URI != uri {
			t.Errorf("asked for %s, got the actor %s", uri, a.URI)
		}
		checkActorRecord(t, a)
	})
}

func FuzzWebFinger(f *testing.F) {
	f.Add([]byte(`{"subject":"acct:ada@{{host}}","links":[{"rel":"self","type":"application/activity+json","href":"{{origin}}/users/ada"}]}`))
	f.Add([]byte(`{"subject":"acct:ada@{{host}}","aliases":["{{origin}}/@ada"],"links":[{"rel":"http://webfinger.net/rel/profile-page","type":"text/html","href":"{{origin}}/@ada"},{"rel":"self","type":"application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"","href":"{{origin}}/users/ada"}]}`))
	srv := newDocumentServer(f)
	srv.serve("/users/ada", "application/activity+json", []byte(fuzzActorDocument))
	f.Fuzz(func(t *testing.T, jrd []byte) {
		srv.serve("/.well-known/webfinger", "application/jrd+json",
			bytes.ReplaceAll(jrd, []byte("{{host}}"), []byte(srv.host())))
		fed := srv.federator(t)
		a, err := fed.ResolveHandle(context.Background(), "ada@"+srv.host())
		if err != nil {
			checkResolveError(t, err)
			return
		}
		// The only account there is: anything else the document names
		// must have been refused.
		if want := srv.URL + "/users/ada"; a.URI != want || a.Username != "ada" || a.Host != srv.host() {
			t.Errorf("resolved %s (%s at %s); want %s", a.URI, a.Username, a.Host, want)
		}
		checkActorRecord(t, a)
	})
}
