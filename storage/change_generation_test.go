package storage

import (
	"context"
	"testing"
	"time"
)

func TestChangeGeneration(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	alice := mustCreateMember(t, db, "alice")
	db.SetExternalCheck(time.Hour) // only this process's commits below
	db.ChangeGeneration(ctx)

	steps := []struct {
		name  string
		write func() error
		moves bool
	}{
		{"rename", func() error {
			name := "Alice"
			_, err := db.UpdateProfile(ctx, alice.ID, ProfileUpdate{DisplayName: &name})
			return err
		}, true},
		{"suspend", func() error { _, err := db.SuspendMember(ctx, "", "alice", ""); return err }, true},
		{"store an inbound activity", func() error {
			_, err := db.StoreInbound(ctx, "https://remote.example/a/1", "https://remote.example/u/bob", "Create", "", []byte(`{}`))
			return err
		}, false},
		{"a host answered", func() error { return db.HostAnswered(ctx, "remote.example") }, false},
		{"a refused write", func() error {
			_, err := db.SuspendMember(ctx, "", "nobody", "")
			wantCode(t, err, ENotFound)
			return nil
		}, false},
	}
	for _, s := range steps {
		before := db.ChangeGeneration(ctx)
		if err := s.write(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := db.ChangeGeneration(ctx) != before; got != s.moves {
			t.Errorf("%s: generation moved = %v, want %v", s.name, got, s.moves)
		}
	}
}

// The admin commands commit from another process; a second handle on the
// file stands for it.
func TestChangeGenerationSeesAnotherProcess(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	mustCreateMember(t, db, "alice")
	db.SetExternalCheck(0)
	before := db.ChangeGeneration(ctx)
	if got := db.ChangeGeneration(ctx); got != before {
		t.Fatalf("generation moved from %d to %d with nothing written", before, got)
	}
	other, err := Open(ctx, db.path, testSite)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.SuspendMember(ctx, "", "alice", ""); err != nil {
		t.Fatal(err)
	}
	if got := db.ChangeGeneration(ctx); got == before {
		t.Errorf("generation = %d after another handle committed, want it moved", got)
	}
}
