package storage

import (
	"context"
	"fmt"
)

// Every commit is synced to disk before its writer returns, so that what
// a caller was told is done survives a power failure: a 202 to another
// server, a page saying a post is published. Some writes tell nobody
// anything: a worker handling a stored inbound activity, or recording
// that it did. Should a power failure take such a write, the activity is
// still stored unhandled, since the effect and its record commit
// together, and it is handled again. These redoable writes commit with
// synchronous=NORMAL, which leaves the syncing to the next commit that
// needs it or to the next checkpoint: SQLite's log is written in order
// and synced whole, so a later synced commit makes every earlier one
// durable too, and what the power takes is always a tail of redoable
// commits. A commit then costs tens of microseconds instead of a sync.

// writeRedoable runs fn as write does, as a write that a power failure
// may take back (see above): nobody is told it is done, and what it
// records is done again if it is lost.
func (db *DB) writeRedoable(ctx context.Context, fn func(*Tx) error) error {
	return db.runWrite(&groupedWrite{ctx: ctx, fn: fn, redoable: true})
}

// syncCommitsFor sets the writer connection to sync the coming commit to
// disk unless every write in it is redoable. Only the leader of a group
// of writes calls it, one at a time, before it begins the transaction
// (SQLite refuses the change inside one). writerSyncsLazily is what was
// last set: a connection opened since starts with synchronous=FULL,
// which is safe whatever the field says, and is set anew at the next
// change.
func (db *DB) syncCommitsFor(batch []*groupedWrite) error {
	lazy := true
	for _, w := range batch {
		lazy = lazy && w.redoable
	}
	if lazy == db.writerSyncsLazily {
		return nil
	}
	mode := "FULL"
	if lazy {
		mode = "NORMAL"
	}
	if _, err := db.writer.ExecContext(context.WithoutCancel(batch[0].ctx), `PRAGMA synchronous = `+mode); err != nil {
		return fmt.Errorf("set synchronous=%s: %w", mode, err)
	}
	db.writerSyncsLazily = lazy
	return nil
}
