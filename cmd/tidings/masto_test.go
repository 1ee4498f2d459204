package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// mastoDir holds a Mastodon client built on masto.js, the library Elk
// and Phanpy use (see its client.mjs): the Go test drives it step by
// step against real instances.
const mastoDir = "testdata/masto"

// mastoMissing is why the masto.js test cannot run.
const mastoMissing = "requires node and `npm ci` in cmd/tidings/testdata/masto"

// mastoClient is the running client: steps are written to its stdin and
// answered on its stdout, one JSON line each.
type mastoClient struct {
	t      *testing.T
	stdin  io.WriteCloser
	stdout *bufio.Reader
}

// startMastoClient starts the client against the instance at url. It
// skips the test without node or the client's packages, and fails it
// instead when CI=true. The client stops when the test ends; its
// errors go to the test log if the test failed.
func startMastoClient(t *testing.T, url string) *mastoClient {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(mastoDir, "node_modules", "masto", "package.json"))
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the masto.js test %s (CI=true): %v", mastoMissing, err)
		}
		t.Skip("the masto.js test " + mastoMissing)
	}
	args := []string{"client.mjs", "--url", url}
	if nodeMajor(t, node) < 22 {
		args = append([]string{"--experimental-websocket"}, args...) // WebSocket is global from Node 22
	}
	cmd := exec.Command(node, args...)
	cmd.Dir = mastoDir
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the masto.js client: %v", err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("stderr of the masto.js client:\n%s", stderr.String())
		}
	})
	return &mastoClient{t: t, stdin: stdin, stdout: bufio.NewReader(stdout)}
}

// nodeMajor is node's major version, 0 if it cannot be read.
func nodeMajor(t *testing.T, node string) int {
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		t.Fatalf("node --version: %v", err)
	}
	major, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(string(out)), "v"), ".")
	n, _ := strconv.Atoi(major)
	return n
}

// step runs one step of the client with its parameters and returns its
// answer; a step that failed fails the test.
func (c *mastoClient) step(name string, params map[string]any) map[string]any {
	c.t.Helper()
	req := map[string]any{"step": name}
	for k, v := range params {
		req[k] = v
	}
	line, err := json.Marshal(req)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := c.stdin.Write(append(line, '\n')); err != nil {
		c.t.Fatalf("step %s: %v", name, err)
	}
	answer, err := c.stdout.ReadBytes('\n')
	if err != nil {
		c.t.Fatalf("step %s: the client answered nothing: %v", name, err)
	}
	var out map[string]any
	if err := json.Unmarshal(answer, &out); err != nil {
		c.t.Fatalf("step %s: answer %q: %v", name, answer, err)
	}
	if msg, failed := out["error"]; failed {
		c.t.Fatalf("step %s failed in masto.js: %v", name, msg)
	}
	return out
}

