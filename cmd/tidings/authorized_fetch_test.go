package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yaronf/httpsign"

	"github.com/tidings-social/tidings/federation"
	"github.com/tidings-social/tidings/storage"
)

// authorizedFetch configures a test instance as a secure-mode server.
func authorizedFetch(c *Config) {
	federating(c)
	c.Federation.AuthorizedFetch = true
}

// fetchAP GETs an ActivityPub document of the instance, signed with
// key as keyID when key is not nil, and returns the status and body.
func fetchAP(t *testing.T, inst *instance, path, keyID string, key *rsa.PrivateKey) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, inst.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/activity+json")
	if key != nil {
		if err := federation.SignRequest(req, nil, keyID, key, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// jsonKeys lists the names of a JSON object's members.
func jsonKeys(t *testing.T, body string) []string {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, body)
	}
	var keys []string
	for k := range doc {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestAuthorizedFetch: with [federation] authorized_fetch, documents are
// served only to signed requests of servers, as Mastodon's secure mode:
// an unsigned request for a member or subwiki gets the minimal actor
// other servers need to check its signatures, and one for an object or
// collection 401; a bad signature 401. The instance actor, WebFinger,
// host-meta, NodeInfo and HTML pages stay open.
func TestAuthorizedFetch(t *testing.T) {
	a := startInstance(t, authorizedFetch)
	alice := member(t, a, "alice")
	createSubwiki(t, alice, "climate", "Climate", nil)
	postID := publish(t, alice, url.Values{"kind": {"discussion"}, "subwiki": {subwikiID(t, a, "climate")},
		"headline": {"Glaciers retreat"}, "text": {"Faster than thought."}})

	h := startHostileServer(t)
	signer := h.actor(t, "Service", "fetcher", nil)
	keyID := signer + "#main-key"
	forger, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}

	minimal := []string{"@context", "endpoints", "id", "inbox", "outbox", "preferredUsername", "publicKey", "type"}
	for _, path := range []string{"/users/alice", "/@alice", "/s/climate"} {
		status, body := fetchAP(t, a, path, "", nil)
		if got := jsonKeys(t, body); status != http.StatusOK || !slices.Equal(got, minimal) {
			t.Errorf("unsigned GET %s: %d with %v, want 200 with only %v", path, status, got, minimal)
		}
		status, body = fetchAP(t, a, path, keyID, hostileKey())
		if got := jsonKeys(t, body); status != http.StatusOK || !slices.Contains(got, "followers") {
			t.Errorf("signed GET %s: %d with %v, want 200 with the whole actor", path, status, got)
		}
		if status, body := fetchAP(t, a, path, keyID, forger); status != http.StatusUnauthorized || !strings.Contains(body, "signature") {
			t.Errorf("GET %s with a bad signature: %d %.200s, want 401 with a reason", path, status, body)
		}
	}

	objects := []string{
		"/posts/" + postID, "/posts/" + postID + "/activity", "/posts/" + postID + "/history", "/posts/" + postID + "/revisions/1",
		"/users/alice/outbox", "/users/alice/followers", "/users/alice/following",
		"/s/climate/outbox", "/s/climate/followers", "/s/climate/following", "/s/climate/moderators",
	}
	for _, path := range objects {
		if status, body := fetchAP(t, a, path, "", nil); status != http.StatusUnauthorized || !strings.Contains(body, "signed") {
			t.Errorf("unsigned GET %s: %d %.200s, want 401 saying it must be signed", path, status, body)
		}
		if status, body := fetchAP(t, a, path, keyID, hostileKey()); status != http.StatusOK {
			t.Errorf("signed GET %s: %d %.200s, want 200", path, status, body)
		}
		if status, body := fetchAP(t, a, path, keyID, forger); status != http.StatusUnauthorized || !strings.Contains(body, "signature") {
			t.Errorf("GET %s with a bad signature: %d %.200s, want 401 with a reason", path, status, body)
		}
	}

	// RFC 9421 signatures are taken as the inbox takes them.
	req, err := http.NewRequest(http.MethodGet, a.URL+"/posts/"+postID, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/activity+json")
	signer9421, err := httpsign.NewRSASigner(*hostileKey(), httpsign.NewSignConfig().SetKeyID(keyID),
		httpsign.Headers("@method", "@target-uri"))
	if err != nil {
		t.Fatal(err)
	}
	input, sig, err := httpsign.SignRequest("sig1", *signer9421, req)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Signature-Input", input)
	req.Header.Set("Signature", sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET of a post signed with RFC 9421: %d, want 200", resp.StatusCode)
	}

	open := []string{"/actor", "/.well-known/webfinger?resource=" + url.QueryEscape("acct:alice@"+a.Config.Server.Domain),
		"/.well-known/host-meta", "/.well-known/nodeinfo", "/nodeinfo/2.1"}
	for _, path := range open {
		if status, body := fetchAP(t, a, path, "", nil); status != http.StatusOK {
			t.Errorf("unsigned GET %s: %d %.200s, want 200", path, status, body)
		}
	}
	visitor := newVisitor(t, a)
	wantBody(t, visitor.get("/posts/"+postID), "Glaciers retreat")
	wantBody(t, visitor.get("/@alice"), "alice")
}

// TestAuthorizedFetchBetweenInstances: two instances in secure mode
// follow each other's members and receive their posts, since every fetch
// they make is signed and the instance actor that signs stays open.
func TestAuthorizedFetchBetweenInstances(t *testing.T) {
	a := startInstance(t, authorizedFetch)
	b := startInstance(t, authorizedFetch)
	alice := member(t, a, "alice")
	bob := member(t, b, "bob")
	aliceHandle := "@alice@" + a.Config.Server.Domain
	followRemote(t, bob, aliceHandle)
	waitFor(t, "bob's follow accepted on B", 10*time.Second, func() bool {
		f, _ := b.DB.FollowBetween(context.Background(), actorOf(t, b, "bob").ID, remoteActor(t, b, aliceHandle).ID)
		return f != nil && f.State == storage.FollowAccepted
	})
	publish(t, alice, url.Values{"kind": {"discussion"}, "headline": {"Signed all the way"}, "text": {"Yes."}})
	waitFor(t, "alice's post in bob's feed", 10*time.Second, func() bool {
		return strings.Contains(bob.get("/").Body, "Signed all the way")
	})
}
