package federation

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// get fetches path as an ActivityPub client, with extra headers.
func (in *inboxTestInstance) get(t *testing.T, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, in.srv.URL+path, nil)
	req.Header.Set("Accept", "application/activity+json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestCachedActorSeesChangesAtOnce(t *testing.T) {
	in := newInboxTestInstance(t)
	ctx := context.Background()
	alice, _ := in.db.MemberByUsername(ctx, "alice")

	resp, first := in.get(t, "/users/alice")
	if resp.StatusCode != http.StatusOK || !strings.Contains(first, `"name":"alice"`) {
		t.Fatalf("got %d %s, want 200 with the name alice", resp.StatusCode, first)
	}
	if _, again := in.get(t, "/users/alice"); again != first {
		t.Fatalf("second answer differs with nothing changed:\n%s\n%s", first, again)
	}
	if in.fed.documents.len() == 0 {
		t.Fatal("got no document kept in memory, want the actor kept")
	}

	name := "Alice of the River"
	if _, err := in.db.UpdateProfile(ctx, alice.ID, storage.ProfileUpdate{DisplayName: &name}); err != nil {
		t.Fatal(err)
	}
	if _, got := in.get(t, "/users/alice"); !strings.Contains(got, `"name":"Alice of the River"`) {
		t.Errorf("after renaming, got %s, want the new name", got)
	}

	if _, err := in.db.SuspendMember(ctx, "", "alice", "spam"); err != nil {
		t.Fatal(err)
	}
	resp, got := in.get(t, "/users/alice")
	if !strings.Contains(got, `"suspended":true`) || strings.Contains(got, "River") {
		t.Errorf("after suspending, got %s, want the bare suspended actor", got)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("suspended actor Cache-Control = %q, want no-cache", cc)
	}
}

func TestCachedWebFingerAndNodeInfoSeeChanges(t *testing.T) {
	in := newInboxTestInstance(t)
	ctx := context.Background()
	resource := "/.well-known/webfinger?resource=acct:carol@" + in.fed.cfg.Site.Domain
	if resp, _ := in.get(t, resource); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("carol before she exists: got %d, want 404", resp.StatusCode)
	}
	_, before := in.get(t, "/nodeinfo/2.1")
	if !strings.Contains(before, `"total":1`) {
		t.Fatalf("nodeinfo: got %s, want one member", before)
	}
	if _, err := in.db.CreateMember(ctx, storage.MemberCreate{
		Username: "carol", Email: "carol@example.org", Password: "a long password",
	}); err != nil {
		t.Fatal(err)
	}
	if resp, body := in.get(t, resource); resp.StatusCode != http.StatusOK || !strings.Contains(body, "/users/carol") {
		t.Errorf("carol after she joined: got %d %s, want her JRD", resp.StatusCode, body)
	}
	if _, after := in.get(t, "/nodeinfo/2.1"); !strings.Contains(after, `"total":2`) {
		t.Errorf("nodeinfo after a member joined: got %s, want two members", after)
	}
}

// The admin commands write from another process: a second handle on the
// same file stands for it.
func TestCachedActorSeesAnotherProcessWrite(t *testing.T) {
	in := newInboxTestInstance(t)
	ctx := context.Background()
	in.db.SetExternalCheck(0) // look every time, so that the test does not wait
	if _, got := in.get(t, "/users/alice"); !strings.Contains(got, `"name":"alice"`) {
		t.Fatalf("got %s, want the name alice", got)
	}
	other, err := storage.Open(ctx, in.path, in.fed.cfg.Site)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	alice, _ := other.MemberByUsername(ctx, "alice")
	name := "Alice Elsewhere"
	if _, err := other.UpdateProfile(ctx, alice.ID, storage.ProfileUpdate{DisplayName: &name}); err != nil {
		t.Fatal(err)
	}
	if _, got := in.get(t, "/users/alice"); !strings.Contains(got, `"name":"Alice Elsewhere"`) {
		t.Errorf("after a write by another process, got %s, want the new name", got)
	}
}

