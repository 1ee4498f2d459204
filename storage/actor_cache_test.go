package storage

import (
	"context"
	"fmt"
	"testing"
)

// cachedByKey returns the actor with the key id, through the cache, and
// whether the cache had it before the call.
func cachedByKey(t *testing.T, db *DB, keyID string) (*Actor, bool) {
	t.Helper()
	_, had := db.actors.get(keyID)
	a, err := db.ActorByKeyID(context.Background(), keyID)
	if err != nil {
		t.Fatalf("actor by key %s: %v", keyID, err)
	}
	return a, had
}

func TestActorByKeyIDIsKeptInMemory(t *testing.T) {
	db, _ := openTestDB(t)
	bob := saveRemote(t, db, "bob", "remote.example")
	first, had := cachedByKey(t, db, bob.KeyID)
	if had {
		t.Fatal("the cache had the actor before anyone asked for it")
	}
	second, had := cachedByKey(t, db, bob.KeyID)
	if !had {
		t.Fatal("the second lookup was not answered from memory")
	}
	if *first != *second || first.URI != bob.URI {
		t.Errorf("got %+v from memory, want %+v", second, first)
	}
	// A caller changing its copy does not change what others get.
	second.PublicKeyPEM = "changed"
	if third, _ := cachedByKey(t, db, bob.KeyID); third.PublicKeyPEM != bob.PublicKeyPEM {
		t.Error("a caller's change to its copy reached the cache")
	}
}

func TestActorCacheForgetsRotatedKey(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	bob := saveRemote(t, db, "bob", "remote.example")
	cachedByKey(t, db, bob.KeyID)
	// The same key id with a new key, as a rotation refetched brings.
	r := RemoteActor{URI: bob.URI, Kind: KindPerson, Username: "bob", Inbox: bob.Inbox,
		KeyID: bob.KeyID, PublicKeyPEM: testPublicKeys()[1]}
	if _, err := db.SaveRemoteActor(ctx, r); err != nil {
		t.Fatal(err)
	}
	if got, _ := cachedByKey(t, db, bob.KeyID); got.PublicKeyPEM != testPublicKeys()[1] {
		t.Error("after the key was rotated, the old key was still given")
	}
	// A new key id: the old one no longer names the actor.
	r.KeyID = bob.URI + "#key-2"
	if _, err := db.SaveRemoteActor(ctx, r); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ActorByKeyID(ctx, bob.KeyID); ErrorCode(err) != ENotFound {
		t.Errorf("the old key id after a new one was stored: %v, want not found", err)
	}
	if got, _ := cachedByKey(t, db, r.KeyID); got.URI != bob.URI {
		t.Errorf("the new key id names %s, want %s", got.URI, bob.URI)
	}
}

