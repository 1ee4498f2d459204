package storage

import (
	"context"
	"fmt"
)

// suspendDomain applies a new suspension of entry, as Mastodon does: the
// deliveries waiting for its servers are dropped, the follows between
// members and its accounts end (no Undo is sent: nothing goes to it any
// more) and its accounts' posts are deleted here, leaving tombstones so
// that a copy arriving later is not taken. The accounts stay, without
// content, for the log and the threads that name them.
func (tx *Tx) suspendDomain(ctx context.Context, entry string) error {
	hosts, err := tx.coveredHosts(ctx, `SELECT DISTINCT host FROM deliveries WHERE `+pendingDelivery, entry)
	if err != nil {
		return err
	}
	for _, host := range hosts {
		if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET dropped_at = ?, last_error = 'domain suspended'
			WHERE host = ? AND `+pendingDelivery, millis(tx.now), host); err != nil {
			return fmt.Errorf("drop deliveries to %s: %w", host, err)
		}
	}
	hosts, err = tx.coveredHosts(ctx, `SELECT DISTINCT host FROM actors WHERE local = 0`, entry)
	if err != nil {
		return err
	}
	for _, host := range hosts {
		if _, err := tx.ExecContext(ctx, `DELETE FROM follows WHERE follower_id IN (SELECT id FROM actors WHERE host = ? AND local = 0)
			OR followee_id IN (SELECT id FROM actors WHERE host = ? AND local = 0)`, host, host); err != nil {
			return fmt.Errorf("end follows with %s: %w", host, err)
		}
		if err := tx.deletePostsFrom(ctx, host); err != nil {
			return err
		}
	}
	return nil
}

// deletePostsFrom deletes the posts of the remote accounts at host.
func (tx *Tx) deletePostsFrom(ctx context.Context, host string) error {
	return tx.deletePostsWhere(ctx, `p.author_id IN (SELECT id FROM actors WHERE host = ? AND local = 0)`, host)
}

// deletePostsWhere deletes the posts (aliased p) matching cond, each as
// deletePost does: tombstoned, its thread's counts kept right.
func (tx *Tx) deletePostsWhere(ctx context.Context, cond string, args ...any) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+postFields+` FROM posts p WHERE `+cond+` ORDER BY p.id DESC`, args...)
	if err != nil {
		return fmt.Errorf("posts to delete: %w", err)
	}
	var posts []*Post
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			rows.Close()
			return err
		}
		posts = append(posts, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range posts {
		if err := tx.deletePost(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// coveredHosts runs query, which selects hosts, and keeps those entry covers.
func (tx *Tx) coveredHosts(ctx context.Context, query, entry string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("hosts under %s: %w", entry, err)
	}
	defer rows.Close()
	var hosts []string
	for rows.Next() {
		var host string
		if err := rows.Scan(&host); err != nil {
			return nil, err
		}
		if DomainCovers(entry, host) {
			hosts = append(hosts, host)
		}
	}
	return hosts, rows.Err()
}
