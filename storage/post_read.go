package storage

import (
	"context"
	"fmt"
	"time"
)

// dayOf is the UTC day of t, counted from 1970-01-01: reads are kept per
// day, not per moment.
func dayOf(t time.Time) int64 { return t.UTC().Unix() / 86400 }

// readableSQL is the condition that the member ?1 opening post ?2 is a
// read for the partner program at ?3 (milliseconds): a local post, not a
// comment, of a creator in the program who is someone else, opened by a
// supporter.
const readableSQL = `EXISTS (SELECT 1 FROM posts p JOIN creators c ON c.member_id = p.author_id
	WHERE p.id = ?2 AND p.local = 1 AND p.root_id IS NULL AND p.author_id <> ?1) AND `

// RecordPostRead counts that the member opened the post, once per
// supporter per post per UTC day, when that counts for the partner
// program (see readableSQL); otherwise it records nothing. It reports
// whether a read was recorded. Most openings are not reads, so a read
// transaction decides before the writer is asked.
func (db *DB) RecordPostRead(ctx context.Context, memberID, postID string) (bool, error) {
	cond := readableSQL + supportedSQL("?1", "?3") +
		` AND NOT EXISTS (SELECT 1 FROM post_reads WHERE supporter_id = ?1 AND post_id = ?2 AND day = ?4)`
	var counts bool
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT `+cond, memberID, postID, millis(tx.now), dayOf(tx.now)).Scan(&counts)
	})
	if err != nil || !counts {
		return false, err
	}
	var recorded bool
	err = db.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO post_reads (supporter_id, post_id, day) SELECT ?1, ?2, ?4 WHERE `+
			readableSQL+supportedSQL("?1", "?3"), memberID, postID, millis(tx.now), dayOf(tx.now))
		if err != nil {
			return fmt.Errorf("record read of %s: %w", postID, err)
		}
		n, _ := res.RowsAffected()
		recorded = n == 1
		return nil
	})
	return recorded, err
}
