package main

import (
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestDocumentsAfterAdminCommands: a running server keeps actor documents
// and NodeInfo in memory; admin commands, other processes writing the
// same database, suspend a member and add one, and the server's answers
// show it within the bound of docs/decisions.md (a second), not the
// copies it kept. (The suspension also reaches the server through the
// Update its outbox sends; a new member only through the database.)
func TestDocumentsAfterAdminCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped in short mode")
	}
	bin := buildTidings(t)
	file := writeConfig(t, "[server]\nlisten = \"127.0.0.1:0\"\n")
	admin := func(stdin string, args ...string) {
		t.Helper()
		cmd := exec.Command(bin, append(append([]string{"admin"}, args...), "-config", file)...)
		cmd.Stdin = strings.NewReader(stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("admin %v: %v\n%s", args, err, out)
		}
	}
	admin("a long password\n", "create-member", "bob", "--email", "bob@example.org")

	_, addr, _ := startServe(t, bin, file)
	get := func(path string) string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
		req.Header.Set("Accept", "application/activity+json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	// Not a measure of speed: the answer must change, and the generous
	// deadline only keeps a stale server from hanging the test.
	eventually := func(path, want string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for got := get(path); !strings.Contains(got, want); got = get(path) {
			if time.Now().After(deadline) {
				t.Fatalf("after the admin command, %s still got %s, want %s", path, got, want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	actor := func() string { return get("/users/bob") }
	if got := actor(); !strings.Contains(got, `"preferredUsername":"bob"`) || strings.Contains(got, "suspended") {
		t.Fatalf("before: got %s, want bob's actor", got)
	}
	actor() // served from memory now

	admin("", "suspend", "bob", "--reason", "spam")
	eventually("/users/bob", `"suspended":true`)

	if got := get("/nodeinfo/2.1"); !strings.Contains(got, `"total":1`) {
		t.Fatalf("nodeinfo: got %s, want one member", got)
	}
	admin("a long password\n", "create-member", "carol", "--email", "carol@example.org")
	eventually("/nodeinfo/2.1", `"total":2`)
}
