package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// IdempotencyWindow is how long an Idempotency-Key names the post it
// made: an hour, as Mastodon keeps it.
const IdempotencyWindow = time.Hour

// maxIdempotencyKey bounds a key an app sends; apps send UUIDs.
const maxIdempotencyKey = 200

// IdempotentPost returns the id of the post the member made with the key
// within IdempotencyWindow, "" when none (or the post is gone).
func (db *DB) IdempotentPost(ctx context.Context, memberID, key string) (string, error) {
	if err := checkIdempotencyKey(key); err != nil {
		return "", err
	}
	var postID string
	err := db.read(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT post_id FROM api_idempotency_keys
			WHERE member_id = ? AND key = ? AND created_at > ?`,
			memberID, key, millis(tx.now.Add(-IdempotencyWindow))).Scan(&postID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("idempotency key of %s: %w", memberID, err)
	}
	return postID, nil
}

// RememberIdempotencyKey records that the member's key made the post,
// replacing what an older use of the key made.
func (db *DB) RememberIdempotencyKey(ctx context.Context, memberID, key, postID string) error {
	if err := checkIdempotencyKey(key); err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM api_idempotency_keys WHERE member_id = ? AND created_at <= ?`,
			memberID, millis(tx.now.Add(-IdempotencyWindow))); err != nil {
			return fmt.Errorf("forget old idempotency keys: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO api_idempotency_keys (member_id, key, post_id, created_at)
			VALUES (?, ?, ?, ?)`, memberID, key, postID, millis(tx.now))
		if err != nil {
			return fmt.Errorf("remember idempotency key: %w", err)
		}
		return nil
	})
}

// checkIdempotencyKey refuses a key no app sends: empty, too long, not
// UTF-8.
func checkIdempotencyKey(key string) error {
	if key == "" || len(key) > maxIdempotencyKey || !utf8.ValidString(key) {
		return Errorf(EInvalid, "The Idempotency-Key header must be 1 to %d characters.", maxIdempotencyKey)
	}
	return nil
}
