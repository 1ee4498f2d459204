package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// PartnerStatement is a month's creator pool: closed (read from the
// ledger) or the running estimate of a month not closed yet.
type PartnerStatement struct {
	Month            string // "2026-11"
	Closed           bool
	ClosedAt         time.Time
	Currency         string
	RevenueCents     int64
	PoolPercent      int
	MaxSharePercent  int
	PoolCents        int64
	AllocatedCents   int64
	UnallocatedCents int64
	Lines            []StatementLine    // by creator, then post
	Creators         []StatementCreator // by creator id
}

// StatementLine is what one post earned its creator in the month.
type StatementLine struct {
	CreatorID, Creator string
	PostID, Headline   string
	Cents              int64
}

// StatementCreator is a creator's total for the month.
type StatementCreator struct {
	CreatorID, Creator string
	Cents              int64
	TopSharePerMille   int64 // the top supporter's part of Cents, in thousandths
	Supporters         int
	Anomalous          bool    // one supporter made up most of it
	Payout             *Payout // nil until paid
}

// TopSharePercent is the top supporter's part of the creator's earnings,
// in whole percent, rounded down.
func (c StatementCreator) TopSharePercent() int64 { return c.TopSharePerMille / 10 }

// anomalous reports whether one supporter's money made up most of a
// creator's earnings: at least the cap (reached only when it binds), or
// more than 80%.
func anomalous(topPerMille int64, maxSharePercent int) bool {
	return topPerMille >= int64(maxSharePercent)*10 || topPerMille > 800
}

// ParseMonth reads a month such as "2026-11" and returns its first
// moment in UTC.
func ParseMonth(s string) (time.Time, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return time.Time{}, Errorf(EInvalid, "%q is not a month such as 2026-11.", s)
	}
	return t.UTC(), nil
}

// MonthOf is the month of t, in UTC: "2026-11".
func MonthOf(t time.Time) string { return t.UTC().Format("2006-01") }

// PartnerEstimate computes the month's creator pool from what happened
// so far, for a month not closed; a closed month's statement is its
// ledger. For the month in progress this is the running estimate.
func (db *DB) PartnerEstimate(ctx context.Context, terms PoolTerms, month string) (*PartnerStatement, error) {
	from, err := ParseMonth(month)
	if err != nil {
		return nil, err
	}
	var st *PartnerStatement
	err = db.read(ctx, func(tx *Tx) error {
		if st, err = tx.closedStatement(ctx, month); ErrorCode(err) != ENotFound {
			return err
		}
		st, err = tx.computeStatement(ctx, terms, from)
		return err
	})
	return st, err
}

// computeStatement computes the month starting at from, with names and
// headlines as they are now.
func (tx *Tx) computeStatement(ctx context.Context, terms PoolTerms, from time.Time) (*PartnerStatement, error) {
	in, err := tx.monthInputs(ctx, from, from.AddDate(0, 1, 0))
	if err != nil {
		return nil, err
	}
	split := SplitPool(terms, in.payments, in.engagements)
	st := &PartnerStatement{Month: MonthOf(from), Currency: in.currency, RevenueCents: split.RevenueCents,
		PoolPercent: terms.PoolPercent, MaxSharePercent: terms.MaxSharePercent, PoolCents: split.PoolCents,
		AllocatedCents: split.AllocatedCents, UnallocatedCents: split.UnallocatedCents}
	for _, l := range split.Lines {
		var name, headline string
		if err := tx.QueryRowContext(ctx, `SELECT m.username, p.headline FROM posts p JOIN members m ON m.id = p.author_id WHERE p.id = ?`,
			l.PostID).Scan(&name, &headline); err != nil {
			return nil, fmt.Errorf("statement line of %s: %w", l.PostID, err)
		}
		st.Lines = append(st.Lines, StatementLine{CreatorID: l.CreatorID, Creator: name, PostID: l.PostID, Headline: headline, Cents: l.Cents})
	}
	for _, c := range split.Creators {
		sc := StatementCreator{CreatorID: c.CreatorID, Cents: c.Cents, TopSharePerMille: c.TopSharePerMille, Supporters: c.Supporters,
			Anomalous: anomalous(c.TopSharePerMille, terms.MaxSharePercent)}
		if err := tx.QueryRowContext(ctx, `SELECT username FROM members WHERE id = ?`, c.CreatorID).Scan(&sc.Creator); err != nil {
			return nil, fmt.Errorf("statement creator %s: %w", c.CreatorID, err)
		}
		st.Creators = append(st.Creators, sc)
	}
	return st, nil
}

