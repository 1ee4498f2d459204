package storage

import (
	"context"
	"testing"
)

// writerSynchronous reads the writer connection's synchronous setting:
// 1 is NORMAL, 2 FULL.
func writerSynchronous(t *testing.T, db *DB) int {
	t.Helper()
	var mode int
	if err := db.writer.QueryRowContext(context.Background(), `PRAGMA synchronous`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	return mode
}

// TestOnlyRedoableWritesSkipTheSync: a commit waits for the disk unless
// every write in it is redoable; a group that mixes them is synced.
func TestOnlyRedoableWritesSkipTheSync(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	nothing := func(*Tx) error { return nil }
	steps := []struct {
		name  string
		write func() error
		want  int
	}{
		{"a write", func() error { return db.write(ctx, nothing) }, 2},
		{"a redoable write", func() error { return db.writeRedoable(ctx, nothing) }, 1},
		{"a redoable write again", func() error { return db.writeRedoable(ctx, nothing) }, 1},
		{"a write after redoable ones", func() error { return db.write(ctx, nothing) }, 2},
		{"a group of both", func() error {
			return db.syncCommitsFor([]*groupedWrite{{ctx: ctx, redoable: true}, {ctx: ctx}})
		}, 2},
		{"a group of redoable writes", func() error {
			return db.syncCommitsFor([]*groupedWrite{{ctx: ctx, redoable: true}, {ctx: ctx, redoable: true}})
		}, 1},
	}
	for _, s := range steps {
		if err := s.write(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := writerSynchronous(t, db); got != s.want {
			t.Errorf("after %s, synchronous = %d, want %d", s.name, got, s.want)
		}
	}
	// The effect of handling an inbound activity is redoable.
	_, held := receiveHeld(t, db, "https://r.example/like/1", "")
	if err := db.write(CompletingInbound(ctx, held), nothing); err != nil {
		t.Fatal(err)
	}
	if got := writerSynchronous(t, db); got != 1 {
		t.Errorf("after completing an inbound activity, synchronous = %d, want 1", got)
	}
}

func TestWriterUseCountsGroupsAndWrites(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	before := db.WriterUse()
	for range 3 {
		if err := db.write(ctx, func(*Tx) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	after := db.WriterUse()
	if got := after.Writes - before.Writes; got != 3 {
		t.Errorf("writes counted %d, want 3", got)
	}
	if got := after.Groups - before.Groups; got < 1 || got > 3 {
		t.Errorf("groups counted %d, want 1 to 3", got)
	}
	if after.Busy <= before.Busy {
		t.Errorf("busy %v then %v; want it to grow", before.Busy, after.Busy)
	}
}
