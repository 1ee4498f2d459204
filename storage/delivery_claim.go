package storage

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// pendingDelivery is the condition of a delivery not yet delivered or
// dropped, written as the partial indexes of migration 0008 are, so that
// SQLite uses them.
const pendingDelivery = `delivered_at IS NULL AND dropped_at IS NULL`

// ClaimDeliveries takes up to limit deliveries that are due and holds
// them for lease; one not finished within it is taken again, so a crash
// loses nothing (and a receiver may see an activity twice, which it
// deduplicates by id).
//
// At most perHost deliveries to any one server are taken (0: no limit),
// and none to the servers in skipHosts (those the caller has enough work
// for already), so that one slow server cannot fill the caller's hands.
// The servers whose earliest due delivery waited longest come first. A
// delivery waits while one of an earlier event about the same object to
// the same server is pending (see ExpandOutbox).
//
// The cost is that of what is claimed, not of the queue: the candidates
// are chosen on a reader, walking the servers that have pending
// deliveries (when any is due) and reading at most perHost due ones from
// each, and then
// claimed in a short write transaction, each only if it is still due, so
// that a candidate taken meanwhile is left out instead of taken twice.
func (db *DB) ClaimDeliveries(ctx context.Context, limit, perHost int, lease time.Duration, skipHosts ...string) ([]*Delivery, error) {
	if perHost <= 0 {
		perHost = limit
	}
	skip, err := json.Marshal(append([]string{}, skipHosts...))
	if err != nil {
		return nil, err
	}
	var candidates []*Delivery
	err = db.read(ctx, func(tx *Tx) error {
		var due bool
		err := tx.QueryRowContext(ctx, anyDueQuery, millis(tx.now)).Scan(&due)
		if err != nil || !due {
			return err // nothing due: no need to walk the servers
		}
		hosts, err := tx.dueHosts(ctx, string(skip), limit)
		if err != nil {
			return err
		}
		candidates, err = tx.dueDeliveries(ctx, hosts, perHost, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	if len(candidates) == 0 {
		return nil, nil
	}
	var claimed []*Delivery
	err = db.write(ctx, func(tx *Tx) error {
		claimed = claimed[:0]
		stmt, err := tx.PrepareContext(ctx, `UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = ?, claimed_at = ?
			WHERE id = ? AND `+pendingDelivery+` AND next_attempt_at <= ? RETURNING attempts`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, d := range candidates {
			err := stmt.QueryRowContext(tx.statementContext(ctx), millis(tx.now.Add(lease)), millis(tx.now), d.ID, millis(tx.now)).Scan(&d.Attempts)
			if errors.Is(err, sql.ErrNoRows) {
				continue // taken, finished or put off since it was chosen
			}
			if err != nil {
				return err
			}
			claimed = append(claimed, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	return claimed, nil
}

// anyDueQuery tells whether any delivery is due, from deliveries_due.
const anyDueQuery = `SELECT EXISTS (SELECT 1 FROM deliveries WHERE ` + pendingDelivery + ` AND next_attempt_at <= ?)`

// dueHostsQuery lists the servers with a due delivery; see dueHosts.
const dueHostsQuery = `WITH RECURSIVE pending_hosts (host) AS (
		SELECT (SELECT host FROM deliveries WHERE ` + pendingDelivery + ` ORDER BY host LIMIT 1)
		UNION ALL
		SELECT (SELECT host FROM deliveries WHERE ` + pendingDelivery + ` AND host > p.host ORDER BY host LIMIT 1)
		FROM pending_hosts p WHERE p.host IS NOT NULL
	), first_due (host, at) AS MATERIALIZED (
		SELECT host, (SELECT min(next_attempt_at) FROM deliveries WHERE ` + pendingDelivery + ` AND host = p.host)
		FROM pending_hosts p WHERE p.host IS NOT NULL AND p.host NOT IN (SELECT value FROM json_each(?))
	)
	SELECT host FROM first_due WHERE at <= ? ORDER BY at, host LIMIT ?`

// dueHosts lists up to limit servers, not in skip (a JSON array), with a
// delivery due, the one whose earliest due delivery waited longest first.
// It visits each server with pending deliveries once, by two seeks in
// deliveries_host_due (the next server after the last; its earliest
// delivery), however many deliveries each has.
func (tx *Tx) dueHosts(ctx context.Context, skip string, limit int) ([]string, error) {
	rows, err := tx.QueryContext(ctx, dueHostsQuery, skip, millis(tx.now), limit)
	if err != nil {
		return nil, fmt.Errorf("due hosts: %w", err)
	}
	defer rows.Close()
	var hosts []string
	for rows.Next() {
		var host string
		if err := rows.Scan(&host); err != nil {
			return nil, err
		}
		hosts = append(hosts, host)
	}
	return hosts, rows.Err()
}

// dueDeliveriesQuery reads a server's due deliveries that are not held;
// see dueDeliveries.
const dueDeliveriesQuery = `SELECT d.id, d.outbox_id, d.inbox, d.host, o.actor_id, o.activity, d.attempts,
		d.created_at, d.next_attempt_at,
		coalesce((SELECT h.failing_since IS NOT NULL FROM hosts h WHERE h.host = d.host), 0)
	FROM deliveries d JOIN outbox o ON o.id = d.outbox_id
	WHERE d.host = ? AND d.` + pendingDelivery + ` AND d.next_attempt_at <= ?
		AND NOT (d.ordering_key <> '' AND EXISTS (SELECT 1 FROM deliveries e
			WHERE e.host = d.host AND e.ordering_key = d.ordering_key AND e.ordering_key <> ''
				AND e.outbox_id < d.outbox_id AND e.` + pendingDelivery + `))
	ORDER BY d.next_attempt_at, d.id LIMIT ?`

// dueDeliveries reads up to perHost due deliveries of each host, earliest
// first, leaving out those held behind one of an earlier event about the
// same object, and returns the earliest limit of them all, each saying
// whether its server is failing.
func (tx *Tx) dueDeliveries(ctx context.Context, hosts []string, perHost, limit int) ([]*Delivery, error) {
	stmt, err := tx.PrepareContext(ctx, dueDeliveriesQuery)
	if err != nil {
		return nil, fmt.Errorf("due deliveries: %w", err)
	}
	defer stmt.Close()
	type due struct {
		d  *Delivery
		at int64
	}
	var list []due
	for _, host := range hosts {
		rows, err := stmt.QueryContext(tx.statementContext(ctx), host, millis(tx.now), perHost)
		if err != nil {
			return nil, fmt.Errorf("due deliveries to %s: %w", host, err)
		}
		for rows.Next() {
			var d Delivery
			var created, at int64
			if err := rows.Scan(&d.ID, &d.OutboxID, &d.Inbox, &d.Host, &d.ActorID, &d.Activity, &d.Attempts, &created, &at, &d.HostFailing); err != nil {
				rows.Close()
				return nil, err
			}
			d.CreatedAt = fromMillis(created)
			list = append(list, due{&d, at})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(list, func(a, b due) int { return cmp.Or(cmp.Compare(a.at, b.at), strings.Compare(a.d.ID, b.d.ID)) })
	var out []*Delivery
	for _, c := range list[:min(limit, len(list))] {
		out = append(out, c.d)
	}
	return out, nil
}
