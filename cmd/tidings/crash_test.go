package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// crashFollowers is how many remote followers, each with an inbox of
// its own, the post in the crash test goes to.
const crashFollowers = 1000

// crashInboxDelay is how long the followers' server takes to answer. At
// four requests in flight to one server (the per-host cap) it makes the
// delivery last a few seconds, so that the kill lands in the middle.
const crashInboxDelay = 15 * time.Millisecond

// TestCrashDuringDeliveryLosesNothing kills the server (SIGKILL) while it
// delivers one post to 1,000 inboxes, starts it again on the same
// database, and checks that every inbox received the post at least once
// and that no delivery is left pending or was dropped.
func TestCrashDuringDeliveryLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and delivers to 1,000 inboxes; skipped in short mode")
	}
	bin := filepath.Join(t.TempDir(), "tidings")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	followers := newCrashInboxes()
	srv := httptest.NewServer(followers)
	defer srv.Close()

	file := writeConfig(t, "[server]\nlisten = \"127.0.0.1:0\"\n[federation]\nallow_private_addresses = true\n")
	postURI := seedCrashDelivery(t, file, srv.URL)

	// First run: killed once a tenth of the inboxes have the post.
	first := startCrashProcess(t, bin, file)
	waitFor(t, "the first 100 inboxes to receive the post", 30*time.Second, func() bool {
		return followers.reached(postURI) >= 100
	})
	if err := first.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	first.cmd.Wait()
	atKill := followers.reached(postURI)
	t.Logf("killed with %d of %d inboxes reached", atKill, crashFollowers)
	if atKill >= crashFollowers {
		t.Fatalf("all %d inboxes had the post before the kill, so the test proves nothing; "+
			"make crashInboxDelay longer", crashFollowers)
	}

	// What the killed process had claimed and not finished is still marked
	// as claimed; the next process takes it back when it starts.
	db := openConfigDB(t, file)
	pending, delivered, dropped := deliveryCounts(t, db)
	t.Logf("after the kill: %d pending, %d delivered, %d dropped", pending, delivered, dropped)
	if pending == 0 {
		t.Fatal("nothing was pending at the kill, so the test proves nothing")
	}

	// Second run, on the same database.
	second := startCrashProcess(t, bin, file)
	waitFor(t, "every inbox to receive the post", 60*time.Second, func() bool {
		return followers.reached(postURI) == crashFollowers
	})
	waitFor(t, "no delivery pending", 30*time.Second, func() bool {
		pending, _, _ := deliveryCounts(t, db)
		return pending == 0
	})
	second.stop(t)

	pending, delivered, dropped = deliveryCounts(t, db)
	if pending != 0 || delivered != crashFollowers || dropped != 0 {
		t.Errorf("deliveries: %d pending, %d delivered, %d dropped; want 0, %d, 0",
			pending, delivered, dropped, crashFollowers)
	}
	if problems := followers.problems(); len(problems) > 0 {
		t.Errorf("the followers' server refused %d requests, first: %s", len(problems), problems[0])
	}
	t.Logf("%d inboxes received the post %d times in all: %d duplicates (allowed: at least once)",
		crashFollowers, followers.creates(postURI), followers.creates(postURI)-crashFollowers)
}

