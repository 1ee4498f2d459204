package federation

import (
	"context"
	"database/sql"
	"net/http"
	"testing"
	"time"
)

// runWorkers processes what the instance's inbox stores until the test
// ends.
func (in *inboxTestInstance) runWorkers(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { in.fed.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// settle waits until every stored inbound activity is processed.
func (in *inboxTestInstance) settle(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for in.pending(t) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("inbound activities still pending after 10 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestInboxKeepsUsableKeyOnUpdate: an Update of an actor whose new key
// cannot be read changes the rest of the actor but keeps the key it had,
// so the actor's later requests are still accepted.
func TestInboxKeepsUsableKeyOnUpdate(t *testing.T) {
	in := newInboxTestInstance(t)
	in.runWorkers(t)
	keys := inboxTestKeys()
	rs := newRemoteServer(t, keys[0])
	alice := in.fed.cfg.Site.ActorURI("alice")
	if status, reason := in.deliver(t, followActivity(rs, alice, "1"), rs.keyID(), keys[0]); status != http.StatusAccepted {
		t.Fatalf("first delivery: %d %s", status, reason)
	}
	update := map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       rs.URL + "/activities/update-1", "type": "Update", "actor": rs.actorURI(),
		"object": map[string]any{
			"id": rs.actorURI(), "type": "Person", "preferredUsername": "bob", "name": "Bob, renamed",
			"inbox": rs.actorURI() + "/inbox",
			"publicKey": map[string]any{"id": rs.keyID(), "owner": rs.actorURI(),
				"publicKeyPem": "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n"},
		},
	}
	if status, reason := in.deliver(t, update, rs.keyID(), keys[0]); status != http.StatusAccepted {
		t.Fatalf("update: %d %s", status, reason)
	}
	in.settle(t)
	bob, err := in.db.ActorByURI(context.Background(), rs.actorURI())
	if err != nil {
		t.Fatal(err)
	}
	if bob.DisplayName != "Bob, renamed" || bob.PublicKeyPEM != publicPEM(t, keys[0]) {
		t.Errorf("after the update: name %q, key kept: %v; want the new name and the old key", bob.DisplayName,
			bob.PublicKeyPEM == publicPEM(t, keys[0]))
	}
	if status, reason := in.deliver(t, followActivity(rs, alice, "2"), rs.keyID(), keys[0]); status != http.StatusAccepted {
		t.Errorf("a request after the update: %d %s, want 202", status, reason)
	}
}

// TestInboxRefetchesUnusableKey: an actor stored with a key that cannot
// be read (as older versions stored whatever an actor published) is
// fetched again when it signs a request, and the request is accepted.
func TestInboxRefetchesUnusableKey(t *testing.T) {
	in := newInboxTestInstance(t)
	keys := inboxTestKeys()
	rs := newRemoteServer(t, keys[0])
	alice := in.fed.cfg.Site.ActorURI("alice")
	if status, reason := in.deliver(t, followActivity(rs, alice, "1"), rs.keyID(), keys[0]); status != http.StatusAccepted {
		t.Fatalf("first delivery: %d %s", status, reason)
	}
	// The row as an older version could have left it; no storage
	// operation of this one writes such a key.
	legacy, err := sql.Open("sqlite", in.path)
	if err != nil {
		t.Fatal(err)
	}
	defer legacy.Close()
	if _, err := legacy.Exec(`UPDATE actors SET public_key_pem = 'not a key' WHERE uri = ?`, rs.actorURI()); err != nil {
		t.Fatal(err)
	}
	in.db.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
	defer func() { in.db.Now = time.Now }()
	if status, reason := in.deliver(t, followActivity(rs, alice, "2"), rs.keyID(), keys[0]); status != http.StatusAccepted {
		t.Fatalf("a request signed by the actor with the unusable stored key: %d %s, want 202", status, reason)
	}
	bob, _ := in.db.ActorByURI(context.Background(), rs.actorURI())
	if bob.PublicKeyPEM != publicPEM(t, keys[0]) {
		t.Error("the fetched key was not stored")
	}
}
