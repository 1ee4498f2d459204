package storage

import (
	"container/list"
	"context"
	"database/sql"
	"strings"
	"sync"
)

// writerStatementsSize bounds the statements the writer connection keeps
// compiled: more than the write paths have fixed queries, so that only
// queries built from input (lists of varying length) come and go.
const writerStatementsSize = 512

// writerStatements keeps compiled the statements that write transactions
// run, most recently used first, so that every write path, not only the
// few that ask for it (execFixed), skips compiling its statements: in a
// received post's handling, compiling was a tenth of the CPU. There is
// one writer connection, so each is compiled once. Bounded, since some
// queries are built from input.
type writerStatements struct {
	mu    sync.Mutex
	byKey map[string]*list.Element // of *writerStatement
	order list.List
}

type writerStatement struct {
	query string
	stmt  *sql.Stmt // prepared on the writer pool
}

// get returns the kept statement of the query, or nil.
func (w *writerStatements) get(query string) *sql.Stmt {
	w.mu.Lock()
	defer w.mu.Unlock()
	e, ok := w.byKey[query]
	if !ok {
		return nil
	}
	w.order.MoveToFront(e)
	return e.Value.(*writerStatement).stmt
}

// keep prepares the query on the writer pool and keeps it, dropping the
// least recently used beyond the bound. It must run while no
// transaction holds the writer connection.
func (w *writerStatements) keep(ctx context.Context, pool *sql.DB, query string) {
	if w.get(query) != nil {
		return
	}
	stmt, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return // best effort: the next use compiles it again
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.byKey == nil {
		w.byKey = map[string]*list.Element{}
	}
	w.byKey[query] = w.order.PushFront(&writerStatement{query, stmt})
	if w.order.Len() > writerStatementsSize {
		oldest := w.order.Remove(w.order.Back()).(*writerStatement)
		delete(w.byKey, oldest.query)
		oldest.stmt.Close()
	}
}

// close closes every kept statement.
func (w *writerStatements) close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	for e := w.order.Front(); e != nil; e = e.Next() {
		e.Value.(*writerStatement).stmt.Close()
	}
	w.byKey = nil
	w.order.Init()
	return nil
}

// writerStmt returns the statement of the query for use in the write
// transaction, or nil when it is not to be kept: a text of several
// statements, which a compiled statement would cut to the first. A
// query met for the first time is compiled on the transaction alone and
// kept once the transaction has ended (see fixedStmt for why).
func (tx *Tx) writerStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if strings.Contains(strings.TrimRight(query, "; \t\n"), ";") {
		return nil, nil
	}
	kept := &tx.db.writerStatements
	if stmt := kept.get(query); stmt != nil {
		return tx.Tx.StmtContext(ctx, stmt), nil
	}
	pool := tx.pool
	tx.afterCommit = append(tx.afterCommit, func() {
		kept.keep(context.WithoutCancel(ctx), pool, query)
	})
	return tx.Tx.PrepareContext(ctx, query)
}
