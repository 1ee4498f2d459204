package storage

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
)

// The delivery queue benchmark: claiming work from a large queue, 200,000
// due deliveries to 1,000 servers plus 100,000 to one more. It runs only
// with -bench:
//
//	go test ./storage -run '^$' -bench ClaimDeliveries -benchtime=200x
//
// The data set is built once per test process, in about a minute.

// claimShape is the benchmark's queue.
const (
	claimEvents       = 200   // outbox events, each delivered to every host
	claimHosts        = 1_000 // servers with one shared inbox each
	claimBigInboxes   = 500   // inboxes on the one big server, per event
	claimActivitySize = 1_500 // bytes of each event's activity
)

// claimNow is the time the benchmark claims at: every delivery is due,
// the oldest two hours before.
var claimNow = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// claimBench is the benchmark's data set, built once per test process.
var claimBench struct {
	once sync.Once
	db   *DB
	due  map[string]int64 // each delivery's next_attempt_at, to put back after a claim
	big  string           // the host with claimBigInboxes inboxes
	err  error
}

// BenchmarkClaimDeliveries times one ClaimDeliveries as the delivery
// loop makes it:
//
//   - first: with nothing held yet, room for 256, at most 4 a server;
//   - steady: room for a batch of 64, at most 4 a server, skipping 64
//     servers that have enough in hand already, the big one among them;
//   - idle: as first, three hours earlier, when none is due yet: what
//     the loop's polls cost while every delivery waits for a retry.
//
// After each claim, outside the timer, the claimed deliveries are put
// back as they were, so every operation sees the same queue.
func BenchmarkClaimDeliveries(b *testing.B) {
	db := openClaimBench(b)
	skip := []string{claimBench.big}
	for i := range 63 {
		skip = append(skip, claimHost(i*7))
	}
	b.Run("first", func(b *testing.B) { benchClaims(b, db, 256, nil) })
	b.Run("steady", func(b *testing.B) { benchClaims(b, db, 64, skip) })
	b.Run("idle", func(b *testing.B) {
		db.Now = func() time.Time { return claimNow.Add(-3 * time.Hour) }
		defer func() { db.Now = func() time.Time { return claimNow } }()
		benchClaims(b, db, 256, nil)
	})
}

func benchClaims(b *testing.B, db *DB, limit int, skip []string) {
	ctx := context.Background()
	claimed := 0
	var cpu time.Duration
	b.ResetTimer()
	for range b.N {
		start := cpuTime()
		list, err := db.ClaimDeliveries(ctx, limit, 4, 5*time.Minute, skip...)
		cpu += cpuTime() - start
		if err != nil {
			b.Fatal(err)
		}
		claimed += len(list)
		b.StopTimer()
		if err := unclaim(ctx, db, list); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-us/op")
	b.ReportMetric(float64(claimed)/float64(b.N), "claimed/op")
}

// unclaim puts claimed deliveries back as they were before the claim.
func unclaim(ctx context.Context, db *DB, list []*Delivery) error {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, d := range list {
		if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET attempts = 0, claimed_at = NULL, next_attempt_at = ? WHERE id = ?`,
			claimBench.due[d.ID], d.ID); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// claimHost names the i-th of the claimHosts servers.
func claimHost(i int) string { return fmt.Sprintf("server%d.example", i) }

// openClaimBench builds the queue in a temporary file, once per process.
func openClaimBench(b *testing.B) *DB {
	b.Helper()
	claimBench.once.Do(func() {
		start := time.Now()
		claimBench.db, claimBench.err = buildClaimBench(context.Background(), filepath.Join(b.TempDir(), "claim.db"))
		b.Logf("built the delivery queue in %v", time.Since(start).Round(time.Second))
	})
	if claimBench.err != nil {
		b.Fatalf("delivery queue data set: %v", claimBench.err)
	}
	return claimBench.db
}

// buildClaimBench fills a new database with the queue: each event has a
// delivery to every server's shared inbox and to claimBigInboxes inboxes
// of the big one, due at a random time in the hour before claimNow's last
// hour, in the order they were made.
func buildClaimBench(ctx context.Context, path string) (*DB, error) {
	db, err := Open(ctx, path, testSite)
	if err != nil {
		return nil, err
	}
	db.Now = func() time.Time { return claimNow }
	alice, err := db.CreateMember(ctx, MemberCreate{Username: "alice", Email: "alice@example.org", Password: "correct horse"})
	if err != nil {
		return nil, err
	}
	rnd := rand.New(rand.NewSource(9))
	entropy := ulid.Monotonic(rnd, 0)
	made := claimNow.Add(-2 * time.Hour)
	newID := func() string {
		made = made.Add(time.Millisecond)
		return ulid.MustNew(ulid.Timestamp(made), entropy).String()
	}
	activity := make([]byte, claimActivitySize)
	claimBench.big = "big.example"
	claimBench.due = map[string]int64{}
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	insert, err := tx.PrepareContext(ctx, `INSERT INTO deliveries (id, outbox_id, inbox, host, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	for e := range claimEvents {
		event := newID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, kind, subject_id, actor_id, payload, created_at, processed_at, activity)
			VALUES (?, 'create_post', ?, ?, '{}', ?, ?, ?)`, event, event, alice.ID, millis(made), millis(made), activity); err != nil {
			return nil, err
		}
		add := func(inbox, host string) error {
			id := newID()
			due := millis(made) + rnd.Int63n(int64(time.Hour/time.Millisecond))
			claimBench.due[id] = due
			_, err := insert.ExecContext(ctx, id, event, inbox, host, due, millis(made))
			return err
		}
		for h := range claimHosts {
			if err := add("https://"+claimHost(h)+"/inbox", claimHost(h)); err != nil {
				return nil, fmt.Errorf("event %d: %w", e, err)
			}
		}
		for i := range claimBigInboxes {
			if err := add(fmt.Sprintf("https://%s/users/u%d/inbox", claimBench.big, i), claimBench.big); err != nil {
				return nil, fmt.Errorf("event %d: %w", e, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	var due int
	if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM deliveries WHERE next_attempt_at <= ?`, millis(claimNow)).Scan(&due); err != nil {
		return nil, err
	}
	if want := claimEvents * (claimHosts + claimBigInboxes); due != want {
		return nil, fmt.Errorf("%d deliveries due, want %d", due, want)
	}
	return db, nil
}
