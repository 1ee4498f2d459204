package storage

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// statements keeps the compiled statements of the hot listing queries,
// one per pool and query text. database/sql then keeps each compiled on
// every connection it has been used on, so a feed page no longer pays
// for compiling its long query every time (a third of its CPU).
//
// Only queries whose text is fixed in the code are cached: the set is as
// small as the code's list of such queries, never grown by input.
type statements struct {
	mu    sync.Mutex
	byKey map[statementKey]*sql.Stmt
}

type statementKey struct {
	pool  *sql.DB
	query string
}

// prepared returns the cached statement of the query on the pool,
// preparing it the first time. The lock is not held while preparing,
// which waits for a connection: a transaction holding one may be asking
// for another statement meanwhile.
func (s *statements) prepared(ctx context.Context, pool *sql.DB, query string) (*sql.Stmt, error) {
	if stmt := s.lookup(pool, query); stmt != nil {
		return stmt, nil
	}
	stmt, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	key := statementKey{pool, query}
	s.mu.Lock()
	defer s.mu.Unlock()
	if kept, ok := s.byKey[key]; ok {
		stmt.Close() // prepared meanwhile by another caller
		return kept, nil
	}
	if s.byKey == nil {
		s.byKey = map[statementKey]*sql.Stmt{}
	}
	s.byKey[key] = stmt
	return stmt, nil
}

// close closes every cached statement.
func (s *statements) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for key, stmt := range s.byKey {
		errs = append(errs, stmt.Close())
		delete(s.byKey, key)
	}
	return errors.Join(errs...)
}

// lookup returns the cached statement of the query on the pool, or nil.
func (s *statements) lookup(pool *sql.DB, query string) *sql.Stmt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byKey[statementKey{pool, query}]
}

// fixedStmt returns the statement of a query whose text is fixed in the
// code, for use in the transaction. The first time, it is prepared on
// the transaction's connection alone, and on the pool once the
// transaction has ended: preparing on the pool takes a connection of its
// own, and the writer's one connection is the transaction's.
func (tx *Tx) fixedStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if stmt := tx.db.statements.lookup(tx.pool, query); stmt != nil {
		return tx.StmtContext(ctx, stmt), nil
	}
	pool, statements := tx.pool, &tx.db.statements
	tx.afterCommit = append(tx.afterCommit, func() {
		// Best effort: if it fails, the next use tries again.
		statements.prepared(context.WithoutCancel(ctx), pool, query)
	})
	return tx.PrepareContext(ctx, query)
}

// queryFixed runs a query whose text is fixed in the code, with its
// statement compiled once per connection.
func (tx *Tx) queryFixed(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	stmt, err := tx.fixedStmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return stmt.QueryContext(tx.statementContext(ctx), args...)
}
