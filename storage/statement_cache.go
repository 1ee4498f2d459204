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
// preparing it the first time.
func (s *statements) prepared(ctx context.Context, pool *sql.DB, query string) (*sql.Stmt, error) {
	key := statementKey{pool, query}
	s.mu.Lock()
	defer s.mu.Unlock()
	if stmt, ok := s.byKey[key]; ok {
		return stmt, nil
	}
	stmt, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
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

// queryFixed runs a query whose text is fixed in the code, with its
// statement compiled once per connection.
func (tx *Tx) queryFixed(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	stmt, err := tx.db.statements.prepared(ctx, tx.pool, query)
	if err != nil {
		return nil, err
	}
	return tx.StmtContext(ctx, stmt).QueryContext(ctx, args...)
}

// queryRowFixed runs a one-row query whose text is fixed in the code on
// a reader connection, outside any transaction: a single SELECT reads one
// snapshot on its own, and BEGIN and COMMIT around it would only cost.
func (db *DB) queryRowFixed(ctx context.Context, query string, args ...any) (*sql.Row, error) {
	stmt, err := db.statements.prepared(ctx, db.reader, query)
	if err != nil {
		return nil, err
	}
	return stmt.QueryRowContext(ctx, args...), nil
}