func TestActorCacheForgetsUpdatedActor(t *testing.T) {
	db, _ := openTestDB(t)
	bob := saveRemote(t, db, "bob", "remote.example")
	cachedByKey(t, db, bob.KeyID)
	r := RemoteActor{URI: bob.URI, Kind: KindPerson, Username: "bob", DisplayName: "Bob, renamed",
		Inbox: bob.Inbox, SharedInbox: "https://remote.example/new-inbox", KeyID: bob.KeyID, PublicKeyPEM: bob.PublicKeyPEM}
	if _, err := db.SaveRemoteActor(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	got, _ := cachedByKey(t, db, bob.KeyID)
	if got.DisplayName != r.DisplayName || got.SharedInbox != r.SharedInbox {
		t.Errorf("after the update: %q, %q; want %q, %q", got.DisplayName, got.SharedInbox, r.DisplayName, r.SharedInbox)
	}
}

func TestActorCacheForgetsDeletedActor(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	bob := saveRemote(t, db, "bob", "remote.example")
	cachedByKey(t, db, bob.KeyID)
	if err := db.DeleteRemoteActor(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	if a, err := db.ActorByKeyID(ctx, bob.KeyID); ErrorCode(err) != ENotFound {
		t.Errorf("a deleted actor's key: %v, %v; want not found", a, err)
	}
}

func TestActorCacheForgetsOnDomainBlocks(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	bob := saveRemote(t, db, "bob", "remote.example")
	steps := []struct {
		name string
		do   func() error
	}{
		{"block", func() error {
			_, err := db.BlockDomain(ctx, DomainBlockCreate{Host: "remote.example", Level: DomainSuspend})
			return err
		}},
		{"unblock", func() error { return db.UnblockDomain(ctx, ByOperator, "remote.example") }},
		{"config", func() error { return db.ApplyConfigDomains(ctx, []string{"remote.example"}, nil) }},
	}
	for _, step := range steps {
		cachedByKey(t, db, bob.KeyID)
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if _, had := db.actors.get(bob.KeyID); had {
			t.Errorf("after %s the cache still held the server's actor", step.name)
		}
	}
}

func TestActorCacheKeepsNoLocalActors(t *testing.T) {
	db, _ := openTestDB(t)
	alice := mustCreateMember(t, db, "alice")
	a, err := db.ActorByID(context.Background(), alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	cachedByKey(t, db, a.KeyID)
	if _, had := db.actors.get(a.KeyID); had {
		t.Error("a local member's actor was kept in memory")
	}
}

// TestActorCacheDropsFillsFromBeforeAChange: a lookup that read the
// table before a change committed, and comes to keep its answer after
// the cache forgot the actor, does not bring the old copy back.
func TestActorCacheDropsFillsFromBeforeAChange(t *testing.T) {
	var c actorCache
	old := &Actor{ID: "1", URI: "https://remote.example/users/bob", KeyID: "https://remote.example/users/bob#main-key"}
	gen := c.generation()
	c.forget(func(a *Actor) bool { return a.URI == old.URI })
	c.put(gen, old)
	if _, had := c.get(old.KeyID); had {
		t.Error("a copy read before the change was kept")
	}
	c.put(c.generation(), old)
	if _, had := c.get(old.KeyID); !had {
		t.Error("a copy read after the change was not kept")
	}
}

func TestActorCacheIsBounded(t *testing.T) {
	var c actorCache
	for i := range actorCacheSize + 10 {
		uri := fmt.Sprintf("https://remote.example/%d", i)
		c.put(c.generation(), &Actor{ID: fmt.Sprint(i), URI: uri, KeyID: uri + "#key"})
	}
	if got := c.order.Len(); got != actorCacheSize || len(c.byKey) != actorCacheSize || len(c.byURI) != actorCacheSize {
		t.Errorf("got %d entries (%d and %d in the maps), want %d", got, len(c.byKey), len(c.byURI), actorCacheSize)
	}
	if _, had := c.get("https://remote.example/0#key"); had {
		t.Error("the least recently used entry was kept")
	}
	if _, had := c.get(fmt.Sprintf("https://remote.example/%d#key", actorCacheSize+9)); !had {
		t.Error("the newest entry was not kept")
	}
}

// TestActorByURIIsKeptInMemory: the workers' lookup by ActivityPub id is
// answered from memory, and every change to the actor is seen at once.
func TestActorByURIIsKeptInMemory(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	bob := saveRemote(t, db, "bob", "remote.example")
	byURI := func() (*Actor, bool) {
		t.Helper()
		_, had := db.actors.getByURI(bob.URI)
		a, err := db.ActorByURI(ctx, bob.URI)
		if err != nil {
			t.Fatalf("actor by uri: %v", err)
		}
		return a, had
	}
	if _, had := byURI(); had {
		t.Fatal("the cache had the actor before anyone asked for it")
	}
	if a, had := byURI(); !had || a.KeyID != bob.KeyID {
		t.Fatalf("second lookup: from memory %v, key %q; want from memory, %q", had, a.KeyID, bob.KeyID)
	}

	r := RemoteActor{URI: bob.URI, Kind: KindPerson, Username: "bob", DisplayName: "Bob, renamed",
		Inbox: bob.Inbox, KeyID: bob.URI + "#key-2", PublicKeyPEM: testPublicKeys()[1]}
	if _, err := db.SaveRemoteActor(ctx, r); err != nil {
		t.Fatal(err)
	}
	if a, _ := byURI(); a.DisplayName != r.DisplayName || a.KeyID != r.KeyID {
		t.Errorf("after the update: %q, %q; want %q, %q", a.DisplayName, a.KeyID, r.DisplayName, r.KeyID)
	}
	if _, err := db.ActorByKeyID(ctx, bob.KeyID); ErrorCode(err) != ENotFound {
		t.Errorf("the old key id after the update: %v, want not found", err)
	}

	byURI()
	if err := db.write(ctx, func(tx *Tx) error {
		return tx.setActorImage(ctx, bob.URI, "https://remote.example/header.png")
	}); err != nil {
		t.Fatal(err)
	}
	if a, _ := byURI(); a.HeaderURL != "https://remote.example/header.png" {
		t.Errorf("after a new header: %q", a.HeaderURL)
	}

	if err := db.DeleteRemoteActor(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	if a, err := db.ActorByURI(ctx, bob.URI); ErrorCode(err) != ENotFound {
		t.Errorf("a deleted actor by uri: %v, %v; want not found", a, err)
	}
}
