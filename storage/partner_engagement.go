package storage

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// monthInputs is what a month's creator pool is computed from.
type monthInputs struct {
	currency    string
	payments    []PoolPayment
	engagements []PoolEngagement
}

// monthInputs gathers the month [from, to)'s payments and supporters'
// engagement with the posts of creators in the program. A refund counts
// against the month only when it was made before the month ended, so
// that a closed month computes the same after later refunds. Payments in
// other currencies than the month's main one (the one most money came
// in) are left out.
func (tx *Tx) monthInputs(ctx context.Context, from, to time.Time) (*monthInputs, error) {
	paid, err := tx.paymentsWhere(ctx, "paid_at >= ? AND paid_at < ?", millis(from), millis(to))
	if err != nil {
		return nil, err
	}
	in := &monthInputs{currency: mainCurrency(paid)}
	for _, p := range paid {
		if p.Currency != in.currency || p.MemberID == "" {
			continue
		}
		net := p.AmountCents
		if !p.RefundedAt.IsZero() && p.RefundedAt.Before(to) {
			net -= p.RefundedCents
		}
		in.payments = append(in.payments, PoolPayment{SupporterID: p.MemberID, NetCents: net})
	}
	in.engagements, err = tx.engagements(ctx, from, to)
	return in, err
}

// mainCurrency is the currency most of the payments' money came in;
// ties go to the first by name.
func mainCurrency(paid []*SupporterPayment) string {
	sums := map[string]int64{}
	for _, p := range paid {
		sums[p.Currency] += p.NetCents()
	}
	best := ""
	for _, c := range sortedKeys(sums) {
		if best == "" || sums[c] > sums[best] {
			best = c
		}
	}
	return best
}

// engagementSQL selects (supporter, creator, post, reads, read-time
// bonus, liked, commented) rows of one kind; ?1 and ?2 are the month's
// first day and the next month's, ?3 and ?4 its bounds in milliseconds.
var engagementSQL = []string{
	`SELECT r.supporter_id, p.author_id, p.id, count(*),
		sum(min(r.seconds / ` + strconv.Itoa(ReadTimeStep) + `, ` + strconv.Itoa(MaxReadTimeBonus) + `)), 0, 0 FROM post_reads r
		JOIN posts p ON p.id = r.post_id JOIN creators c ON c.member_id = p.author_id
		WHERE r.day >= ?1 AND r.day < ?2 GROUP BY r.supporter_id, p.id`,
	`SELECT x.actor_id, p.author_id, p.id, 0, 0, 1, 0 FROM reactions x
		JOIN posts p ON p.id = x.post_id JOIN creators c ON c.member_id = p.author_id
		WHERE x.kind = 'like' AND x.created_at >= ?3 AND x.created_at < ?4 AND p.local = 1 AND p.root_id IS NULL
		AND ` + supportedSQL("x.actor_id", "x.created_at"),
	`SELECT DISTINCT k.author_id, p.author_id, p.id, 0, 0, 0, 1 FROM posts k
		JOIN posts p ON p.id = k.root_id JOIN creators c ON c.member_id = p.author_id
		WHERE k.created_at >= ?3 AND k.created_at < ?4 AND p.local = 1
		AND ` + supportedSQL("k.author_id", "k.created_at"),
}

// engagements is supporters' engagement with creators' posts in [from,
// to), one entry per supporter and post, in a fixed order.
func (tx *Tx) engagements(ctx context.Context, from, to time.Time) ([]PoolEngagement, error) {
	byKey := map[string]*PoolEngagement{}
	for _, q := range engagementSQL {
		rows, err := tx.QueryContext(ctx, q, dayOf(from), dayOf(to), millis(from), millis(to))
		if err != nil {
			return nil, fmt.Errorf("month engagement: %w", err)
		}
		for rows.Next() {
			var e PoolEngagement
			var liked, commented bool
			if err := rows.Scan(&e.SupporterID, &e.CreatorID, &e.PostID, &e.Reads, &e.ReadBonus, &liked, &commented); err != nil {
				rows.Close()
				return nil, fmt.Errorf("month engagement: %w", err)
			}
			key := e.SupporterID + " " + e.PostID
			if seen := byKey[key]; seen != nil {
				seen.Reads += e.Reads
				seen.ReadBonus += e.ReadBonus
				seen.Liked = seen.Liked || liked
				seen.Commented = seen.Commented || commented
				continue
			}
			e.Liked, e.Commented = liked, commented
			byKey[key] = &e
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("month engagement: %w", err)
		}
	}
	list := make([]PoolEngagement, 0, len(byKey))
	for _, k := range sortedKeys(byKey) {
		list = append(list, *byKey[k])
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].CreatorID < list[j].CreatorID })
	return list, nil
}
