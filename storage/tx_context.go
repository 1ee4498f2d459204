package storage

import (
	"context"
	"database/sql"
)

// A statement of a write transaction runs to its end even when the
// context of the request that asked for it ends meanwhile. SQLite stops
// a statement by interrupting it, and an interrupted INSERT, UPDATE or
// DELETE rolls back the whole transaction, which a group of writes (see
// writeGroup) shares with other callers; what follows would then run
// outside any transaction. A write's statements are short, so letting
// them finish costs little. Reads stop when their context ends.

// statementContext is the context a statement of tx runs under.
func (tx *Tx) statementContext(ctx context.Context) context.Context {
	if tx.pool == tx.db.writer {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// ExecContext runs a statement in the transaction; a write's is kept
// compiled (see writerStatements).
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx = tx.statementContext(ctx)
	if stmt, err := tx.keptStmt(ctx, query); stmt != nil || err != nil {
		if err != nil {
			return nil, err
		}
		return stmt.ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}

// QueryContext runs a query in the transaction; a write's is kept
// compiled.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx = tx.statementContext(ctx)
	if stmt, err := tx.keptStmt(ctx, query); stmt != nil || err != nil {
		if err != nil {
			return nil, err
		}
		return stmt.QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a query of one row in the transaction; a write's
// is kept compiled.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) rowScanner {
	ctx = tx.statementContext(ctx)
	if stmt, err := tx.keptStmt(ctx, query); stmt != nil || err != nil {
		if err != nil {
			return failedRow{err}
		}
		return stmt.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// keptStmt is writerStmt for a write transaction, and nil for a read.
func (tx *Tx) keptStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if tx.pool != tx.db.writer {
		return nil, nil
	}
	return tx.writerStmt(ctx, query)
}

// PrepareContext compiles a statement for use in the transaction.
func (tx *Tx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return tx.Tx.PrepareContext(tx.statementContext(ctx), query)
}

// StmtContext returns the transaction's use of a compiled statement.
func (tx *Tx) StmtContext(ctx context.Context, stmt *sql.Stmt) *sql.Stmt {
	return tx.Tx.StmtContext(tx.statementContext(ctx), stmt)
}
