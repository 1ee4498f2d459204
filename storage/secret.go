package storage

import (
	"context"
	"crypto/rand"
	"fmt"
)

// InstanceSecret returns the instance's secret with the name, making a
// random one of size bytes the first time it is asked for. Secrets key
// things like form tokens and stay the same across restarts.
func (db *DB) InstanceSecret(ctx context.Context, name string, size int) ([]byte, error) {
	fresh := make([]byte, size)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	var value []byte
	err := db.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO instance_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`,
			name, fresh, millis(tx.now))
		if err != nil {
			return fmt.Errorf("store secret %s: %w", name, err)
		}
		return tx.QueryRowContext(ctx, `SELECT value FROM instance_secrets WHERE name = ?`, name).Scan(&value)
	})
	return value, err
}
