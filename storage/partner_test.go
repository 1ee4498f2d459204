package storage

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// partnerMonth is a November with two creators and three supporters:
// alice and bob write; carol, dave and alice (also a supporter) read,
// like and comment; eve reads without supporting.
type partnerMonth struct {
	db                          *DB
	clock                       *testClock
	alice, bob, carol, dave, ev *Member
	pa, pb                      *Post
}

func newPartnerMonth(t *testing.T) *partnerMonth {
	t.Helper()
	ctx := context.Background()
	db, clock := openTestDB(t)
	m := &partnerMonth{db: db, clock: clock}
	m.alice, m.bob = mustCreateMember(t, db, "alice"), mustCreateMember(t, db, "bob")
	m.carol, m.dave, m.ev = mustCreateMember(t, db, "carol"), mustCreateMember(t, db, "dave"), mustCreateMember(t, db, "eve")
	for _, c := range []*Member{m.alice, m.bob} {
		if _, err := db.JoinCreatorProgram(ctx, c.ID, PayoutManual); err != nil {
			t.Fatal(err)
		}
	}
	until := time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)
	for i, p := range []struct {
		who   *Member
		cents int64
	}{{m.carol, 1000}, {m.dave, 500}, {m.alice, 300}} {
		if _, err := db.RecordContribution(ctx, Contribution{MemberID: p.who.ID, AmountCents: p.cents, Currency: "usd",
			CoversUntil: until, Source: PaymentStripe, ExternalID: "in_" + string(rune('a'+i))}); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	if m.pa, err = db.Publish(ctx, PostCreate{AuthorID: m.alice.ID, Kind: KindDiscussion, Headline: "Alice's", Text: "a"}); err != nil {
		t.Fatal(err)
	}
	if m.pb, err = db.Publish(ctx, PostCreate{AuthorID: m.bob.ID, Kind: KindDiscussion, Headline: "Bob's", Text: "b"}); err != nil {
		t.Fatal(err)
	}
	return m
}

func (m *partnerMonth) read(t *testing.T, who *Member, p *Post, want bool) {
	t.Helper()
	got, err := m.db.RecordPostRead(context.Background(), who.ID, p.ID)
	if err != nil || got != want {
		t.Errorf("%s opens %q: recorded %v (%v), want %v", who.Username, p.Headline, got, err, want)
	}
}

