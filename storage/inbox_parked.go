package storage

import (
	"context"
	"fmt"
)

// ParkInbound gives up on an inbound activity that kept failing: it is
// kept, with its body and the reason, and not taken again until
// RetryParkedInbound. One processed meanwhile stays processed.
func (db *DB) ParkInbound(ctx context.Context, id, reason string) error {
	return db.writeRedoable(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE inbox SET parked_at = ?, claimed_at = NULL, last_error = ?
			WHERE id = ? AND processed_at IS NULL`, millis(tx.now), reason, id)
		if err != nil {
			return fmt.Errorf("park inbound %s: %w", id, err)
		}
		return nil
	})
}

// ParkedInbound lists up to limit parked inbound activities, the most
// recently parked first, for an admin to look at.
func (db *DB) ParkedInbound(ctx context.Context, limit int) ([]*Inbound, error) {
	var list []*Inbound
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+inboundColumns+` FROM inbox
			WHERE parked_at IS NOT NULL AND processed_at IS NULL ORDER BY parked_at DESC, id DESC LIMIT ?`, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			in, err := scanInbound(rows)
			if err != nil {
				return err
			}
			list = append(list, in)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("parked inbound: %w", err)
	}
	return list, nil
}

// RetryParkedInbound takes a parked inbound activity back into the
// queue, due now, with a fresh count of attempts: an admin asks for it
// once the cause (say, a bug) is fixed.
func (db *DB) RetryParkedInbound(ctx context.Context, id string) error {
	return db.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE inbox SET parked_at = NULL, attempts = 0, next_attempt_at = ?
			WHERE id = ? AND parked_at IS NOT NULL AND processed_at IS NULL`, millis(tx.now), id)
		if err != nil {
			return fmt.Errorf("retry parked inbound %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Errorf(ENotFound, "No parked inbound activity %s.", id)
		}
		return nil
	})
}
