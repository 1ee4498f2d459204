package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// remoteAuthor is an actor of the remote server, with its signing key.
type remoteAuthor struct {
	uri   string
	keyID string
	key   *rsa.PrivateKey
	pem   string
}

// remoteServer plays another ActivityPub server on loopback: it serves
// the WebFinger and actor documents of its authors, so that the instance
// can fetch their keys, and answers 202 to anything posted to an inbox.
type remoteServer struct {
	base    string
	authors []remoteAuthor
	srv     *http.Server
	served  atomic.Int64 // requests the instance made of this server
}

// newRemoteServer makes n authors with RSA-2048 keys (on every core) and
// starts serving them on 127.0.0.1.
func newRemoteServer(n int) (*remoteServer, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("remote server: %w", err)
	}
	rs := &remoteServer{base: "http://" + l.Addr().String(), authors: make([]remoteAuthor, n)}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range rs.authors {
		wg.Go(func() { rs.authors[i], errs[i] = rs.newAuthor(i) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			l.Close()
			return nil, err
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users/{name}", rs.serveActor)
	mux.HandleFunc("GET /.well-known/webfinger", rs.serveWebFinger)
	mux.HandleFunc("POST /", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) })
	rs.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs.served.Add(1)
		mux.ServeHTTP(w, r)
	})}
	go rs.srv.Serve(l)
	return rs, nil
}

// newAuthor makes the i-th author.
func (rs *remoteServer) newAuthor(i int) (remoteAuthor, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return remoteAuthor{}, fmt.Errorf("generate key: %w", err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return remoteAuthor{}, fmt.Errorf("marshal key: %w", err)
	}
	uri := fmt.Sprintf("%s/users/u%d", rs.base, i)
	return remoteAuthor{uri: uri, keyID: uri + "#main-key", key: key,
		pem: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))}, nil
}

// author returns the author of a path's name ("u12"), if there is one.
func (rs *remoteServer) author(name string) (remoteAuthor, bool) {
	i, err := strconv.Atoi(strings.TrimPrefix(name, "u"))
	if !strings.HasPrefix(name, "u") || err != nil || i < 0 || i >= len(rs.authors) {
		return remoteAuthor{}, false
	}
	return rs.authors[i], true
}

// serveActor serves an author's document as Mastodon shapes it.
func (rs *remoteServer) serveActor(w http.ResponseWriter, r *http.Request) {
	a, ok := rs.author(r.PathValue("name"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	doc := map[string]any{
		"@context":          []string{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":                a.uri,
		"type":              "Person",
		"preferredUsername": r.PathValue("name"),
		"name":              "Bench author " + r.PathValue("name"),
		"inbox":             a.uri + "/inbox",
		"outbox":            a.uri + "/outbox",
		"followers":         a.uri + "/followers",
		"following":         a.uri + "/following",
		"endpoints":         map[string]string{"sharedInbox": rs.base + "/inbox"},
		"publicKey":         map[string]string{"id": a.keyID, "owner": a.uri, "publicKeyPem": a.pem},
	}
	w.Header().Set("Content-Type", "application/activity+json")
	json.NewEncoder(w).Encode(doc)
}

// serveWebFinger answers acct:uN@host with the author's actor link.
func (rs *remoteServer) serveWebFinger(w http.ResponseWriter, r *http.Request) {
	user, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Query().Get("resource"), "acct:"), "@")
	a, ok := rs.author(user)
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/jrd+json")
	json.NewEncoder(w).Encode(map[string]any{
		"subject": r.URL.Query().Get("resource"),
		"links":   []map[string]string{{"rel": "self", "type": "application/activity+json", "href": a.uri}},
	})
}

// close stops serving.
func (rs *remoteServer) close() { rs.srv.Close() }
