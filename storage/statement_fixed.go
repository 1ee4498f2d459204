package storage

import (
	"context"
	"database/sql"
)

// rowScanner is one row of a result, or the error that kept the query
// from running.
type rowScanner interface{ Scan(dest ...any) error }

// failedRow is a query that could not be prepared: its Scan says why.
type failedRow struct{ err error }

func (r failedRow) Scan(...any) error { return r.err }

// queryRowFixed runs a one-row query whose text is fixed in the code on
// a reader connection, outside any transaction: a single SELECT reads one
// snapshot on its own, and BEGIN and COMMIT around it would only cost.
// Only for reads of one statement; reads that must agree with each other
// stay in db.read.
func (db *DB) queryRowFixed(ctx context.Context, query string, args ...any) rowScanner {
	stmt, err := db.statements.prepared(ctx, db.reader, query)
	if err != nil {
		return failedRow{err}
	}
	return stmt.QueryRowContext(ctx, args...)
}

// queryRowFixed runs a one-row query whose text is fixed in the code,
// with its statement compiled once per connection.
func (tx *Tx) queryRowFixed(ctx context.Context, query string, args ...any) rowScanner {
	stmt, err := tx.fixedStmt(ctx, query)
	if err != nil {
		return failedRow{err}
	}
	return stmt.QueryRowContext(tx.statementContext(ctx), args...)
}

// execFixed runs a statement whose text is fixed in the code, compiled
// once per connection.
func (tx *Tx) execFixed(ctx context.Context, query string, args ...any) (sql.Result, error) {
	stmt, err := tx.fixedStmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return stmt.ExecContext(tx.statementContext(ctx), args...)
}