// TestMastoJSClient drives Tidings with masto.js as Elk and Phanpy do:
// the OAuth flow with PKCE, credentials, posting, the home timeline, a
// favourite, a boost, a report, a notification arriving on the streaming API,
// and a follow of a member of a second instance, accepted.
func TestMastoJSClient(t *testing.T) {
	inst := startInstance(t, federating)
	other := startInstance(t, federating)
	alice := member(t, inst, "alice")
	member(t, inst, "bob")
	member(t, other, "carol")
	client := startMastoClient(t, inst.URL)
	ctx := context.Background()

	reg := client.step("register", nil)
	query := url.Values{}
	for _, k := range []string{"client_id", "redirect_uri", "scope", "code_challenge", "code_challenge_method"} {
		query.Set(k, reg[k].(string))
	}
	alice.get("/oauth/authorize?" + query.Encode())
	form := url.Values{"decision": {"authorize"}}
	for k := range query {
		form.Set(k, query.Get(k))
	}
	shown := alice.post("/oauth/authorize", form)
	wantStatus(t, shown, http.StatusOK)
	code := oobCode(t, shown.Body)
	me := client.step("token", map[string]any{"code": code})
	if me["acct"] != "alice" || me["token_type"] != "Bearer" {
		t.Errorf("credentials = %v, want alice's with a bearer token", me)
	}

	posted := client.step("post", map[string]any{"text": "Posted from masto.js"})
	if !strings.Contains(posted["content"].(string), "Posted from masto.js") || !containsString(posted["home"], posted["id"]) {
		t.Errorf("post = %v, want it on the home timeline", posted)
	}
	if p := latestPost(t, inst, "alice"); p.ID != posted["id"] {
		t.Errorf("alice's latest post is %s, want %v", p.ID, posted["id"])
	}

	bob := actorOf(t, inst, "bob")
	bobs, err := inst.DB.Publish(ctx, storage.PostCreate{AuthorID: bob.ID, Kind: storage.KindDiscussion,
		Headline: "Bob's news", Text: "Worth a like"})
	if err != nil {
		t.Fatal(err)
	}
	fav := client.step("favourite", map[string]any{"id": bobs.ID})
	if fav["favourited"] != true {
		t.Errorf("favourite = %v, want favourited", fav)
	}
	liked, err := inst.DB.LikedBy(ctx, actorOf(t, inst, "alice").ID, []string{bobs.ID})
	if err != nil || !liked[bobs.ID] {
		t.Errorf("alice's like of bob's post is not stored: %v %v", liked, err)
	}

	boost := client.step("reblog", map[string]any{"id": bobs.ID})
	if boost["reblog"] != bobs.ID || boost["reblogged"] != true || boost["id"] == bobs.ID || boost["home"] != boost["id"] {
		t.Errorf("reblog = %v, want a reblog of %s of its own, first on the home timeline", boost, bobs.ID)
	}
	if boosted, err := inst.DB.BoostedBy(ctx, actorOf(t, inst, "alice").ID, []string{bobs.ID}); err != nil || !boosted[bobs.ID] {
		t.Errorf("alice's boost of bob's post is not stored: %v %v", boosted, err)
	}

	report := client.step("report", map[string]any{"account_id": bob.ID, "status_id": bobs.ID})
	if id, _ := report["id"].(string); id == "" {
		t.Errorf("report = %v, want one filed", report)
	}

	opened := client.step("stream", nil)
	if opened["streaming"] != "ws://"+strings.TrimPrefix(inst.URL, "http://") {
		t.Errorf("streaming at %v, want the instance's own address", opened["streaming"])
	}
	// The stream is subscribed once a post of alice's arrives on it: she
	// posts until one does (her posts are in her home timeline).
	aliceID := actorOf(t, inst, "alice").ID
	for try := 0; ; try++ {
		p, err := inst.DB.Publish(ctx, storage.PostCreate{AuthorID: aliceID, Kind: storage.KindDiscussion,
			Headline: "Is the stream open? " + strconv.Itoa(try), Text: "Testing"})
		if err != nil {
			t.Fatal(err)
		}
		update := client.step("update", map[string]any{"id": p.ID})
		if update["id"] == p.ID {
			if !containsString(update["stream"], "user") {
				t.Errorf("update = %v, want it on the user stream", update)
			}
			break
		}
		if try == 30 {
			t.Fatal("none of alice's posts came on her user stream")
		}
	}
	if err := inst.DB.LikePost(ctx, bob.ID, posted["id"].(string)); err != nil {
		t.Fatal(err)
	}
	n := client.step("notification", nil)
	if n["type"] != "favourite" || n["account"] != "bob" || n["status"] != posted["id"] {
		t.Errorf("notification = %v, want bob's favourite of %v", n, posted["id"])
	}

	handle := "carol@" + strings.TrimPrefix(other.URL, "http://")
	followed := client.step("follow", map[string]any{"handle": handle})
	if followed["following"] != true || followed["acct"] != handle {
		t.Errorf("follow = %v, want %s followed and accepted", followed, handle)
	}
	if n := followersOf(t, other, "carol"); n != 1 {
		t.Errorf("carol has %d followers on her instance, want 1", n)
	}
}

// oobCode reads the authorization code the out-of-band page shows.
func oobCode(t *testing.T, body string) string {
	t.Helper()
	_, after, _ := strings.Cut(body, `id="oauth-code" value="`)
	code, _, _ := strings.Cut(after, `"`)
	if code == "" {
		t.Fatalf("no code on the page:\n%s", body)
	}
	return code
}

// containsString reports whether list, decoded from JSON, holds s.
func containsString(list, s any) bool {
	items, _ := list.([]any)
	for _, item := range items {
		if item == s {
			return true
		}
	}
	return false
}
