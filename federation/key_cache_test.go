package federation

import (
	"net/http"
	"testing"
	"time"
)

// TestInboxCachedKeyRefusesForgeryAndFollowsRotation: once an actor's key
// is answered from memory, a request signed by another key in its name is
// still refused, and a key the actor rotated to is still fetched and
// accepted, as with the key read from the database.
func TestInboxCachedKeyRefusesForgeryAndFollowsRotation(t *testing.T) {
	in := newInboxTestInstance(t)
	keys := inboxTestKeys()
	rs := newRemoteServer(t, keys[0])
	alice := in.fed.cfg.Site.ActorURI("alice")
	// The first request stores the actor; the second reads it and keeps
	// it in memory; the third is answered from memory.
	for _, id := range []string{"1", "2", "3"} {
		if status, reason := in.deliver(t, followActivity(rs, alice, id), rs.keyID(), keys[0]); status != http.StatusAccepted {
			t.Fatalf("delivery %s: %d %s", id, status, reason)
		}
	}
	// A forger signs with another key under the actor's key id; the
	// actor's server still publishes the real key.
	in.db.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
	defer func() { in.db.Now = time.Now }()
	if status, _ := in.deliver(t, followActivity(rs, alice, "forged"), rs.keyID(), keys[1]); status != http.StatusUnauthorized {
		t.Errorf("a forged signature: %d, want 401", status)
	}
	// The actor rotates its key: the cached one fails, the key is fetched
	// again, and the request passes.
	rs.setKey(keys[1])
	in.db.Now = func() time.Time { return time.Now().Add(4 * time.Minute) }
	if status, reason := in.deliver(t, followActivity(rs, alice, "4"), rs.keyID(), keys[1]); status != http.StatusAccepted {
		t.Fatalf("after rotation: %d %s", status, reason)
	}
	if status, reason := in.deliver(t, followActivity(rs, alice, "5"), rs.keyID(), keys[1]); status != http.StatusAccepted {
		t.Errorf("the next request with the rotated key: %d %s", status, reason)
	}
	// The old key no longer passes.
	if status, _ := in.deliver(t, followActivity(rs, alice, "6"), rs.keyID(), keys[0]); status != http.StatusUnauthorized {
		t.Errorf("a request signed with the replaced key: %d, want 401", status)
	}
}
