package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// newRSAKeys makes n RSA-2048 keys on every core.
func newRSAKeys(n int) ([]*rsa.PrivateKey, error) {
	keys := make([]*rsa.PrivateKey, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() { keys[i], errs[i] = rsa.GenerateKey(rand.Reader, 2048) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("generate key: %w", err)
		}
	}
	return keys, nil
}

// authorWithKey is the actor uri signing with key.
func authorWithKey(uri string, key *rsa.PrivateKey) (remoteAuthor, error) {
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return remoteAuthor{}, fmt.Errorf("marshal key: %w", err)
	}
	return remoteAuthor{uri: uri, keyID: uri + "#main-key", key: key,
		pem: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))}, nil
}

// writeActor writes a's document as Mastodon shapes it.
func writeActor(w http.ResponseWriter, a remoteAuthor, name, sharedInbox string) {
	doc := map[string]any{
		"@context":          []string{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":                a.uri,
		"type":              "Person",
		"preferredUsername": name,
		"name":              "Fan-out reader " + name,
		"inbox":             a.uri + "/inbox",
		"outbox":            a.uri + "/outbox",
		"followers":         a.uri + "/followers",
		"following":         a.uri + "/following",
		"endpoints":         map[string]string{"sharedInbox": sharedInbox},
		"publicKey":         map[string]string{"id": a.keyID, "owner": a.uri, "publicKeyPem": a.pem},
	}
	w.Header().Set("Content-Type", "application/activity+json")
	json.NewEncoder(w).Encode(doc)
}

// writeWebFinger answers a WebFinger query for the one actor uri, whose
// name is the last segment of its path.
func writeWebFinger(w http.ResponseWriter, r *http.Request, uri string) {
	resource := r.URL.Query().Get("resource")
	user, _, _ := strings.Cut(strings.TrimPrefix(resource, "acct:"), "@")
	if user == "" || !strings.HasSuffix(uri, "/"+user) {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/jrd+json")
	json.NewEncoder(w).Encode(map[string]any{
		"subject": resource,
		"links":   []map[string]string{{"rel": "self", "type": "application/activity+json", "href": uri}},
	})
}
