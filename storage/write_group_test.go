package storage

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestWriteGroupEachWriteAllOrNothing groups writes into one commit by
// holding the first one open until the others wait, and checks that a
// write that fails, breaks a constraint or panics is undone alone while
// the rest of its group commits, and that the panic reaches its own
// caller.
func TestWriteGroupEachWriteAllOrNothing(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	if _, err := db.writer.ExecContext(ctx, `CREATE TABLE grouped (k TEXT PRIMARY KEY, n INTEGER)`); err != nil {
		t.Fatal(err)
	}
	insert := func(tx *Tx, k string) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO grouped (k, n) VALUES (?, 1)`, k)
		return err
	}

	release := make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- db.write(ctx, func(tx *Tx) error {
			<-release
			return insert(tx, "first")
		})
	}()
	waitFor(t, func() bool { db.writes.mu.Lock(); defer db.writes.mu.Unlock(); return db.writes.leading })

	const n = 20
	errs := make([]error, n)
	panics := make([]any, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			defer func() { panics[i] = recover() }()
			errs[i] = db.write(ctx, func(tx *Tx) error {
				k := fmt.Sprint("w", i)
				if i == 13 {
					k = "first" // breaks the primary key: only this write fails
				}
				if err := insert(tx, k); err != nil {
					return err
				}
				switch i {
				case 7:
					return Errorf(EInvalid, "refused after writing")
				case 11:
					panic("write eleven panicked")
				}
				_, err := tx.ExecContext(ctx, `UPDATE grouped SET n = n + 1 WHERE k = ?`, k)
				return err
			})
		})
	}
	waitFor(t, func() bool { db.writes.mu.Lock(); defer db.writes.mu.Unlock(); return len(db.writes.waiting) == n })
	close(release)
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatalf("first write: %v", err)
	}

	for i := range n {
		k := fmt.Sprint("w", i)
		var got int
		err := db.reader.QueryRowContext(ctx, `SELECT n FROM grouped WHERE k = ?`, k).Scan(&got)
		switch i {
		case 7, 11, 13:
			if err == nil {
				t.Errorf("write %d failed, yet %s is stored", i, k)
			}
		default:
			if errs[i] != nil || panics[i] != nil {
				t.Errorf("write %d: err %v, panic %v", i, errs[i], panics[i])
			}
			if err != nil || got != 2 {
				t.Errorf("write %d: n = %d (%v), want 2", i, got, err)
			}
		}
	}
	if ErrorCode(errs[7]) != EInvalid {
		t.Errorf("write 7: got %v, want its own error", errs[7])
	}
	if !isUniqueViolation(errs[13]) {
		t.Errorf("write 13: got %v, want the unique violation", errs[13])
	}
	if panics[11] != "write eleven panicked" {
		t.Errorf("write 11: panic %v, want its own", panics[11])
	}
	var first1 int
	if err := db.reader.QueryRowContext(ctx, `SELECT n FROM grouped WHERE k = 'first'`).Scan(&first1); err != nil || first1 != 1 {
		t.Errorf("first: n = %d (%v), want 1", first1, err)
	}
}

// TestWriteGroupOutlivesCancelledCaller checks that a caller whose
// context ends while its write is in a group does not undo the others'.
func TestWriteGroupOutlivesCancelledCaller(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	if _, err := db.writer.ExecContext(ctx, `CREATE TABLE grouped (k TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	done := make(chan error, 2)
	go func() {
		done <- db.write(ctx, func(tx *Tx) error {
			<-release
			_, err := tx.ExecContext(ctx, `INSERT INTO grouped (k) VALUES ('kept')`)
			return err
		})
	}()
	waitFor(t, func() bool { db.writes.mu.Lock(); defer db.writes.mu.Unlock(); return db.writes.leading })
	cancelled, cancel := context.WithCancel(ctx)
	go func() {
		done <- db.write(cancelled, func(tx *Tx) error {
			cancel()
			_, err := tx.ExecContext(cancelled, `INSERT INTO grouped (k) VALUES ('also')`)
			return err
		})
	}()
	waitFor(t, func() bool { db.writes.mu.Lock(); defer db.writes.mu.Unlock(); return len(db.writes.waiting) == 1 })
	close(release)
	for range 2 {
		if err := <-done; err != nil {
			t.Errorf("write: %v", err)
		}
	}
	var n int
	if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM grouped`).Scan(&n); err != nil || n != 2 {
		t.Errorf("rows = %d (%v), want 2", n, err)
	}
}

// waitFor polls cond until it holds, failing the test after a while.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(time.Millisecond)
	}
}