// Reads count once per supporter per post per day; own posts and
// non-supporters' reads count nothing; the month computes exactly.
func TestPartnerMonthReadsAndEstimate(t *testing.T) {
	ctx := context.Background()
	m := newPartnerMonth(t)
	m.read(t, m.carol, m.pa, true)
	m.read(t, m.carol, m.pa, false) // the same day
	m.read(t, m.carol, m.pb, true)
	m.read(t, m.alice, m.pa, false) // her own
	m.read(t, m.alice, m.pb, true)
	m.read(t, m.ev, m.pa, false) // not a supporter
	m.clock.Advance(24 * time.Hour)
	m.read(t, m.carol, m.pa, true) // the next day
	if err := m.db.LikePost(ctx, m.dave.ID, m.pb.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := m.db.Comment(ctx, CommentCreate{AuthorID: m.dave.ID, ParentID: m.pa.ID, Text: "Good."}); err != nil {
		t.Fatal(err)
	}
	if err := m.db.LikePost(ctx, m.alice.ID, m.pa.ID); err != nil { // her own: nothing
		t.Fatal(err)
	}
	// pool 900 of 1800: carol's 500 is 2/3 pa, 1/3 pb; dave's 250 is 3/5
	// pa (comment), 2/5 pb (like); alice's 150 all pb. pa 483.33, pb
	// 416.67: the cent left goes to pb.
	st, err := m.db.PartnerEstimate(ctx, PoolTerms{PoolPercent: 50, MaxSharePercent: 100}, "2026-11")
	if err != nil {
		t.Fatal(err)
	}
	want := []StatementLine{{m.alice.ID, "alice", m.pa.ID, "Alice's", 483}, {m.bob.ID, "bob", m.pb.ID, "Bob's", 417}}
	if st.Closed || st.RevenueCents != 1800 || st.PoolCents != 900 || st.UnallocatedCents != 0 || !reflect.DeepEqual(st.Lines, want) {
		t.Errorf("estimate = %+v\nwant lines %+v", st, want)
	}
}

// Closing a month writes the ledger once; closing again, or recomputing
// after a later refund, gives the same numbers; the ledger cannot be
// changed; payouts are recorded once.
func TestCloseMonth(t *testing.T) {
	ctx := context.Background()
	m := newPartnerMonth(t)
	terms := PoolTerms{PoolPercent: 50, MaxSharePercent: 100}
	m.read(t, m.carol, m.pa, true)
	m.read(t, m.dave, m.pb, true)
	_, err := m.db.CloseMonth(ctx, m.alice.ID, terms, "2026-11")
	wantCode(t, err, EInvalid) // not over yet
	m.clock.now = time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	first, err := m.db.CloseMonth(ctx, m.alice.ID, terms, "2026-11")
	if err != nil {
		t.Fatal(err)
	}
	if !first.Closed || len(first.Lines) != 2 || first.AllocatedCents != 750 || first.UnallocatedCents != 150 { // alice read nothing
		t.Fatalf("closed = %+v", first)
	}
	// later: a refund of November's payment, new reads, other terms
	if _, err := m.db.writer.ExecContext(ctx, `UPDATE supporter_payments SET refunded_cents = amount_cents, refunded_at = ?
		WHERE external_id = 'in_a'`, millis(m.clock.now)); err != nil {
		t.Fatal(err)
	}
	again, err := m.db.CloseMonth(ctx, m.bob.ID, PoolTerms{PoolPercent: 10, MaxSharePercent: 50}, "2026-11")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, first) {
		t.Errorf("closing again = %+v, want the first %+v", again, first)
	}
	var recomputed *PartnerStatement
	err = m.db.read(ctx, func(tx *Tx) (err error) {
		recomputed, err = tx.computeStatement(ctx, terms, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(recomputed.Lines, first.Lines) || recomputed.PoolCents != first.PoolCents {
		t.Errorf("recomputed lines %+v pool %d, want %+v pool %d", recomputed.Lines, recomputed.PoolCents, first.Lines, first.PoolCents)
	}
	for _, q := range []string{`UPDATE partner_lines SET cents = 0`, `DELETE FROM partner_months`, `UPDATE partner_creators SET cents = 1`} {
		if _, err := m.db.writer.ExecContext(ctx, q); err == nil {
			t.Errorf("%s: allowed, want refused", q)
		}
	}
	if err := m.db.RecordPayout(ctx, m.alice.ID, "2026-11", m.alice.ID, PayoutManual, ""); err != nil {
		t.Fatal(err)
	}
	err = m.db.RecordPayout(ctx, m.alice.ID, "2026-11", m.alice.ID, PayoutManual, "")
	wantCode(t, err, EConflict)
	st, _ := m.db.PartnerLedger(ctx, "2026-11")
	if st.Creators[0].CreatorID != m.alice.ID || st.Creators[0].Payout == nil || st.Creators[1].Payout != nil {
		t.Errorf("creators after paying alice = %+v", st.Creators)
	}
	mine, err := m.db.CreatorLedger(ctx, m.bob.ID)
	if err != nil || len(mine) != 1 || mine[0].Month != "2026-11" || mine[0].Cents != first.Creators[1].Cents {
		t.Errorf("bob's ledger = %+v (%v)", mine, err)
	}
}

// Reading time adds to a day's read, capped, and only to a read: two
// steps of it add 2 to the read's weight, less than a step nothing.
func TestReadTime(t *testing.T) {
	ctx := context.Background()
	m := newPartnerMonth(t)
	m.read(t, m.carol, m.pa, true)
	m.read(t, m.carol, m.pb, true)
	for _, r := range []struct {
		who     *Member
		post    *Post
		seconds int
		want    bool
	}{
		{m.carol, m.pa, 100, true},
		{m.carol, m.pa, 900, true}, // capped at 600
		{m.carol, m.pa, 5, false},  // full
		{m.carol, m.pb, 119, true},
		{m.ev, m.pa, 60, false}, // no read of hers
	} {
		got, err := m.db.RecordReadTime(ctx, r.who.ID, r.post.ID, r.seconds)
		if err != nil || got != r.want {
			t.Errorf("%s reads %q for %ds: %v (%v), want %v", r.who.Username, r.post.Headline, r.seconds, got, err, r.want)
		}
	}
	_, err := m.db.RecordReadTime(ctx, m.carol.ID, m.pa.ID, 0)
	wantCode(t, err, EInvalid)
	// carol's 500 of the pool of 900: pa weighs 1 + 2, pb 1
	st, err := m.db.PartnerEstimate(ctx, PoolTerms{PoolPercent: 50, MaxSharePercent: 100}, "2026-11")
	if err != nil || len(st.Lines) != 2 || st.Lines[0].Cents != 375 || st.Lines[1].Cents != 125 {
		t.Errorf("estimate = %+v (%v), want 375 for pa and 125 for pb", st.Lines, err)
	}
}
