package storage

import (
	"context"
	"fmt"
)

// MaxBodyLength is the longest text of a post or comment, in characters:
// what the client API tells apps they may write.
const MaxBodyLength = maxBodyLength

// maxPeers bounds the list of known servers.
const maxPeers = 10000

// KnownHosts lists the servers this instance knows accounts of, by name:
// Mastodon's instance peers. Servers the instance suspended are left
// out.
func (db *DB) KnownHosts(ctx context.Context) ([]string, error) {
	var hosts []string
	err := db.read(ctx, func(tx *Tx) (err error) {
		hosts, err = tx.textColumn(ctx, `SELECT DISTINCT host FROM actors WHERE local = 0
			AND host NOT IN (SELECT host FROM domain_blocks WHERE level = 'suspend') ORDER BY host LIMIT ?`, maxPeers)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("known hosts: %w", err)
	}
	return hosts, nil
}
