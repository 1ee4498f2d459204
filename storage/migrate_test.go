package storage

import (
	"context"
	"strings"
	"testing"
)

// TestEveryForeignKeyIsIndexed asks SQLite how it finds the rows that
// refer to a parent row, as it must on every delete of the parent (to
// cascade, set null, or refuse): for every REFERENCES of every table, the
// lookup must be a search in an index, never a scan of the child table.
func TestEveryForeignKeyIsIndexed(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	rows, err := db.reader.QueryContext(ctx, `SELECT m.name, f.id, f."from", f."table" FROM sqlite_master m,
		pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq`)
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		table  string
		id     int
		parent string
	}
	var order []key
	columns := map[key][]string{}
	for rows.Next() {
		var k key
		var column string
		if err := rows.Scan(&k.table, &k.id, &column, &k.parent); err != nil {
			t.Fatal(err)
		}
		if columns[k] == nil {
			order = append(order, k)
		}
		columns[k] = append(columns[k], column)
	}
	rows.Close()
	if len(order) < 20 {
		t.Fatalf("found only %d foreign keys; the query is wrong", len(order))
	}
	for _, k := range order {
		var where []string
		var args []any
		for _, c := range columns[k] {
			where = append(where, c+" = ?")
			args = append(args, "x")
		}
		plan := queryPlan(t, db, "SELECT 1 FROM "+k.table+" WHERE "+strings.Join(where, " AND "), args...)
		if !strings.HasPrefix(plan, "SEARCH ") {
			t.Errorf("%s (%s) REFERENCES %s: deleting from %s reads %s: %s",
				k.table, strings.Join(columns[k], ", "), k.parent, k.parent, k.table, strings.TrimSpace(plan))
		}
	}
}
