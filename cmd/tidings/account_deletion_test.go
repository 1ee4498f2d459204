package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// A wrong password deletes nothing: the form says so with a 4xx.
func TestAccountDeletionWrongPassword(t *testing.T) {
	a := startInstance(t, nil)
	alice := member(t, a, "alice")
	alice.get("/settings/delete")
	p := alice.post("/settings/delete", url.Values{"password": {"not my password"}})
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, "password is not right")
	if d, err := a.DB.AccountDeletionOf(context.Background(), actorOf(t, a, "alice").ID); err != nil || d != nil {
		t.Errorf("deletion after a wrong password = %+v, %v; want none", d, err)
	}
	p = alice.post("/settings/delete", url.Values{"password": {"a long password"}, "csrf": {"forged"}})
	if p.Status < 400 || p.Status > 499 {
		t.Errorf("forged form: status %d, want 4xx", p.Status)
	}
}

// The story of a deletion: alice on A, followed by bob on B, asks for
// it, is shown the date and cannot post; cancels; asks again; after the
// grace period the janitor deletes her account. B gets the Delete of her
// actor and drops her posts and bob's follow; her address answers 410,
// and her name cannot be taken again.
func TestAccountDeletionAcrossInstances(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	alice := member(t, a, "alice")
	bob := member(t, b, "bob")
	aliceHandle := "@alice@" + a.Config.Server.Domain
	followRemote(t, bob, aliceHandle)
	waitFor(t, "bob following alice", 10*time.Second, func() bool { return followersOf(t, a, "alice") == 1 })
	alice.get("/")
	wantStatus(t, alice.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"The bridge reopens"},
		"text": {"At noon."}, "action": {"publish"}}), http.StatusSeeOther)
	waitFor(t, "alice's post on B", 10*time.Second, func() bool {
		return strings.Contains(bob.get("/").Body, "The bridge reopens")
	})
	aliceOnB := remoteActor(t, b, aliceHandle)
	aliceID := actorOf(t, a, "alice").ID

	// Asked for: the date, the banner, no posting.
	alice.get("/settings/delete")
	p := alice.post("/settings/delete", url.Values{"password": {"a long password"}})
	wantStatus(t, p, http.StatusSeeOther)
	wantBody(t, alice.get("/settings/delete"), "Your account will be deleted on", "Cancel deletion")
	wantBody(t, alice.get("/"), "Your account will be deleted on", "Cancel deletion")
	p = alice.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"One more"}, "text": {"x"}, "action": {"publish"}})
	if p.Status != http.StatusForbidden {
		t.Errorf("posting while leaving: status %d, want 403", p.Status)
	}
	// The admins see it.
	admin := newVisitor(t, a)
	if _, err := a.DB.CreateMember(ctx, storage.MemberCreate{Username: "root_admin", Email: "root@example.org",
		Password: "a long password", IsAdmin: true}); err != nil {
		t.Fatal(err)
	}
	admin.signIn("root_admin", "a long password")
	wantBody(t, admin.get("/admin/members"), "Accounts to be deleted", `id="deleting-alice"`)

	// Cancelled, and asked for again.
	wantStatus(t, alice.post("/settings/delete/cancel", nil), http.StatusSeeOther)
	if d, _ := a.DB.AccountDeletionOf(ctx, aliceID); d != nil {
		t.Fatalf("deletion after cancel = %+v", d)
	}
	alice.get("/settings/delete")
	wantStatus(t, alice.post("/settings/delete", url.Values{"password": {"a long password"}}), http.StatusSeeOther)

	// Within the grace period the janitor deletes nothing; after it, the
	// account. The janitor runs here on a second handle of the same
	// database with its clock eight days on, as an admin command would.
	later, err := storage.Open(ctx, a.Config.Storage.Path, storage.Site{Scheme: a.Config.Server.Scheme, Domain: a.Config.Server.Domain})
	if err != nil {
		t.Fatal(err)
	}
	defer later.Close()
	log := slog.New(slog.DiscardHandler)
	deleteAccounts(ctx, a.DB, log)
	if _, err := a.DB.MemberByUsername(ctx, "alice"); err != nil {
		t.Fatalf("alice deleted within the grace period: %v", err)
	}
	later.Now = func() time.Time { return time.Now().Add(8 * 24 * time.Hour) }
	deleteAccounts(ctx, later, log)
	if _, err := a.DB.MemberByUsername(ctx, "alice"); storage.ErrorCode(err) != storage.ENotFound {
		t.Fatalf("alice after the janitor: %v, want not found", err)
	}

	waitFor(t, "alice gone from B", 10*time.Second, func() bool {
		_, err := b.DB.ActorByHandle(ctx, "alice", a.Config.Server.Domain)
		return storage.ErrorCode(err) == storage.ENotFound
	})
	if f, err := b.DB.FollowBetween(ctx, actorOf(t, b, "bob").ID, aliceOnB.ID); err != nil || f != nil {
		t.Errorf("bob's follow of alice on B = %+v, %v; want none", f, err)
	}
	if strings.Contains(bob.get("/").Body, "The bridge reopens") {
		t.Errorf("alice's post still in bob's feed")
	}

	// Her actor answers 410 with a Tombstone.
	req, _ := http.NewRequest(http.MethodGet, a.URL+"/users/alice", nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var doc struct{ ID, Type string }
	if err := json.Unmarshal(body, &doc); err != nil || resp.StatusCode != http.StatusGone || doc.Type != "Tombstone" ||
		doc.ID != a.Config.Server.Scheme+"://"+a.Config.Server.Domain+"/users/alice" {
		t.Errorf("actor after deletion: %d %s", resp.StatusCode, body)
	}

	// Once the Delete is delivered, the actor and its key go too.
	waitFor(t, "the Delete delivered and the actor forgotten", 10*time.Second, func() bool {
		deleteAccounts(ctx, later, log)
		_, err := a.DB.ActorByID(ctx, aliceID)
		return storage.ErrorCode(err) == storage.ENotFound
	})

	// Nobody can take her name.
	p = newVisitor(t, a).signUp("alice", "a long password", url.Values{"email": {"other@example.org"}})
	if p.Status == http.StatusSeeOther {
		t.Errorf("signing up as alice again succeeded")
	}
}
