package storage

import (
	"context"
	"testing"
	"time"
)

// A panic inside a transaction rolls it back and leaves the writer
// connection free for the next write.
func TestPanicInTransactionRollsBack(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Errorf("recovered %v, want the panic", p)
			}
		}()
		db.write(ctx, func(tx *Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO tombstones (uri, deleted_at) VALUES ('https://r.example/x', 0)`); err != nil {
				t.Fatal(err)
			}
			panic("boom")
		})
	}()
	waiting, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	err := db.write(waiting, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO tombstones (uri, deleted_at) VALUES ('https://r.example/y', 0)`)
		return err
	})
	if err != nil {
		t.Fatalf("a write after the panic: %v", err)
	}
	if gone, _ := db.IsDeleted(ctx, "https://r.example/x"); gone {
		t.Error("the write of the transaction that panicked was kept")
	}
}
