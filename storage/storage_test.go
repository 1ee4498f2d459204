package storage

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

// testSite is the address test databases are made for.
var testSite = Site{Scheme: "https", Domain: "tidings.test"}

// testClock is a clock that only moves when told to.
type testClock struct{ now time.Time }

func (c *testClock) Now() time.Time          { return c.now }
func (c *testClock) Advance(d time.Duration) { c.now = c.now.Add(d) }

// openTestDB opens a fresh database in a temporary directory with a
// clock that stands still.
func openTestDB(t *testing.T) (*DB, *testClock) {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "tidings.db"), testSite)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	clock := &testClock{now: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}
	db.Now = clock.Now
	return db, clock
}

// mustCreateMember creates an active member with a known password.
func mustCreateMember(t *testing.T, db *DB, username string) *Member {
	t.Helper()
	m, err := db.CreateMember(context.Background(), MemberCreate{
		Username: username, Email: username + "@example.org", Password: "correct horse",
	})
	if err != nil {
		t.Fatalf("create member %s: %v", username, err)
	}
	return m
}

// wantCode fails the test unless err carries the code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func TestOpenTwiceAppliesMigrationsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "tidings.db")
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		db, err := Open(ctx, path, testSite)
		if err != nil {
			t.Fatalf("open #%d: %v", i+1, err)
		}
		var n int
		if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		list, _ := migrations()
		if n != len(list) {
			t.Errorf("open #%d: %d migrations recorded, want %d", i+1, n, len(list))
		}
		db.Close()
	}
}

func TestPragmasOnEveryConnection(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	// Hold several reader connections at once so that each is a new one.
	for i := 0; i < 3; i++ {
		conn, err := db.reader.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var mode string
		var fk, timeout, queryOnly int
		for pragma, dest := range map[string]any{"journal_mode": &mode, "foreign_keys": &fk, "busy_timeout": &timeout, "query_only": &queryOnly} {
			if err := conn.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(dest); err != nil {
				t.Fatalf("PRAGMA %s: %v", pragma, err)
			}
		}
		if mode != "wal" || fk != 1 || timeout != 10000 || queryOnly != 1 {
			t.Errorf("reader connection %d: journal_mode=%s foreign_keys=%d busy_timeout=%d query_only=%d",
				i, mode, fk, timeout, queryOnly)
		}
	}
	var fk int
	if err := db.writer.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("writer foreign_keys = %d, %v", fk, err)
	}
}

func TestInstanceSecretIsStable(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	a, err := db.InstanceSecret(ctx, "csrf", 32)
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.InstanceSecret(ctx, "csrf", 32)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 32 || string(a) != string(b) {
		t.Errorf("secret changed between calls or has length %d", len(a))
	}
	c, _ := db.InstanceSecret(ctx, "other", 32)
	if string(a) == string(c) {
		t.Error("two secrets are equal")
	}
}

func TestIDsSortByTime(t *testing.T) {
	db, clock := openTestDB(t)
	a := mustCreateMember(t, db, "first")
	b := mustCreateMember(t, db, "second")
	clock.Advance(time.Millisecond)
	c := mustCreateMember(t, db, "third")
	if !(a.ID < b.ID && b.ID < c.ID) {
		t.Errorf("ids out of order: %s %s %s", a.ID, b.ID, c.ID)
	}
}

// A commit on the writer must survive a power cut, not only a crash of
// the process: synchronous=FULL syncs the WAL on every commit. Readers
// write nothing, so NORMAL costs them nothing.
func TestTheWriterSyncsEveryCommit(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	for _, pool := range []struct {
		name string
		conn interface {
			QueryRowContext(context.Context, string, ...any) *sql.Row
		}
		want int
	}{{"writer", db.writer, 2}, {"reader", db.reader, 1}} {
		var level int
		if err := pool.conn.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&level); err != nil {
			t.Fatal(err)
		}
		if level != pool.want {
			t.Errorf("%s: synchronous = %d, want %d", pool.name, level, pool.want)
		}
	}
}
