package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Supporter is a member who supports the instance now.
type Supporter struct {
	Member *Member
	Until  time.Time // the end of the latest period paid for
	Status string    // their Stripe subscription's status; "" for offline supporters
}

// Supporters lists the members who are supporters now, by name.
func (db *DB) Supporters(ctx context.Context) ([]*Supporter, error) {
	var list []*Supporter
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+memberColumns+`,
			(SELECT max(covers_until) FROM supporter_payments sp WHERE sp.member_id = members.id
				AND sp.paid_at <= ?1 AND sp.covers_until > ?1 AND sp.refunded_cents < sp.amount_cents),
			coalesce((SELECT status FROM stripe_subscriptions s WHERE s.member_id = members.id), '')
			FROM members WHERE `+supportedSQL("members.id", "?1")+` ORDER BY username`, millis(tx.now))
		if err != nil {
			return fmt.Errorf("list supporters: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var s Supporter
			var until int64
			m, err := scanMember(rowWith{rows, []any{&until, &s.Status}})
			if err != nil {
				return fmt.Errorf("list supporters: %w", err)
			}
			s.Member, s.Until = m, fromMillis(until)
			list = append(list, &s)
		}
		return rows.Err()
	})
	return list, err
}

// rowWith scans a row of memberColumns followed by the extra columns.
type rowWith struct {
	row   interface{ Scan(...any) error }
	extra []any
}

func (r rowWith) Scan(dest ...any) error { return r.row.Scan(append(dest, r.extra...)...) }

// RecentPayments lists the latest payments of all supporters, newest
// first, up to limit.
func (db *DB) RecentPayments(ctx context.Context, limit int) ([]*SupporterPayment, error) {
	var list []*SupporterPayment
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+paymentColumns+` FROM supporter_payments
			ORDER BY paid_at DESC, id DESC LIMIT ?`, limit)
		if err != nil {
			return fmt.Errorf("list payments: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPayment(rows)
			if err != nil {
				return fmt.Errorf("list payments: %w", err)
			}
			list = append(list, p)
		}
		return rows.Err()
	})
	return list, err
}

// MemberNames maps the ids of local members to their usernames, for
// lists of payments; ids of no member are left out.
func (db *DB) MemberNames(ctx context.Context, ids []string) (map[string]string, error) {
	names := map[string]string{}
	if len(ids) == 0 {
		return names, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	err = db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT m.id, m.username FROM members m WHERE m.id IN (SELECT value FROM json_each(?))`, string(list))
		if err != nil {
			return fmt.Errorf("member names: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, name string
			if err := rows.Scan(&id, &name); err != nil {
				return fmt.Errorf("member names: %w", err)
			}
			names[id] = name
		}
		return rows.Err()
	})
	return names, err
}
