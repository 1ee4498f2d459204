package storage

import (
	"context"
	"fmt"
)

// ErrInboundDone is returned by a write made under CompletingInbound for
// an inbound activity that is processed already: it changed nothing.
var ErrInboundDone = Errorf(EConflict, "This activity was handled already.")

type completingKey struct{}

// CompletingInbound returns a context under which a storage write also
// marks the stored inbound activity with the id processed, in the same
// transaction. Given to the one write that is the effect of handling an
// activity, it makes the effect and the record of it commit together: a
// crash cannot come between them, and handling the activity again (a
// lease that lapsed, a retry) finds it done and changes nothing.
//
// Once that write has committed, in.Completed reports true: the worker
// then has nothing left to record.
func CompletingInbound(ctx context.Context, in *Inbound) context.Context {
	return context.WithValue(ctx, completingKey{}, in)
}

// Completed reports whether a write under CompletingInbound has
// completed the activity, in this process.
func (in *Inbound) Completed() bool { return in.completed }

// completing runs fn as the write that completes the inbound activity
// ctx names, if it names one.
func (tx *Tx) completing(ctx context.Context, fn func(*Tx) error) error {
	in, _ := ctx.Value(completingKey{}).(*Inbound)
	if in == nil {
		return fn(tx)
	}
	id := in.ID
	// Marked first, in one statement: its row count tells whether the
	// activity was done already; fn's failure undoes the mark with it.
	res, err := tx.execFixed(ctx, `UPDATE inbox SET processed_at = ?, claimed_at = NULL, last_error = ''
		WHERE id = ? AND processed_at IS NULL`, millis(tx.now), id)
	if err != nil {
		return fmt.Errorf("complete inbound %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var known bool
		if err := tx.queryRowFixed(ctx, `SELECT EXISTS (SELECT 1 FROM inbox WHERE id = ?)`, id).Scan(&known); err != nil {
			return fmt.Errorf("inbound %s: %w", id, err)
		}
		if !known {
			return Errorf(ENotFound, "No inbound activity %s.", id)
		}
		return ErrInboundDone
	}
	if err := fn(tx); err != nil {
		return err
	}
	// Set by the goroutine that commits, read by the caller once its
	// write has returned.
	tx.onCommitted = append(tx.onCommitted, func() { in.completed = true })
	return nil
}
