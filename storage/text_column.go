package storage

import (
	"context"
	"fmt"
)

// textColumn runs a query of one text column and returns its values,
// never nil.
func (tx *Tx) textColumn(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("read a column: %w", err)
		}
		list = append(list, s)
	}
	return list, rows.Err()
}
