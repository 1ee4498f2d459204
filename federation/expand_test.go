package federation

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// testClock is a clock that moves only when told to.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// inboxRecorder is another server's shared inbox on loopback that keeps
// what it is sent and answers with the status its answer function gives.
type inboxRecorder struct {
	*httptest.Server
	mu       sync.Mutex
	received []map[string]any
	answer   func(activity map[string]any) int
}

func newInboxRecorder(t *testing.T) *inboxRecorder {
	rec := &inboxRecorder{answer: func(map[string]any) int { return http.StatusAccepted }}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var activity map[string]any
		json.Unmarshal(body, &activity)
		rec.mu.Lock()
		rec.received = append(rec.received, activity)
		answer := rec.answer
		rec.mu.Unlock()
		w.WriteHeader(answer(activity))
	}))
	t.Cleanup(rec.Close)
	return rec
}

// objects lists, in order, "Type object-id" of each activity received.
func (rec *inboxRecorder) objects() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var list []string
	for _, a := range rec.received {
		list = append(list, describe(a))
	}
	return list
}

// describe is an activity's type and the id of its object.
func describe(a map[string]any) string {
	object := a["object"]
	if m, ok := object.(map[string]any); ok {
		object = m["id"]
	}
	s, _ := object.(string)
	typ, _ := a["type"].(string)
	return typ + " " + s
}

// outboxTestInstance is an instance with a member, alice, whose follower
// lives on a loopback server, and a clock that stands still.
type outboxTestInstance struct {
	path   string
	db     *storage.DB
	fed    *Federator
	clock  *testClock
	alice  *storage.Member
	remote *inboxRecorder
}

func newOutboxTestInstance(t *testing.T) *outboxTestInstance {
	t.Helper()
	ctx := context.Background()
	site := storage.Site{Scheme: "http", Domain: "127.0.0.1:1"}
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := storage.Open(ctx, path, site)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := &testClock{now: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}
	db.Now = clock.Now
	alice, err := db.CreateMember(ctx, storage.MemberCreate{Username: "alice", Email: "a@example.org", Password: "a long password"})
	if err != nil {
		t.Fatal(err)
	}
	in := &outboxTestInstance{path: path, db: db, clock: clock, alice: alice, remote: newInboxRecorder(t)}
	in.fed = New(db, Config{Site: site, Version: "test", AllowPrivateAddresses: true}, slog.New(slog.DiscardHandler))
	bob := in.remoteActor(t, "bob")
	if _, err := db.ReceiveFollow(ctx, bob.ID, alice.ID, bob.URI+"/follows/1"); err != nil {
		t.Fatal(err)
	}
	return in
}

// remoteActor stores an actor of the loopback server.
func (in *outboxTestInstance) remoteActor(t *testing.T, name string) *storage.Actor {
	t.Helper()
	uri := in.remote.URL + "/users/" + name
	a, err := in.db.SaveRemoteActor(context.Background(), storage.RemoteActor{
		URI: uri, Kind: storage.KindPerson, Username: name,
		Inbox: uri + "/inbox", SharedInbox: in.remote.URL + "/inbox",
		KeyID: uri + "#main-key", PublicKeyPEM: publicPEM(t, inboxTestKeys()[0]),
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// deliverDue sends every delivery that is due, in this goroutine.
func (in *outboxTestInstance) deliverDue(t *testing.T) int {
	t.Helper()
	ctx := context.Background()
	sent := 0
	for {
		claimed, err := in.db.ClaimDeliveries(ctx, 100, 0, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(claimed) == 0 {
			return sent
		}
		for _, d := range claimed {
			in.fed.deliver(ctx, d)
		}
		sent += len(claimed)
	}
}

// damageOutboxPayload replaces an outbox event's payload, in the database
// file itself, with text that is not JSON: what a fault on disk or a bug
// of an older version could leave, and no operation of ours writes.
func damageOutboxPayload(t *testing.T, path, eventID string) {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec(`UPDATE outbox SET payload = '{"object_uri": ' WHERE id = ?`, eventID); err != nil {
		t.Fatal(err)
	}
}

func TestABrokenOutboxEventDoesNotStopTheOthers(t *testing.T) {
	in := newOutboxTestInstance(t)
	ctx := context.Background()
	first, err := in.db.CreatePost(ctx, in.alice.ID, "first")
	if err != nil {
		t.Fatal(err)
	}
	pending, _ := in.db.PendingOutbox(ctx, 10)
	broken := pending[len(pending)-1].ID
	damageOutboxPayload(t, in.path, broken)
	second, err := in.db.CreatePost(ctx, in.alice.ID, "second")
	if err != nil {
		t.Fatal(err)
	}

	// Each round expands what is due, sends it, and lets an hour pass,
	// longer than any wait between attempts.
	for range storage.OutboxMaxAttempts + 1 {
		in.fed.expandOutbox(ctx)
		in.deliverDue(t)
		in.clock.Advance(time.Hour)
	}
	got := in.remote.objects()
	want := "Create " + second.URI
	found := false
	for _, o := range got {
		found = found || o == want
		if o == "Create "+first.URI {
			t.Errorf("the broken event was sent: %v", got)
		}
	}
	if !found {
		t.Fatalf("the follower's server received %v; want %q among them", got, want)
	}

	parked, err := in.db.ParkedOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(parked) != 1 || parked[0].ID != broken || parked[0].Attempts != storage.OutboxMaxAttempts || parked[0].LastError == "" {
		t.Fatalf("parked = %+v; want the broken event after %d attempts, with its error", parked, storage.OutboxMaxAttempts)
	}
	if pending, _ := in.db.PendingOutbox(ctx, 10); len(pending) != 0 {
		t.Errorf("still pending: %+v", pending)
	}
}

// TestADeleteWaitsForItsCreate has the follower's server refuse a post's
// Create for a while (503), during which the post is deleted: the Delete
// must wait until the Create is through, or the post would come back on
// servers that apply the Create after the Delete (Mastodon among them).
func TestADeleteWaitsForItsCreate(t *testing.T) {
	in := newOutboxTestInstance(t)
	ctx := context.Background()
	refusing := true
	in.remote.answer = func(a map[string]any) int {
		if a["type"] == "Create" && refusing {
			return http.StatusServiceUnavailable
		}
		return http.StatusAccepted
	}
	post, err := in.db.CreatePost(ctx, in.alice.ID, "a rumour")
	if err != nil {
		t.Fatal(err)
	}
	in.fed.expandOutbox(ctx)
	if err := in.db.DeletePost(ctx, in.alice.ID, post.ID); err != nil {
		t.Fatal(err)
	}
	in.fed.expandOutbox(ctx)

	in.deliverDue(t)
	in.remote.mu.Lock()
	refusing = false
	in.remote.mu.Unlock()
	in.clock.Advance(time.Hour)
	in.deliverDue(t)

	var got []string
	for _, o := range in.remote.objects() {
		if strings.HasSuffix(o, " "+post.URI) {
			got = append(got, o)
		}
	}
	want := []string{"Create " + post.URI, "Create " + post.URI, "Delete " + post.URI}
	if !slices.Equal(got, want) {
		t.Errorf("the follower's server received %q; want %q (the Create refused, then sent again, then the Delete)", got, want)
	}
}
