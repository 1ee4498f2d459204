package storage

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

func TestIDPage(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	list := func(p IDPage) []string {
		t.Helper()
		var got []string
		err := db.read(ctx, func(tx *Tx) error {
			cond, args, orderLimit := p.clause("id")
			rows, err := tx.QueryContext(ctx, `WITH t(id) AS (VALUES ('01A'),('01B'),('01C'),('01D'),('01E'),('01F'))
				SELECT id FROM t WHERE `+cond+` `+orderLimit, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					return err
				}
				got = append(got, id)
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		newestFirst(p, got)
		return got
	}
	tests := []struct {
		page IDPage
		want []string
	}{
		{IDPage{}, []string{"01F", "01E", "01D", "01C", "01B", "01A"}},
		{IDPage{Limit: 2}, []string{"01F", "01E"}},
		{IDPage{MaxID: "01D", Limit: 2}, []string{"01C", "01B"}},
		{IDPage{SinceID: "01B", Limit: 2}, []string{"01F", "01E"}},
		{IDPage{MinID: "01B", Limit: 2}, []string{"01D", "01C"}},
		{IDPage{MinID: "01B", MaxID: "01E"}, []string{"01D", "01C"}},
		{IDPage{SinceID: "01A", MinID: "01C", Limit: 1}, []string{"01F"}},
		{IDPage{MaxID: "01A"}, nil},
		{IDPage{Limit: 1000}, []string{"01F", "01E", "01D", "01C", "01B", "01A"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%+v", tt.page), func(t *testing.T) {
			if got := list(tt.page); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestIDPageLimit(t *testing.T) {
	for _, tt := range []struct{ in, want int }{{0, DefaultPageLimit}, {-3, DefaultPageLimit}, {7, 7}, {MaxPageLimit + 1, MaxPageLimit}} {
		if got := (IDPage{Limit: tt.in}).limit(); got != tt.want {
			t.Errorf("IDPage{Limit: %d}.limit() = %d, want %d", tt.in, got, tt.want)
		}
	}
}
