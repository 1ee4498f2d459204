package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fedifyPeerDir holds the independent ActivityPub peer the federation
// tests talk to: a small Node.js server built on Fedify (see its
// README.md).
const fedifyPeerDir = "testdata/fedify-peer"

// fedifyPeer is one running Fedify peer: its base URL, the id of its
// single actor and that actor's handle (name@127.0.0.1:port).
type fedifyPeer struct {
	URL    string `json:"url"`
	Actor  string `json:"actor"`
	Handle string `json:"handle"`

	cmd    *exec.Cmd
	stderr *lockedBuffer
}

// peerActivity is an activity the peer received in its inbox, as its
// control API reports it. The object's fields are set only when the
// activity embeds its object. HTTPSig is the HTTP signature scheme of
// the delivery: "rfc9421" or "draft-cavage". Raw is the activity in
// compact JSON-LD as Fedify parsed it, Body the JSON as it was posted.
type peerActivity struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Actor      string          `json:"actor"`
	ObjectID   string          `json:"objectId"`
	ObjectType string          `json:"objectType"`
	Name       string          `json:"name"`
	Content    string          `json:"content"`
	Updated    string          `json:"updated"`
	HTTPSig    string          `json:"httpSignature"`
	Recipient  string          `json:"recipient"`
	Raw        json.RawMessage `json:"raw"`
	Body       json.RawMessage `json:"body"`
	ReceivedAt time.Time       `json:"receivedAt"`
}

// peerFollowing is one actor the peer follows, or asked to follow:
// State is "pending", "accepted" or "rejected".
type peerFollowing struct {
	Actor string `json:"actor"`
	State string `json:"state"`
}

// peerRequest is one HTTP request the peer served outside its control
// API, with the HTTP signature scheme it carried ("" for none).
type peerRequest struct {
	Method  string `json:"method"`
	Path    string `json:"path"`
	HTTPSig string `json:"httpSignature"`
	Status  int    `json:"status"`
}

// lockedBuffer collects a child process's output for the test log.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// firstLineWriter hands the first line written to it to ready and
// discards the rest.
type firstLineWriter struct {
	line  []byte
	done  bool
	ready chan<- []byte
}

func (w *firstLineWriter) Write(p []byte) (int, error) {
	if !w.done {
		if i := bytes.IndexByte(p, '\n'); i >= 0 {
			w.line = append(w.line, p[:i]...)
			w.done = true
			w.ready <- w.line
		} else {
			w.line = append(w.line, p...)
		}
	}
	return len(p), nil
}

// findNode returns the path of node for the Fedify peer. Without node,
// or without the peer's packages, it fails the test when CI=true and
// skips it otherwise. It never runs npm.
func findNode(t *testing.T) string {
	t.Helper()
	var missing, fix string
	node, err := exec.LookPath("node")
	if err != nil {
		missing, fix = "Node.js (node is not on the PATH)", "install the Debian packages nodejs and npm, then run npm ci in cmd/tidings/testdata/fedify-peer"
	} else if _, err := os.Stat(filepath.Join(fedifyPeerDir, "node_modules", "@fedify", "fedify")); err != nil {
		missing, fix = "the peer's packages ("+fedifyPeerDir+"/node_modules)", "run npm ci in cmd/tidings/testdata/fedify-peer"
	}
	if missing == "" {
		return node
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("Fedify peer tests are required in CI (CI=true), but %s: not installed; %s", missing, fix)
	}
	t.Skip("Fedify peer tests need Node.js and the peer's packages: not installed; install nodejs and run npm ci in cmd/tidings/testdata/fedify-peer")
	return ""
}

// startFedifyPeer starts a Fedify peer on a free loopback port, with
// args added to its command line (--name NAME, --first-knock
// rfc9421|draft-cavage, --log-level debug; the name defaults to
// "peer"), and waits until it is ready. The peer stops when the test
// ends; its log goes to the test log if the test failed.
func startFedifyPeer(t *testing.T, args ...string) *fedifyPeer {
	t.Helper()
	node := findNode(t)
	argv := append([]string{"peer.mjs", "--port", "0"}, args...)
	if !slices.Contains(args, "--name") {
		argv = append(argv, "--name", "peer")
	}
	ready := make(chan []byte, 1)
	p := &fedifyPeer{stderr: &lockedBuffer{}}
	p.cmd = exec.Command(node, argv...)
	p.cmd.Dir = fedifyPeerDir
	p.cmd.Stdout = &firstLineWriter{ready: ready}
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start Fedify peer: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- p.cmd.Wait() }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("log of Fedify peer %s (node %s):\n%s", p.Handle, strings.Join(argv, " "), p.stderr.String())
		}
	})
	select {
	case line := <-ready:
		if err := json.Unmarshal(line, p); err != nil || p.URL == "" || p.Actor == "" {
			t.Fatalf("Fedify peer's ready line %q: %v", line, err)
		}
	case err := <-exited:
		exited <- err // for the cleanup, which logs the peer's stderr
		t.Fatalf("Fedify peer (node %s) exited before it was ready: %v", strings.Join(argv, " "), err)
	case <-time.After(30 * time.Second):
		t.Fatalf("Fedify peer (node %s) not ready after 30 s", strings.Join(argv, " "))
	}
	return p
}

