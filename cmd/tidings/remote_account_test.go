package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidings-social/tidings/federation"
)

// asPublic is the collection that addresses everyone.
const asPublic = "https://www.w3.org/ns/activitystreams#Public"

// remoteAccount is an account on a small ActivityPub server on loopback
// that serves only its actor document and sends what a test writes, as
// Mastodon would: to say what our servers do with addressing that
// Tidings itself never sends, such as followers-only and direct posts.
type remoteAccount struct {
	t       *testing.T
	srv     *httptest.Server
	key     *rsa.PrivateKey
	URI     string
	mu      sync.Mutex
	objects map[string]map[string]any // served to anyone, by path
}

// newRemoteAccount starts the server of the account named name.
func newRemoteAccount(t *testing.T, name string) *remoteAccount {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	ra := &remoteAccount{t: t, key: key, objects: map[string]map[string]any{}}
	ra.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/activity+json")
		ra.mu.Lock()
		object, ok := ra.objects[r.URL.Path]
		ra.mu.Unlock()
		if ok {
			json.NewEncoder(w).Encode(object)
			return
		}
		if r.URL.Path != "/users/"+name {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{
			"@context":          []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
			"id":                ra.URI,
			"type":              "Person",
			"preferredUsername": name,
			"inbox":             ra.URI + "/inbox",
			"followers":         ra.Followers(),
			"publicKey": map[string]any{"id": ra.URI + "#main-key", "owner": ra.URI,
				"publicKeyPem": string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))},
		})
	}))
	t.Cleanup(ra.srv.Close)
	ra.URI = ra.srv.URL + "/users/" + name
	return ra
}

// Followers is the id of the account's followers collection.
func (ra *remoteAccount) Followers() string { return ra.URI + "/followers" }

// ID makes the id of one of the account's objects or activities.
func (ra *remoteAccount) ID(path string) string { return ra.srv.URL + "/" + path }

// note is a Note of the account addressed to and cc, mentioning those
// in mentions.
func (ra *remoteAccount) note(id, content string, to, cc, mentions []string) map[string]any {
	tags := []any{}
	for _, uri := range mentions {
		tags = append(tags, map[string]any{"type": "Mention", "href": uri})
	}
	return map[string]any{
		"id": ra.ID(id), "type": "Note", "attributedTo": ra.URI, "content": content,
		"published": time.Now().UTC().Format(time.RFC3339), "to": to, "cc": cc, "tag": tags,
	}
}

// serve has the server answer fetches of a public object by anyone, as
// Mastodon does; it serves nothing else but the actor.
func (ra *remoteAccount) serve(object map[string]any) {
	ra.mu.Lock()
	defer ra.mu.Unlock()
	id, _ := object["id"].(string)
	ra.objects[strings.TrimPrefix(id, ra.srv.URL)] = object
}

// activity wraps an object in an activity of the account, addressed as
// the object is.
func (ra *remoteAccount) activity(typ, id string, object any, to, cc []string) map[string]any {
	return map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       ra.ID(id), "type": typ, "actor": ra.URI, "object": object, "to": to, "cc": cc,
	}
}

// send delivers an activity to the instance's shared inbox, signed by
// the account, and fails the test unless it is accepted.
func (ra *remoteAccount) send(inst *instance, activity map[string]any) {
	ra.t.Helper()
	body, err := json.Marshal(activity)
	if err != nil {
		ra.t.Fatal(err)
	}
	status, reason := interopDeliver(ra.t, inst.URL+"/inbox", body, func(req *http.Request) error {
		return federation.SignRequest(req, body, ra.URI+"#main-key", ra.key, time.Now())
	})
	if status != http.StatusAccepted {
		ra.t.Fatalf("%s %s: status %d: %s", activity["type"], activity["id"], status, reason)
	}
}