// CloseMonth closes a past month: its statement, computed now, becomes
// the ledger, never changed after. Closing a closed month changes
// nothing and returns the statement it was closed with.
func (db *DB) CloseMonth(ctx context.Context, adminID string, terms PoolTerms, month string) (*PartnerStatement, error) {
	from, err := ParseMonth(month)
	if err != nil {
		return nil, err
	}
	var st *PartnerStatement
	err = db.write(ctx, func(tx *Tx) error {
		if st, err = tx.closedStatement(ctx, month); ErrorCode(err) != ENotFound {
			return err
		}
		if from.AddDate(0, 1, 0).After(tx.now) {
			return Errorf(EInvalid, "Only a month that is over can be closed; %s is not.", month)
		}
		if st, err = tx.computeStatement(ctx, terms, from); err != nil {
			return err
		}
		return tx.writeLedger(ctx, adminID, st)
	})
	return st, err
}

// writeLedger writes a month's statement as the ledger.
func (tx *Tx) writeLedger(ctx context.Context, adminID string, st *PartnerStatement) error {
	st.Closed, st.ClosedAt = true, tx.now
	_, err := tx.ExecContext(ctx, `INSERT INTO partner_months (month, currency, revenue_cents, pool_percent, max_share_percent,
		pool_cents, allocated_cents, unallocated_cents, closed_at, closed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		st.Month, st.Currency, st.RevenueCents, st.PoolPercent, st.MaxSharePercent, st.PoolCents, st.AllocatedCents,
		st.UnallocatedCents, millis(tx.now), adminID)
	if err != nil {
		return fmt.Errorf("close month %s: %w", st.Month, err)
	}
	for _, l := range st.Lines {
		if _, err := tx.ExecContext(ctx, `INSERT INTO partner_lines (month, creator_id, creator, post_id, headline, cents)
			VALUES (?, ?, ?, ?, ?, ?)`, st.Month, l.CreatorID, l.Creator, l.PostID, l.Headline, l.Cents); err != nil {
			return fmt.Errorf("close month %s: line: %w", st.Month, err)
		}
	}
	for _, c := range st.Creators {
		if _, err := tx.ExecContext(ctx, `INSERT INTO partner_creators (month, creator_id, creator, cents, top_supporter_share, supporters)
			VALUES (?, ?, ?, ?, ?, ?)`, st.Month, c.CreatorID, c.Creator, c.Cents, c.TopSharePerMille, c.Supporters); err != nil {
			return fmt.Errorf("close month %s: creator: %w", st.Month, err)
		}
	}
	return nil
}

// PartnerLedger returns a closed month's statement, not found when the
// month is not closed.
func (db *DB) PartnerLedger(ctx context.Context, month string) (*PartnerStatement, error) {
	var st *PartnerStatement
	err := db.read(ctx, func(tx *Tx) (err error) {
		st, err = tx.closedStatement(ctx, month)
		return err
	})
	return st, err
}

func (tx *Tx) closedStatement(ctx context.Context, month string) (*PartnerStatement, error) {
	st := &PartnerStatement{Month: month, Closed: true}
	var closed int64
	err := tx.QueryRowContext(ctx, `SELECT currency, revenue_cents, pool_percent, max_share_percent, pool_cents, allocated_cents,
		unallocated_cents, closed_at FROM partner_months WHERE month = ?`, month).Scan(&st.Currency, &st.RevenueCents,
		&st.PoolPercent, &st.MaxSharePercent, &st.PoolCents, &st.AllocatedCents, &st.UnallocatedCents, &closed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(ENotFound, "The month %s is not closed.", month)
	}
	if err != nil {
		return nil, fmt.Errorf("read ledger %s: %w", month, err)
	}
	st.ClosedAt = fromMillis(closed)
	if st.Lines, err = tx.ledgerLines(ctx, "month = ?", month); err != nil {
		return nil, err
	}
	st.Creators, err = tx.ledgerCreators(ctx, month, st.MaxSharePercent)
	return st, err
}

// ledgerLines lists closed months' lines matching cond, by month, creator
// and post.
func (tx *Tx) ledgerLines(ctx context.Context, cond string, args ...any) ([]StatementLine, error) {
	rows, err := tx.QueryContext(ctx, `SELECT creator_id, creator, post_id, headline, cents FROM partner_lines
		WHERE `+cond+` ORDER BY month, creator_id, post_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read ledger lines: %w", err)
	}
	defer rows.Close()
	var list []StatementLine
	for rows.Next() {
		var l StatementLine
		if err := rows.Scan(&l.CreatorID, &l.Creator, &l.PostID, &l.Headline, &l.Cents); err != nil {
			return nil, fmt.Errorf("read ledger lines: %w", err)
		}
		list = append(list, l)
	}
	return list, rows.Err()
}

