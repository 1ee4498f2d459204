package storage

import (
	"context"
	"fmt"
)

// MaxReadSeconds is the most reading time a day's read of a post keeps:
// a page left open overnight is not ten hours of reading.
const MaxReadSeconds = 600

// RecordReadTime adds the seconds a page's script reports the post was in
// view to today's read of it, up to MaxReadSeconds a day. A report for an
// opening that is not a read (see RecordPostRead) changes nothing. It
// reports whether a read took the time.
func (db *DB) RecordReadTime(ctx context.Context, memberID, postID string, seconds int) (bool, error) {
	if seconds < 1 || seconds > 24*60*60 {
		return false, Errorf(EInvalid, "Reading time is a number of seconds from 1 to a day's.")
	}
	var counts bool
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM post_reads WHERE supporter_id = ? AND post_id = ? AND day = ?
			AND seconds < ?)`, memberID, postID, dayOf(tx.now), MaxReadSeconds).Scan(&counts)
	})
	if err != nil || !counts {
		return false, err
	}
	var added bool
	err = db.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE post_reads SET seconds = min(seconds + ?1, ?2)
			WHERE supporter_id = ?3 AND post_id = ?4 AND day = ?5`, seconds, MaxReadSeconds, memberID, postID, dayOf(tx.now))
		if err != nil {
			return fmt.Errorf("record read time of %s: %w", postID, err)
		}
		n, _ := res.RowsAffected()
		added = n == 1
		return nil
	})
	return added, err
}
