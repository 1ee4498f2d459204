package storage

import (
	"context"
	"path/filepath"
	"testing"
)

// BenchmarkOAuthGrantByToken measures the client API's hot path beside a
// page's session read, to judge whether the grant needs a cache.
func BenchmarkOAuthGrantByToken(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "tidings.db"), testSite)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	m, err := db.CreateMember(ctx, MemberCreate{Username: "alice", Email: "alice@example.org", Password: "correct horse"})
	if err != nil {
		b.Fatal(err)
	}
	app, err := db.CreateOAuthApp(ctx, OAuthAppCreate{Name: "Reader", RedirectURIs: []string{OutOfBandRedirect}, Scopes: "read write"})
	if err != nil {
		b.Fatal(err)
	}
	for range 1000 { // more tokens, so the index has depth
		if _, err := db.IssueMemberToken(ctx, app.ID, m.ID, "read"); err != nil {
			b.Fatal(err)
		}
	}
	token, err := db.IssueMemberToken(ctx, app.ID, m.ID, "read")
	if err != nil {
		b.Fatal(err)
	}
	session, err := db.CreateSession(ctx, m.ID)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("grant", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.OAuthGrantByToken(ctx, token); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("session", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.MemberBySession(ctx, session); err != nil {
				b.Fatal(err)
			}
		}
	})
}