func (tx *Tx) ledgerCreators(ctx context.Context, month string, maxShare int) ([]StatementCreator, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.creator_id, c.creator, c.cents, c.top_supporter_share, c.supporters,
		coalesce(p.method, ''), coalesce(p.transfer_id, ''), coalesce(p.paid_at, 0)
		FROM partner_creators c LEFT JOIN partner_payouts p ON p.month = c.month AND p.creator_id = c.creator_id
		WHERE c.month = ? ORDER BY c.creator_id`, month)
	if err != nil {
		return nil, fmt.Errorf("read ledger creators: %w", err)
	}
	defer rows.Close()
	var list []StatementCreator
	for rows.Next() {
		var c StatementCreator
		var p Payout
		var paid int64
		if err := rows.Scan(&c.CreatorID, &c.Creator, &c.Cents, &c.TopSharePerMille, &c.Supporters, &p.Method, &p.TransferID, &paid); err != nil {
			return nil, fmt.Errorf("read ledger creators: %w", err)
		}
		c.Anomalous = anomalous(c.TopSharePerMille, maxShare)
		if p.Method != "" {
			p.PaidAt = fromMillis(paid)
			c.Payout = &p
		}
		list = append(list, c)
	}
	return list, rows.Err()
}

// ClosedMonths lists the closed months, newest first.
func (db *DB) ClosedMonths(ctx context.Context) ([]string, error) {
	var months []string
	err := db.read(ctx, func(tx *Tx) (err error) {
		months, err = tx.textColumn(ctx, `SELECT month FROM partner_months ORDER BY month DESC`)
		return err
	})
	return months, err
}

// CreatorMonth is what a creator's posts earned in a closed month.
type CreatorMonth struct {
	Month string
	Lines []StatementLine
	Cents int64
}

// CreatorLedger lists what a creator's posts earned in closed months,
// newest month first.
func (db *DB) CreatorLedger(ctx context.Context, creatorID string) ([]CreatorMonth, error) {
	var list []CreatorMonth
	err := db.read(ctx, func(tx *Tx) error {
		months, err := tx.textColumn(ctx, `SELECT DISTINCT month FROM partner_lines WHERE creator_id = ? ORDER BY month DESC`, creatorID)
		if err != nil {
			return fmt.Errorf("creator ledger: %w", err)
		}
		for _, m := range months {
			cm := CreatorMonth{Month: m}
			if cm.Lines, err = tx.ledgerLines(ctx, "month = ? AND creator_id = ?", m, creatorID); err != nil {
				return err
			}
			for _, l := range cm.Lines {
				cm.Cents += l.Cents
			}
			list = append(list, cm)
		}
		return nil
	})
	return list, err
}
