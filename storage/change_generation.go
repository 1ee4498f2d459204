package storage

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// changeGeneration counts the commits that may change what the public
// documents of local actors show (actor documents, WebFinger, NodeInfo),
// so that copies of them kept in memory know when they are out of date.
//
// Every write transaction bumps it after it commits, unless it said it
// changes none of that (Tx.keepsDocuments): only the hot paths of
// federation, which store and process remote activities, say so. A write
// path added later and forgotten thus costs a rebuild, never a stale
// document.
//
// The admin commands write the same database from another process, whose
// commits this counter cannot see. SQLite's data_version, read on the
// writer connection (the only one here that commits), changes exactly
// when another process has committed; it is read at most once every
// ExternalCheckEvery, which bounds how long a document changed from the
// command line can be served stale.
type changeGeneration struct {
	n atomic.Uint64

	mu      sync.Mutex
	checked time.Time
	version int64
	// every, once set, is how often data_version is read; zero reads it
	// each time.
	every    time.Duration
	everySet bool
}

// defaultExternalCheck is how often another process's commits are looked
// for: one small query a second on the writer connection.
const defaultExternalCheck = time.Second

// ChangeGeneration returns a number that moves on every commit that may
// change the documents of local actors, WebFinger or NodeInfo. A copy
// built after reading generation g is current as long as
// ChangeGeneration still returns g. Commits by another process (the
// admin commands) move it within SetExternalCheck's interval (a second
// unless set).
func (db *DB) ChangeGeneration(ctx context.Context) uint64 {
	db.changes.lookOutside(ctx, db)
	return db.changes.n.Load()
}

// SetExternalCheck sets how often ChangeGeneration looks for commits by
// other processes; zero looks every time (tests).
func (db *DB) SetExternalCheck(every time.Duration) {
	db.changes.mu.Lock()
	db.changes.every, db.changes.everySet = every, true
	db.changes.checked = time.Time{}
	db.changes.mu.Unlock()
}

// lookOutside bumps the generation when another process committed since
// the last look. A look that fails bumps it too: not knowing is treated
// as a change.
func (c *changeGeneration) lookOutside(ctx context.Context, db *DB) {
	now := time.Now()
	c.mu.Lock()
	every := defaultExternalCheck
	if c.everySet {
		every = c.every
	}
	if !c.checked.IsZero() && now.Sub(c.checked) < every {
		c.mu.Unlock()
		return
	}
	c.checked = now
	c.mu.Unlock()

	var v int64
	err := db.writer.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v)
	c.mu.Lock()
	if err != nil || v != c.version {
		c.version = v
		c.n.Add(1)
	}
	c.mu.Unlock()
}

// keepsDocuments marks a write transaction as changing nothing that the
// documents counted by ChangeGeneration show, so that its commit does
// not make them be rebuilt. Only for the hot paths that store and
// process remote activities.
func (tx *Tx) keepsDocuments() { tx.keeps = true }

// committed is called after every commit of a write transaction.
func (db *DB) committed(tx *Tx) {
	if !tx.keeps {
		db.changes.n.Add(1)
	}
}