// seedCrashDelivery fills the database of the config file, before the
// server first starts, with a member alice, 1,000 remote followers each
// with its own inbox on the server at base, and one post by alice that
// is still to be delivered. It returns the post's id.
func seedCrashDelivery(t *testing.T, file, base string) string {
	t.Helper()
	ctx := context.Background()
	db := openConfigDB(t, file)
	alice, err := db.CreateMember(ctx, storage.MemberCreate{
		Username: "alice", Email: "alice@example.org", Password: "a long password",
	})
	if err != nil {
		t.Fatal(err)
	}
	for n := range crashFollowers {
		uri := fmt.Sprintf("%s/users/f%d", base, n)
		follower, err := db.SaveRemoteActor(ctx, storage.RemoteActor{
			URI: uri, Kind: storage.KindPerson, Username: fmt.Sprintf("f%d", n),
			Inbox: fmt.Sprintf("%s/inbox/%d", base, n),
			KeyID: uri + "#main-key", PublicKeyPEM: hostilePublicPEM(t), // never used: followers only receive
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ReceiveFollow(ctx, follower.ID, alice.ID, uri+"/follows/1"); err != nil {
			t.Fatal(err)
		}
	}
	// Each follow queued an Accept. They are marked done with nothing to
	// send, so that the one activity in flight is the post.
	for {
		events, err := db.PendingOutbox(ctx, 500)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) == 0 {
			break
		}
		for _, e := range events {
			if _, err := db.ExpandOutbox(ctx, e.ID, nil, "", nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	post, err := db.CreatePost(ctx, alice.ID, "Breaking: the server survives a crash.")
	if err != nil {
		t.Fatal(err)
	}
	return post.URI
}

func deliveryCounts(t *testing.T, db *storage.DB) (pending, delivered, dropped int) {
	t.Helper()
	pending, delivered, dropped, err := db.DeliveryCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return pending, delivered, dropped
}

// crashProcess is a tidings serve process.
type crashProcess struct {
	cmd  *exec.Cmd
	logs *bytes.Buffer // read only after the process ended
}

// startCrashProcess starts the binary on the config file and returns
// once it listens.
func startCrashProcess(t *testing.T, bin, file string) *crashProcess {
	t.Helper()
	p := &crashProcess{cmd: exec.Command(bin, "serve", "-config", file), logs: &bytes.Buffer{}}
	listening := &watchWriter{word: "listening on ", seen: make(chan struct{})}
	p.cmd.Stdout = listening
	p.cmd.Stderr = p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() })
	select {
	case <-listening.seen:
	case <-time.After(30 * time.Second):
		p.cmd.Process.Signal(syscall.SIGQUIT) // the Go runtime prints every goroutine's stack
		p.cmd.Wait()
		t.Fatalf("the server did not start within 30 s; logs:\n%s", p.logs)
	}
	return p
}

// stop ends the process as an init system would, with SIGTERM.
func (p *crashProcess) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v; logs:\n%s", err, p.logs)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("did not stop within 30 s of SIGTERM")
	}
}

// watchWriter takes a process's output and closes seen once a line
// contains word.
type watchWriter struct {
	mu   sync.Mutex
	word string
	text []byte
	done bool
	seen chan struct{}
}

func (w *watchWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return len(b), nil
	}
	w.text = append(w.text, b...)
	if bytes.Contains(w.text, []byte(w.word)) {
		w.done, w.text = true, nil
		close(w.seen)
	}
	return len(b), nil
}

// crashInboxes is the server of the 1,000 followers: /inbox/N is the
// inbox of follower N. It records the ids of the Creates each inbox
// receives and answers 202 after crashInboxDelay.
type crashInboxes struct {
	mu       sync.Mutex
	received map[int]map[string]int // inbox → object id → times received
	refused  []string
}

func newCrashInboxes() *crashInboxes {
	return &crashInboxes{received: map[int]map[string]int{}}
}

func (s *crashInboxes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/inbox/"))
	body, _ := io.ReadAll(r.Body)
	var activity struct {
		ID     string `json:"id"`
		Type   string `json:"type"`
		Object struct {
			ID string `json:"id"`
		} `json:"object"`
	}
	switch {
	case err != nil || n < 0 || n >= crashFollowers:
		s.refuse(w, r, "no such inbox")
		return
	case r.Method != http.MethodPost:
		s.refuse(w, r, "not a POST")
		return
	case !strings.HasPrefix(r.Header.Get("Content-Type"), "application/activity+json"):
		s.refuse(w, r, "content type "+r.Header.Get("Content-Type"))
		return
	case r.Header.Get("Signature") == "":
		s.refuse(w, r, "not signed")
		return
	case json.Unmarshal(body, &activity) != nil || activity.ID == "":
		s.refuse(w, r, "not an activity")
		return
	}
	if activity.Type == "Create" {
		s.mu.Lock()
		if s.received[n] == nil {
			s.received[n] = map[string]int{}
		}
		s.received[n][activity.Object.ID]++
		s.mu.Unlock()
	}
	time.Sleep(crashInboxDelay)
	w.WriteHeader(http.StatusAccepted)
}

func (s *crashInboxes) refuse(w http.ResponseWriter, r *http.Request, reason string) {
	s.mu.Lock()
	s.refused = append(s.refused, r.Method+" "+r.URL.Path+": "+reason)
	s.mu.Unlock()
	http.Error(w, reason, http.StatusBadRequest)
}

// reached is how many inboxes received a Create of the object.
func (s *crashInboxes) reached(objectID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, objects := range s.received {
		if objects[objectID] > 0 {
			n++
		}
	}
	return n
}

// creates is how many Creates of the object arrived in all.
func (s *crashInboxes) creates(objectID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, objects := range s.received {
		n += objects[objectID]
	}
	return n
}

func (s *crashInboxes) problems() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.refused...)
}
