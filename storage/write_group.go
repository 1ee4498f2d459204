package storage

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"
)

// writeGroup commits the write transactions that are asked for at the
// same time together, in one SQLite transaction. Every commit is synced
// to disk (synchronous=FULL), and the one writer connection commits one
// transaction at a time; writers that each paid a sync of their own
// would be held to the disk's rate of syncs, however little each wrote.
// Sharing the commit pays one sync for the whole group, and each caller
// still returns only once what it wrote is durable.
//
// Each write runs inside a savepoint of its own, so one that fails (or
// panics) is rolled back alone and the others still commit: to each
// caller, its write is still all or nothing, as if it had run alone,
// after the writes grouped before it.
//
// The first caller to find no commit under way leads: it runs and
// commits what is waiting, its own write among it. Callers that arrive
// meanwhile wait; when the commit is done, the leader hands the lead to
// the first of them, which commits all that gathered, and so on.
type writeGroup struct {
	mu      sync.Mutex
	leading bool
	waiting []*groupedWrite
}

// maxGroupedWrites bounds a group, so that a burst of writers is served
// in several commits rather than all waiting on one long transaction.
const maxGroupedWrites = 64

// groupedWrite is one caller's write and, once committed, its outcome.
type groupedWrite struct {
	ctx context.Context
	fn  func(*Tx) error
	// redoable writes need not wait for the disk (see writeRedoable).
	redoable bool

	err      error
	panicked *panicValue // the panic fn raised, to raise again in the caller
	done     chan struct{}
	lead     chan struct{}
}

// panicValue is a panic raised by a write, kept with its stack.
type panicValue struct {
	value any
	stack []byte
}

// run runs w in the next group and returns once the group has
// committed (or failed).
func (g *writeGroup) run(db *DB, w *groupedWrite) {
	w.done, w.lead = make(chan struct{}), make(chan struct{})
	g.mu.Lock()
	g.waiting = append(g.waiting, w)
	if g.leading {
		g.mu.Unlock()
		select {
		case <-w.done:
			return
		case <-w.lead:
		}
		g.mu.Lock()
	}
	// The leader's own write is first in line: a caller that finds no
	// group under way finds none waiting either, and the lead is handed
	// to the first waiting.
	g.leading = true
	n := min(len(g.waiting), maxGroupedWrites)
	batch := g.waiting[:n:n]
	g.waiting = g.waiting[n:]
	g.mu.Unlock()

	began := time.Now()
	db.commitGroup(batch)
	db.writerUse.record(time.Since(began), len(batch))

	g.mu.Lock()
	if len(g.waiting) == 0 {
		g.leading = false
		g.waiting = nil
	} else {
		close(g.waiting[0].lead)
	}
	g.mu.Unlock()
}

// commitGroup runs the writes of a group in one transaction and commits
// it, telling each caller its outcome. A group of one is an ordinary
// transaction, without savepoints.
func (db *DB) commitGroup(batch []*groupedWrite) {
	defer func() {
		for _, w := range batch {
			close(w.done)
		}
	}()
	if err := db.syncCommitsFor(batch); err != nil {
		for _, w := range batch {
			w.err = err
		}
		return
	}
	if len(batch) == 1 {
		w := batch[0]
		w.err, w.panicked = catchWritePanic(func() error {
			return db.run(w.ctx, db.writer, func(tx *Tx) error { return tx.completing(w.ctx, w.fn) })
		})
		return
	}
	// The transaction serves every caller in the group, so it must not
	// end with the leader's request.
	ctx := context.WithoutCancel(batch[0].ctx)
	sqlTx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		for _, w := range batch {
			w.err = fmt.Errorf("begin: %w", err)
		}
		return
	}
	txs := make([]*Tx, len(batch))
	var broken error // a savepoint that could not be set or undone: the group fails
	for i, w := range batch {
		tx := &Tx{Tx: sqlTx, now: db.Now().UTC(), db: db, pool: db.writer}
		txs[i] = tx
		if broken != nil {
			w.err = broken
			continue
		}
		if _, err := tx.execFixed(ctx, `SAVEPOINT grouped_write`); err != nil {
			broken = fmt.Errorf("savepoint: %w", err)
			w.err = broken
			continue
		}
		w.err, w.panicked = catchWritePanic(func() error { return tx.completing(w.ctx, w.fn) })
		if w.err != nil || w.panicked != nil {
			if _, err := tx.execFixed(ctx, `ROLLBACK TO grouped_write`); err != nil {
				broken = fmt.Errorf("roll back to savepoint: %w", err)
			}
		}
		if _, err := tx.execFixed(ctx, `RELEASE grouped_write`); err != nil && broken == nil {
			broken = fmt.Errorf("release savepoint: %w", err)
		}
	}
	if broken != nil {
		sqlTx.Rollback()
		for _, w := range batch {
			if w.err == nil && w.panicked == nil {
				w.err = broken
			}
		}
	} else {
		err := sqlTx.Commit()
		for i, w := range batch {
			if w.err != nil || w.panicked != nil {
				continue
			}
			db.committed(txs[i]) // even after a failed commit: not knowing is a change
			if err != nil {
				w.err = fmt.Errorf("commit: %w", err)
				continue
			}
			for _, on := range txs[i].onCommitted {
				on()
			}
		}
	}
	for i, w := range batch {
		if w.panicked != nil {
			continue // as db.run: nothing more runs after a panic
		}
		for _, after := range txs[i].afterCommit {
			after()
		}
	}
}

// catchWritePanic runs fn and returns its error, or the panic it raised.
func catchWritePanic(fn func() error) (err error, panicked *panicValue) {
	defer func() {
		if p := recover(); p != nil {
			panicked = &panicValue{value: p, stack: debug.Stack()}
		}
	}()
	return fn(), nil
}
