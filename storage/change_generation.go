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
// when another process has committed; it is read at most once a second
// (SetExternalCheck), when a document is asked for. A document changed
// from the command line is thus served stale for at most a second after
// that change, and never to a request that comes after the next look.
//
// keepsDocuments must be called only at the top of a transaction whose
// every statement leaves those documents as they were.
type changeGeneration struct {
	n atomic.Uint64

	// checked is when data_version was last read (Unix nanoseconds);
	// the request that moves it reads it, the others go on meanwhile.
	checked atomic.Int64
	// every, once everySet, is how often data_version is read (nanoseconds;
	// zero reads it each time).
	every    atomic.Int64
	everySet atomic.Bool

	mu      sync.Mutex
	version int64 // the last data_version read
}

// defaultExternalCheck is how often another process's commits are looked
// for: one small query a second on the writer connection.
const defaultExternalCheck = time.Second

// ChangeGeneration returns a number that moves on every commit that may
// change the documents of local actors, WebFinger or NodeInfo. A copy
// built after reading generation g is current as long as
// ChangeGeneration still returns g. Commits by another process (the
// admin commands) move it within SetExternalCheck's interval (a second
// unless set) of the next call.
func (db *DB) ChangeGeneration(ctx context.Context) uint64 {
	db.changes.lookOutside(ctx, db)
	return db.changes.n.Load()
}

// SetExternalCheck sets how often ChangeGeneration looks for commits by
// other processes; zero looks every time (tests).
func (db *DB) SetExternalCheck(every time.Duration) {
	db.changes.every.Store(int64(every))
	db.changes.everySet.Store(true)
	db.changes.checked.Store(0)
}

// lookOutside bumps the generation when another process committed since
// the last look. A look that fails bumps it too: not knowing is treated
// as a change.
func (c *changeGeneration) lookOutside(ctx context.Context, db *DB) {
	every := int64(defaultExternalCheck)
	if c.everySet.Load() {
		every = c.every.Load()
	}
	now := time.Now().UnixNano()
	last := c.checked.Load()
	if last != 0 && now-last < every {
		return
	}
	if every > 0 && !c.checked.CompareAndSwap(last, now) {
		return // another request is looking
	}
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
