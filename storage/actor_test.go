package storage

import (
	"context"
	"strings"
	"testing"
)

// saveRemote stores a remote person for a test.
func saveRemote(t *testing.T, db *DB, username, host string) *Actor {
	t.Helper()
	uri := "https://" + host + "/users/" + username
	a, err := db.SaveRemoteActor(context.Background(), RemoteActor{
		URI: uri, Kind: KindPerson, Username: username, DisplayName: strings.ToUpper(username),
		Inbox: uri + "/inbox", SharedInbox: "https://" + host + "/inbox",
		KeyID: uri + "#main-key", PublicKeyPEM: testPublicKeys()[0],
	})
	if err != nil {
		t.Fatalf("save remote %s@%s: %v", username, host, err)
	}
	return a
}

func TestMembersAndInstanceHaveActorsWithKeys(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	m := mustCreateMember(t, db, "alice")
	a, err := db.ActorByID(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.URI != "https://tidings.test/users/alice" || !a.Local || a.Kind != KindPerson ||
		a.KeyID != a.URI+"#main-key" || a.SharedInbox != "https://tidings.test/inbox" || a.DisplayName != "alice" {
		t.Errorf("actor = %+v", a)
	}
	keyID, private, err := db.SigningKey(ctx, m.ID)
	if err != nil || keyID != a.KeyID {
		t.Fatalf("signing key = %q, %v", keyID, err)
	}
	key, err := ParsePrivateKey(private)
	if err != nil || key.N.BitLen() != 2048 {
		t.Fatalf("private key: %v", err)
	}
	inst, err := db.InstanceActor(ctx)
	if err != nil || inst.Kind != KindApplication || inst.URI != "https://tidings.test/actor" {
		t.Fatalf("instance actor = %+v, %v", inst, err)
	}
	if byKey, err := db.ActorByKeyID(ctx, a.KeyID); err != nil || byKey.ID != m.ID {
		t.Errorf("by key id: %v, %v", byKey, err)
	}
}

func TestKeysAreKeptAcrossRestarts(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	mustCreateMember(t, db, "bea")
	before, _ := db.InstanceActor(ctx)
	path := db.path
	db.Close()
	again, err := Open(ctx, path, testSite)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	after, _ := again.InstanceActor(ctx)
	if before.PublicKeyPEM != after.PublicKeyPEM {
		t.Error("the instance key changed on restart")
	}
	if _, err := Open(ctx, path, Site{Scheme: "https", Domain: "other.test"}); err == nil ||
		!strings.Contains(err.Error(), `belongs to the instance at "tidings.test"`) {
		t.Errorf("opening with another domain: %v", err)
	}
}

func TestSaveRemoteActor(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	a := saveRemote(t, db, "bob", "social.example")
	if a.Local || a.Host != "social.example" || a.Handle() != "@bob@social.example" || a.DeliveryInbox() != "https://social.example/inbox" {
		t.Errorf("actor = %+v", a)
	}
	// An update keeps the id and changes the fields.
	upd, err := db.SaveRemoteActor(ctx, RemoteActor{
		URI: a.URI, Kind: KindPerson, Username: "bob", DisplayName: "Bob\x00 B.",
		Summary: `<p>Hi <script>alert(1)</script><a href="javascript:x">x</a><a href="https://b.example">b</a></p>`,
		Inbox:   a.Inbox, KeyID: a.KeyID, PublicKeyPEM: testPublicKeys()[1],
	})
	if err != nil {
		t.Fatal(err)
	}
	if upd.ID != a.ID || upd.PublicKeyPEM != testPublicKeys()[1] || upd.DisplayName != "Bob  B." {
		t.Errorf("updated actor = %+v", upd)
	}
	if strings.Contains(upd.Summary, "script") || strings.Contains(upd.Summary, "javascript") ||
		!strings.Contains(upd.Summary, `href="https://b.example"`) {
		t.Errorf("summary not sanitized: %s", upd.Summary)
	}

	for name, bad := range map[string]RemoteActor{
		"local id":    {URI: "https://tidings.test/users/x", Kind: KindPerson, Username: "x", Inbox: "https://tidings.test/i", KeyID: "k", PublicKeyPEM: "p"},
		"no inbox":    {URI: "https://r.example/u/x", Kind: KindPerson, Username: "x", KeyID: "k", PublicKeyPEM: "p"},
		"no key":      {URI: "https://r.example/u/x", Kind: KindPerson, Username: "x", Inbox: "https://r.example/i"},
		"no username": {URI: "https://r.example/u/x", Kind: KindPerson, Inbox: "https://r.example/i", KeyID: "k", PublicKeyPEM: "p"},
		"bad type":    {URI: "https://r.example/u/x", Kind: "Note", Username: "x", Inbox: "https://r.example/i", KeyID: "k", PublicKeyPEM: "p"},
		"bad inbox":   {URI: "https://r.example/u/x", Kind: KindPerson, Username: "x", Inbox: "ftp://r.example/i", KeyID: "k", PublicKeyPEM: "p"},
		"not a URL":   {URI: "urn:x", Kind: KindPerson, Username: "x", Inbox: "https://r.example/i", KeyID: "k", PublicKeyPEM: "p"},
	} {
		if _, err := db.SaveRemoteActor(ctx, bad); err == nil {
			t.Errorf("%s: saved", name)
		}
	}
	if _, err := db.ActorByHandle(ctx, "bob", "SOCIAL.example"); err != nil {
		t.Errorf("by handle: %v", err)
	}
}