func TestCachedDocumentsAnswerConditionalRequests(t *testing.T) {
	in := newInboxTestInstance(t)
	webfinger := "/.well-known/webfinger?resource=acct:alice@" + in.fed.cfg.Site.Domain
	for _, path := range []string{"/users/alice", "/actor", webfinger, "/.well-known/nodeinfo", "/nodeinfo/2.1"} {
		resp, body := in.get(t, path)
		etag := resp.Header.Get("ETag")
		if resp.StatusCode != http.StatusOK || etag == "" || !strings.HasPrefix(resp.Header.Get("Cache-Control"), "public, max-age=") {
			t.Errorf("%s: got %d ETag %q Cache-Control %q, want 200 with both", path, resp.StatusCode, etag, resp.Header.Get("Cache-Control"))
			continue
		}
		if resp, got := in.get(t, path, "If-None-Match", `"other", W/`+etag); resp.StatusCode != http.StatusNotModified || got != "" {
			t.Errorf("%s with its ETag: got %d %q, want 304 and no body", path, resp.StatusCode, got)
		}
		if resp, got := in.get(t, path, "If-None-Match", `"other"`); resp.StatusCode != http.StatusOK || got != body {
			t.Errorf("%s with another ETag: got %d, want 200 and the document", path, resp.StatusCode)
		}
	}
}

// Under authorized fetch the document is kept, but every signed fetch is
// still checked before it is served.
func TestCachedActorStillChecksSignedFetches(t *testing.T) {
	in := newInboxTestInstance(t)
	in.fed.cfg.AuthorizedFetch = true
	if resp, got := in.get(t, "/users/alice"); resp.StatusCode != http.StatusOK || strings.Contains(got, "summary") {
		t.Fatalf("unsigned: got %d %s, want the minimal actor", resp.StatusCode, got)
	}
	in.fed.cfg.AuthorizedFetch = false
	in.get(t, "/users/alice") // the whole document, now in memory
	in.fed.cfg.AuthorizedFetch = true
	resp, got := in.get(t, "/users/alice", "Signature", `keyId="http://127.0.0.1:1/users/x#main-key",headers="date",signature="AAAA"`)
	if resp.StatusCode != http.StatusUnauthorized || strings.Contains(got, "publicKey") {
		t.Errorf("badly signed fetch of a kept actor: got %d %s, want 401", resp.StatusCode, got)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "private" {
		t.Errorf("refusal Cache-Control = %q, want private", cc)
	}
}

func TestDocumentCacheBounds(t *testing.T) {
	doc := func(i, size int) *cachedDocument {
		return newCachedDocument("k"+strconv.Itoa(i), make([]byte, size), 60, 1)
	}
	now := time.Now()
	tests := []struct {
		name            string
		items, bytes    int
		put, size       int
		wantLen         int
		kept, forgotten string
	}{
		{"entry bound", 3, 1 << 20, 5, 10, 3, "k4", "k1"},
		{"bytes bound", 100, 3 * (10 + 2 + 128), 5, 10, 3, "k4", "k1"},
		{"too large to keep", 100, 100, 1, 1000, 0, "", "k0"},
	}
	for _, tt := range tests {
		c := newDocumentCache(tt.items, tt.bytes)
		for i := range tt.put {
			c.put(doc(i, tt.size))
			c.get("k0", 1, now) // k0 stays the most recently used
		}
		if got := c.len(); got != tt.wantLen {
			t.Errorf("%s: got %d entries, want %d", tt.name, got, tt.wantLen)
		}
		if tt.kept != "" && c.get(tt.kept, 1, now) == nil {
			t.Errorf("%s: got %s forgotten, want it kept", tt.name, tt.kept)
		}
		if c.get(tt.forgotten, 1, now) != nil {
			t.Errorf("%s: got %s kept, want it forgotten", tt.name, tt.forgotten)
		}
	}
	c := newDocumentCache(10, 1<<20)
	c.put(doc(0, 10))
	if c.get("k0", 2, now) != nil || c.len() != 0 {
		t.Error("got an entry of an older generation, want it dropped")
	}
}
