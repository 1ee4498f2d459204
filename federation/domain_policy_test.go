package federation

import (
	"context"
	"crypto/rsa"
	"database/sql"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// rowCounts counts the rows of the tables where anything of a remote
// server's request could be left.
func rowCounts(t *testing.T, path string) map[string]int {
	t.Helper()
	conn, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	counts := map[string]int{}
	for _, table := range []string{"inbox", "actors", "follows", "posts", "hosts"} {
		var n int
		if err := conn.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		counts[table] = n
	}
	return counts
}

// TestInboxRefusesSuspendedDomain: an activity whose actor or signing
// key is on a suspended server is answered 403 before its key is
// fetched, and nothing of it is stored.
func TestInboxRefusesSuspendedDomain(t *testing.T) {
	in := newInboxTestInstance(t)
	keys := inboxTestKeys()
	blocked := newRemoteServer(t, keys[0])
	fine := newRemoteServer(t, keys[1])
	alice := in.fed.cfg.Site.ActorURI("alice")
	ctx := context.Background()
	blockedHost := strings.TrimPrefix(blocked.URL, "http://")
	if _, err := in.db.BlockDomain(ctx, storage.DomainBlockCreate{Host: blockedHost, Level: storage.DomainSuspend}); err != nil {
		t.Fatal(err)
	}
	before := rowCounts(t, in.path)

	// Its own actor, its own key.
	status, reason := in.deliver(t, followActivity(blocked, alice, "1"), blocked.keyID(), keys[0])
	if status != http.StatusForbidden || !strings.Contains(reason, blockedHost) {
		t.Errorf("a Follow from the suspended server: %d %s, want 403 naming it", status, reason)
	}
	// Another server's actor, signed with the suspended server's key.
	status, _ = in.deliver(t, followActivity(fine, alice, "2"), blocked.keyID(), keys[0])
	if status != http.StatusForbidden {
		t.Errorf("an activity signed with the suspended server's key: %d, want 403", status)
	}
	if after := rowCounts(t, in.path); !equalCounts(before, after) {
		t.Errorf("rows after the refused activities = %v, before %v; want nothing stored", after, before)
	}
	// Other servers are not touched.
	if status, reason := in.deliver(t, followActivity(fine, alice, "3"), fine.keyID(), keys[1]); status != http.StatusAccepted {
		t.Errorf("a Follow from another server: %d %s, want 202", status, reason)
	}
}

func equalCounts(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}

// TestNothingIsFetchedFromSuspendedDomain: the client sends no request
// to a suspended server, nor follows a redirect to one.
func TestNothingIsFetchedFromSuspendedDomain(t *testing.T) {
	in := newInboxTestInstance(t)
	keys := inboxTestKeys()
	blocked := newRemoteServer(t, keys[0])
	redirector := http.NewServeMux()
	redirector.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, blocked.actorURI(), http.StatusFound)
	})
	ctx := context.Background()
	u, _ := url.Parse(blocked.URL)
	if _, err := in.db.BlockDomain(ctx, storage.DomainBlockCreate{Host: u.Host, Level: storage.DomainSuspend}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := in.fed.client.GetActivity(ctx, blocked.actorURI(), nil); !errors.Is(err, ErrSuspendedDomain) {
		t.Errorf("fetch from the suspended server: %v, want ErrSuspendedDomain", err)
	}
	if err := in.fed.client.PostActivity(ctx, blocked.actorURI()+"/inbox", []byte(`{}`), nil); !errors.Is(err, ErrSuspendedDomain) {
		t.Errorf("delivery to the suspended server: %v, want ErrSuspendedDomain", err)
	}
	other := newRemoteServer(t, keys[1])
	other.Config.Handler = redirector
	if _, _, err := in.fed.client.GetActivity(ctx, other.URL+"/anything", nil); !errors.Is(err, ErrSuspendedDomain) {
		t.Errorf("a redirect to the suspended server: %v, want ErrSuspendedDomain", err)
	}
}

// TestQueuedActivityOfSuspendedDomainIsDropped: what a server sent before
// it was suspended is dropped by the inbox worker, not applied.
func TestQueuedActivityOfSuspendedDomainIsDropped(t *testing.T) {
	ctx := context.Background()
	a, b, c := newInboxTestInstance(t), newPeer(t), newPeer(t)
	alice := a.member(t, "alice")
	bob, carl := b.member("bob"), c.member("carl")
	b.send(a, bob, b.activity("Follow", bob, alice.URI))
	c.send(a, carl, c.activity("Follow", carl, alice.URI))
	host := strings.TrimPrefix(b.srv.URL, "http://")
	if _, err := a.db.BlockDomain(ctx, storage.DomainBlockCreate{Host: host, Level: storage.DomainSuspend}); err != nil {
		t.Fatal(err)
	}
	a.drain(t)
	if followers, _, _ := a.db.FollowCounts(ctx, alice.ID); followers != 1 {
		t.Errorf("alice has %d followers after queued Follows from a suspended server and another, want 1", followers)
	}
	if bobHere, err := a.db.ActorByURI(ctx, bob.URI); err == nil {
		if f, _ := a.db.FollowBetween(ctx, bobHere.ID, alice.ID); f != nil {
			t.Errorf("the suspended server's queued Follow was stored: %+v", f)
		}
	}
	if n := a.pending(t); n != 0 {
		t.Errorf("%d inbound activities wait to be tried again, want the suspended server's dropped", n)
	}
}

// TestAuthorizedFetchRefusesSuspendedDomain: under authorized fetch, a
// signed fetch by a suspended server gets 403 before its key is fetched;
// another server's gets the actor.
func TestAuthorizedFetchRefusesSuspendedDomain(t *testing.T) {
	in := newInboxTestInstance(t)
	in.fed.cfg.AuthorizedFetch = true
	keys := inboxTestKeys()
	blocked := newRemoteServer(t, keys[0])
	fine := newRemoteServer(t, keys[1])
	ctx := context.Background()
	if _, err := in.db.BlockDomain(ctx, storage.DomainBlockCreate{Host: strings.TrimPrefix(blocked.URL, "http://"),
		Level: storage.DomainSuspend}); err != nil {
		t.Fatal(err)
	}
	fetch := func(rs *remoteServer, key *rsa.PrivateKey) int {
		req, _ := http.NewRequest(http.MethodGet, in.fed.cfg.Site.ActorURI("alice"), nil)
		req.Header.Set("Accept", "application/activity+json")
		if err := SignRequest(req, nil, rs.keyID(), key, time.Now()); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := fetch(blocked, keys[0]); got != http.StatusForbidden {
		t.Errorf("a signed fetch by the suspended server: %d, want 403", got)
	}
	if got := fetch(fine, keys[1]); got != http.StatusOK {
		t.Errorf("a signed fetch by another server: %d, want 200", got)
	}
}
