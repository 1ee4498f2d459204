package storage

import (
	"context"
	"fmt"
	"testing"
)

// TestWriterStatementsKeptAndBounded: a write's statement is compiled
// once and kept; texts of several statements are not kept; the kept set
// stays within its bound, and an evicted statement still runs.
func TestWriterStatementsKeptAndBounded(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	exec := func(query string, args ...any) {
		t.Helper()
		if err := db.write(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, query, args...)
			return err
		}); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	exec(`CREATE TABLE kept (k INTEGER PRIMARY KEY, v TEXT)`)
	insert := `INSERT INTO kept (k, v) VALUES (?, ?)`
	exec(insert, 1, "one")
	if db.writerStatements.get(insert) == nil {
		t.Fatal("the statement was not kept after its write")
	}
	several := `INSERT INTO kept (k, v) VALUES (2, 'two'); INSERT INTO kept (k, v) VALUES (3, 'three')`
	exec(several)
	if db.writerStatements.get(several) != nil {
		t.Error("a text of two statements was kept")
	}
	var n int
	if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM kept`).Scan(&n); err != nil || n != 3 {
		t.Errorf("rows = %d (%v), want 3: both statements of the text ran", n, err)
	}

	for i := range writerStatementsSize + 5 {
		exec(fmt.Sprintf(`UPDATE kept SET v = 'v%d' WHERE k = ?`, i), 1)
	}
	if got := db.writerStatements.order.Len(); got != writerStatementsSize || len(db.writerStatements.byKey) != got {
		t.Errorf("kept %d statements (%d in the map), want %d", got, len(db.writerStatements.byKey), writerStatementsSize)
	}
	if db.writerStatements.get(insert) != nil {
		t.Error("the least recently used statement was kept beyond the bound")
	}
	exec(insert, 4, "four") // evicted, it compiles again and runs
	if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM kept`).Scan(&n); err != nil || n != 4 {
		t.Errorf("rows = %d (%v), want 4", n, err)
	}
}
