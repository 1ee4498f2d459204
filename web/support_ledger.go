package web

import (
	"context"
	"time"
)

// supportLedger is what /support says of the last closed month of the
// partner program: the pool, and what of it went to creators.
type supportLedger struct {
	Month      string // "November 2026"
	Revenue    string
	Pool       string
	ToCreators string
}

// lastLedger reads the last closed month's statement; nil before any
// month was closed.
func (s *Server) lastLedger(ctx context.Context) (*supportLedger, error) {
	months, err := s.db.ClosedMonths(ctx)
	if err != nil || len(months) == 0 {
		return nil, err
	}
	st, err := s.db.PartnerLedger(ctx, months[0])
	if err != nil {
		return nil, err
	}
	name := st.Month
	if t, err := time.Parse("2006-01", st.Month); err == nil {
		name = t.Format("January 2006")
	}
	return &supportLedger{Month: name, Revenue: formatMoney(st.RevenueCents, st.Currency),
		Pool: formatMoney(st.PoolCents, st.Currency), ToCreators: formatMoney(st.AllocatedCents, st.Currency)}, nil
}
