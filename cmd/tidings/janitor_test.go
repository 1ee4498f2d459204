package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// The janitor prunes by the config's ages, in batches, until nothing is
// left: here sessions, expired a day after the default 30 days.
func TestJanitorPrunesInBatchesByTheConfig(t *testing.T) {
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "t.db"), storage.Site{Scheme: "http", Domain: "localhost:1"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	var members []*storage.Member
	for _, name := range []string{"alice", "bob", "carol"} {
		m, err := db.CreateMember(ctx, storage.MemberCreate{Username: name, Email: name + "@example.org", Password: "a long password"})
		if err != nil {
			t.Fatal(err)
		}
		members = append(members, m)
		if _, err := db.CreateSession(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(storage.SessionLifetime + 24*time.Hour)
	kept, err := db.CreateSession(ctx, members[0].ID) // (removes alice's own expired one)
	if err != nil {
		t.Fatal(err)
	}

	cfg := DefaultConfig()
	log := slog.New(slog.DiscardHandler)
	if got := prune(ctx, db, cfg.retention(), 1, log); got.Sessions != 2 {
		t.Errorf("pruned %d sessions in batches of one, want bob's and carol's: %+v", got.Sessions, got)
	}
	if got := prune(ctx, db, cfg.retention(), 1, log); got.Total() != 0 {
		t.Errorf("a second round pruned %+v, want nothing", got)
	}
	if _, err := db.MemberBySession(ctx, kept); err != nil {
		t.Errorf("the session that has not expired: %v", err)
	}
}
