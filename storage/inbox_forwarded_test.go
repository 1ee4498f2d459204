package storage

import (
	"context"
	"testing"
	"time"
)

// A forwarded activity keeps who forwarded it, for processing to know
// not to trust what it embeds; an ordinary one names nobody, and a
// "forwarder" that is the actor itself is no forwarder.
func TestStoreForwardedInbound(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	const carol, dave = "https://b.example/users/carol", "https://c.example/users/dave"
	if _, err := db.StoreForwardedInbound(ctx, "https://b.example/creates/1", carol, dave, "Create", "", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.StoreInbound(ctx, "https://b.example/likes/1", carol, "Like", "", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	_, err := db.StoreForwardedInbound(ctx, "https://b.example/creates/2", carol, carol, "Create", "", []byte(`{}`))
	wantCode(t, err, EInvalid)
	claimed, err := db.ClaimInbound(ctx, 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, in := range claimed {
		got[in.Type] = in.ForwardedBy
	}
	if len(claimed) != 2 || got["Create"] != dave || got["Like"] != "" {
		t.Errorf("claimed %d, forwarded by %v; want 2, the Create by %s and the Like by nobody", len(claimed), got, dave)
	}
	// Deduplicated on the activity id like any other.
	if stored, err := db.StoreInbound(ctx, "https://b.example/creates/1", carol, "Create", "", []byte(`{}`)); err != nil || stored {
		t.Errorf("the same activity again from its actor: stored %v, %v; want not stored", stored, err)
	}
}
