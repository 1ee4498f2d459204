package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/federation"
	"github.com/tidings-social/tidings/storage"
)

// configOf writes a config file for the running instance's database, as
// its operator would use with the admin commands.
func configOf(t *testing.T, inst *instance) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "tidings.toml")
	doc := fmt.Sprintf("[server]\ndomain = %q\n[storage]\npath = %q\n", inst.Config.Server.Domain, inst.Config.Storage.Path)
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// deliverFollow posts to the inbox of to a Follow of its member
// followee by from's member follower, signed with follower's key, and
// returns the answer's status.
func deliverFollow(t *testing.T, from *instance, follower string, to *instance, followee string) int {
	t.Helper()
	ctx := context.Background()
	actor := actorOf(t, from, follower)
	keyID, pemText, err := from.DB.SigningKey(ctx, actor.ID)
	if err != nil {
		t.Fatal(err)
	}
	key, err := storage.ParsePrivateKey(pemText)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams", "type": "Follow",
		"id":    actor.URI + "/follows/" + fmt.Sprint(time.Now().UnixNano()),
		"actor": actor.URI, "object": to.Config.site().ActorURI(followee),
	})
	req, _ := http.NewRequest(http.MethodPost, to.URL+"/inbox", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/activity+json")
	if err := federation.SignRequest(req, body, keyID, key, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// waitForStatus delivers until the answer is want, for at most a few
// refreshes of a running server's domain blocks.
func waitForStatus(t *testing.T, want int, deliver func() int) {
	t.Helper()
	deadline := time.Now().Add(5 * storage.DomainBlocksRefresh)
	got := deliver()
	for got != want && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		got = deliver()
	}
	if got != want {
		t.Fatalf("inbox answers %d, want %d", got, want)
	}
}

// TestAdminBlockDomainWhileServing: the admin commands block, list and
// lift a domain block on the database of a running server, which
// applies them: the blocked server's activities are refused, then
// taken again.
func TestAdminBlockDomainWhileServing(t *testing.T) {
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	member(t, a, "alice")
	member(t, b, "bob")
	file := configOf(t, a)
	bHost := b.Config.Server.Domain

	if got := runCLI("", "admin", "block-domain", bHost, "--reason", "spam waves", "-config", file); got.status != 0 ||
		!strings.Contains(got.stdout, "suspended "+bHost) {
		t.Fatalf("block-domain: %+v", got)
	}
	waitForStatus(t, http.StatusForbidden, func() int { return deliverFollow(t, b, "bob", a, "alice") })
	got := runCLI("", "admin", "domains", "-config", file)
	if got.status != 0 || !strings.Contains(got.stdout, "suspend  "+bHost) || !strings.Contains(got.stdout, "spam waves") {
		t.Errorf("domains: %+v", got)
	}
	log, _ := a.DB.ModerationLog(context.Background(), "", "", 10)
	if len(log) != 1 || log[0].Action != storage.ModBlockDomain || log[0].TargetText != bHost {
		t.Errorf("instance log = %+v, want the block", log)
	}
	if got := runCLI("", "admin", "block-domain", "https://x.example/", "-config", file); got.status == 0 ||
		!strings.Contains(got.stderr, "https://x.example/") {
		t.Errorf("block-domain of a URL: %+v, want a refusal naming it", got)
	}
	if got := runCLI("", "admin", "unblock-domain", bHost, "-config", file); got.status != 0 {
		t.Fatalf("unblock-domain: %+v", got)
	}
	waitForStatus(t, http.StatusAccepted, func() int { return deliverFollow(t, b, "bob", a, "alice") })
	if got := runCLI("", "admin", "domains", "-config", file); !strings.Contains(got.stdout, "no blocked") {
		t.Errorf("domains after unblock: %+v", got)
	}
}