// control calls the peer's control API: path is the part after
// /_control/ ("follow", "inbox?type=Create") or the whole path. A nil
// body makes a GET, any other a POST of body as JSON.
func (p *fedifyPeer) control(t *testing.T, path string, body any) (status int, resp []byte) {
	t.Helper()
	if !strings.HasPrefix(path, "/_control/") {
		path = "/_control/" + strings.TrimPrefix(path, "/")
	}
	method, reader := http.MethodGet, io.Reader(nil)
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatalf("control %s: %v", path, err)
		}
		method, reader = http.MethodPost, bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, p.URL+path, reader)
	if err != nil {
		t.Fatalf("control %s: %v", path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("control %s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	resp, err = io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("control %s %s: %v", method, path, err)
	}
	return res.StatusCode, resp
}

// controlJSON calls a GET of the control API and decodes its answer
// into v.
func (p *fedifyPeer) controlJSON(t *testing.T, path string, v any) {
	t.Helper()
	status, resp := p.control(t, path, nil)
	if status != http.StatusOK {
		t.Fatalf("control %s: status %d: %s", path, status, resp)
	}
	if err := json.Unmarshal(resp, v); err != nil {
		t.Fatalf("control %s: %v: %s", path, err, resp)
	}
}

// inbox returns the activities the peer received, of type typ
// ("Create", "Follow", ...), or all of them when typ is "".
func (p *fedifyPeer) inbox(t *testing.T, typ string) []peerActivity {
	t.Helper()
	var activities []peerActivity
	p.controlJSON(t, "inbox?type="+url.QueryEscape(typ), &activities)
	return activities
}

// followers returns the actor ids of the peer's followers.
func (p *fedifyPeer) followers(t *testing.T) []string {
	t.Helper()
	var ids []string
	p.controlJSON(t, "followers", &ids)
	return ids
}

// following returns the actors the peer follows or asked to follow.
func (p *fedifyPeer) following(t *testing.T) []peerFollowing {
	t.Helper()
	var f []peerFollowing
	p.controlJSON(t, "following", &f)
	return f
}

// requests returns the HTTP requests the peer served outside its
// control API, oldest first.
func (p *fedifyPeer) requests(t *testing.T) []peerRequest {
	t.Helper()
	var r []peerRequest
	p.controlJSON(t, "requests", &r)
	return r
}

// post makes the peer post a note (a control call that must succeed)
// and returns the note's id.
func (p *fedifyPeer) post(t *testing.T, body map[string]any) string {
	t.Helper()
	status, resp := p.control(t, "post", body)
	if status != http.StatusAccepted {
		t.Fatalf("peer %s post: status %d: %s", p.Handle, status, resp)
	}
	var out struct{ ID string }
	if err := json.Unmarshal(resp, &out); err != nil || out.ID == "" {
		t.Fatalf("peer %s post: %v: %s", p.Handle, err, resp)
	}
	return out.ID
}

// waitFor polls cond every 50 ms until it holds, and fails the test
// with what when it does not within timeout.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// findActivity returns the first activity for which match holds.
func findActivity(activities []peerActivity, match func(peerActivity) bool) (peerActivity, bool) {
	for _, a := range activities {
		if match(a) {
			return a, true
		}
	}
	return peerActivity{}, false
}

// TestFedifyPeerSelfCheck proves the Fedify peer and its harness work
// without Tidings: two peers follow, post, like, update, delete and
// unfollow, once with each HTTP signature scheme tried first.
func TestFedifyPeerSelfCheck(t *testing.T) {
	findNode(t)
	for _, knock := range []string{"rfc9421", "draft-cavage"} {
		t.Run(knock, func(t *testing.T) {
			a := startFedifyPeer(t, "--name", "alice", "--first-knock", knock)
			b := startFedifyPeer(t, "--name", "bob", "--first-knock", knock)
			const wait = 10 * time.Second

			// A follows B by handle: WebFinger, then Follow; B accepts.
			status, resp := a.control(t, "follow", map[string]string{"target": b.Handle})
			if status != http.StatusAccepted {
				t.Fatalf("follow %s: status %d: %s", b.Handle, status, resp)
			}
			waitFor(t, "B's followers to contain A", wait, func() bool {
				return slices.Contains(b.followers(t), a.Actor)
			})
			waitFor(t, "A's follow of B to be accepted", wait, func() bool {
				return slices.Contains(a.following(t), peerFollowing{Actor: b.Actor, State: "accepted"})
			})

			// B posts; A, a follower, receives the Create.
			content := "<p>Hello from bob, signed " + knock + "</p>"
			noteID := b.post(t, map[string]any{"content": content})
			var create peerActivity
			waitFor(t, "A's inbox to have B's Create(Note)", wait, func() bool {
				var ok bool
				create, ok = findActivity(a.inbox(t, "Create"), func(x peerActivity) bool { return x.ObjectID == noteID })
				return ok
			})
			if create.Actor != b.Actor || create.ObjectType != "Note" || create.Content != content {
				t.Errorf("A got Create %+v; want actor %s, a Note with content %q", create, b.Actor, content)
			}

			// Each delivery was signed with the scheme knocked first,
			// and accepted at the first knock.
			follows := b.inbox(t, "Follow")
			if len(follows) != 1 || follows[0].HTTPSig != knock {
				t.Errorf("B's Follow deliveries %+v; want one signed %s", follows, knock)
			}
			if create.HTTPSig != knock {
				t.Errorf("A's Create was signed %q; want %s", create.HTTPSig, knock)
			}
			for _, p := range []*fedifyPeer{a, b} {
				for _, r := range p.requests(t) {
					if r.Method == http.MethodPost && (r.Status != http.StatusAccepted || r.HTTPSig != knock) {
						t.Errorf("%s served %+v; want 202 for a delivery signed %s", p.Handle, r, knock)
					}
				}
			}

			// The note is dereferenceable.
			req, _ := http.NewRequest(http.MethodGet, noteID, nil)
			req.Header.Set("Accept", "application/activity+json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatalf("GET %s: %v", noteID, err)
			}
			var note struct{ ID, Type, Content, AttributedTo string }
			err = json.NewDecoder(res.Body).Decode(&note)
			res.Body.Close()
			if err != nil || res.StatusCode != http.StatusOK || note.ID != noteID || note.Type != "Note" || note.AttributedTo != b.Actor {
				t.Errorf("GET %s: status %d, %+v, %v", noteID, res.StatusCode, note, err)
			}

			// Unsigned deliveries are refused.
			res, err = http.Post(a.Actor+"/inbox", "application/activity+json", strings.NewReader(
				`{"@context":"https://www.w3.org/ns/activitystreams","type":"Create","id":"`+b.URL+`/x","actor":"`+b.Actor+`","object":{"type":"Note","id":"`+b.URL+`/y","content":"forged"}}`))
			if err != nil {
				t.Fatalf("unsigned POST: %v", err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("unsigned POST to A's inbox: status %d; want 401", res.StatusCode)
			}

			// A likes the note; B, its author, receives the Like.
			if status, resp := a.control(t, "like", map[string]string{"object": noteID}); status != http.StatusAccepted {
				t.Fatalf("like: status %d: %s", status, resp)
			}
			waitFor(t, "B's inbox to have A's Like", wait, func() bool {
				_, ok := findActivity(b.inbox(t, "Like"), func(x peerActivity) bool { return x.ObjectID == noteID && x.Actor == a.Actor })
				return ok
			})

			// B mentions A, who also gets it as a follower: one Create.
			mentionID := b.post(t, map[string]any{"content": "<p>@alice hi</p>", "mention": a.Actor})
			waitFor(t, "A's inbox to have the mention", wait, func() bool {
				_, ok := findActivity(a.inbox(t, "Create"), func(x peerActivity) bool { return x.ObjectID == mentionID })
				return ok
			})

			// B renames itself; A receives the Update(Person).
			if status, resp := b.control(t, "update-profile", map[string]string{"name": "Bob Renamed"}); status != http.StatusAccepted {
				t.Fatalf("update-profile: status %d: %s", status, resp)
			}
			waitFor(t, "A's inbox to have B's Update(Person)", wait, func() bool {
				_, ok := findActivity(a.inbox(t, "Update"), func(x peerActivity) bool {
					return x.ObjectID == b.Actor && x.ObjectType == "Person" && x.Name == "Bob Renamed" && x.Updated != ""
				})
				return ok
			})

			// B deletes the note; A receives the Delete of a Tombstone.
			if status, resp := b.control(t, "delete", map[string]string{"object": noteID}); status != http.StatusAccepted {
				t.Fatalf("delete: status %d: %s", status, resp)
			}
			waitFor(t, "A's inbox to have the Delete", wait, func() bool {
				_, ok := findActivity(a.inbox(t, "Delete"), func(x peerActivity) bool { return x.ObjectID == noteID && x.ObjectType == "Tombstone" })
				return ok
			})

			// A unfollows B.
			if status, resp := a.control(t, "unfollow", map[string]string{"target": b.Actor}); status != http.StatusAccepted {
				t.Fatalf("unfollow: status %d: %s", status, resp)
			}
			waitFor(t, "B's followers to lose A", wait, func() bool {
				return !slices.Contains(b.followers(t), a.Actor)
			})
			if len(a.following(t)) != 0 {
				t.Errorf("A still follows %+v after unfollowing", a.following(t))
			}
		})
	}
}
