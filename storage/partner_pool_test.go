package storage

import (
	"reflect"
	"testing"
)

// SplitPool's arithmetic, each expected cent computed by hand.
func TestSplitPool(t *testing.T) {
	read := func(s, c, p string, days int64) PoolEngagement {
		return PoolEngagement{SupporterID: s, CreatorID: c, PostID: p, Reads: days}
	}
	noCap := PoolTerms{PoolPercent: 50, MaxSharePercent: 100}
	tests := []struct {
		name        string
		terms       PoolTerms
		payments    []PoolPayment
		engagements []PoolEngagement
		want        PoolSplit
	}{{
		// revenue 1300, pool 650: s1's part 500, s2's 150. s1's weights:
		// p1 2 reads, p2 a like (2), p3 a read and a comment (4) of 8;
		// s2's: p1 1, p4 2 of 3.
		name:     "several supporters and creators",
		terms:    noCap,
		payments: []PoolPayment{{"s1", 600}, {"s2", 300}, {"s1", 400}},
		engagements: []PoolEngagement{
			read("s1", "c1", "p1", 2),
			{SupporterID: "s1", CreatorID: "c2", PostID: "p2", Liked: true},
			{SupporterID: "s1", CreatorID: "c2", PostID: "p3", Reads: 1, Commented: true},
			read("s2", "c1", "p1", 1),
			read("s2", "c3", "p4", 2),
		},
		want: PoolSplit{RevenueCents: 1300, PoolCents: 650, AllocatedCents: 650,
			Lines:    []PoolLine{{"c1", "p1", 175}, {"c2", "p2", 125}, {"c2", "p3", 250}, {"c3", "p4", 100}},
			Creators: []PoolCreator{{"c1", 175, 714, 2}, {"c2", 375, 1000, 1}, {"c3", 100, 1000, 1}}},
	}, {
		// 100 cents in three equal thirds: 33 each, the cent left to the
		// first creator by id.
		name:        "remainder by creator id",
		terms:       noCap,
		payments:    []PoolPayment{{"s", 200}},
		engagements: []PoolEngagement{read("s", "cc", "p3", 1), read("s", "ca", "p1", 1), read("s", "cb", "p2", 1)},
		want: PoolSplit{RevenueCents: 200, PoolCents: 100, AllocatedCents: 100,
			Lines:    []PoolLine{{"ca", "p1", 34}, {"cb", "p2", 33}, {"cc", "p3", 33}},
			Creators: []PoolCreator{{"ca", 34, 1000, 1}, {"cb", 33, 1000, 1}, {"cc", 33, 1000, 1}}},
	}, {
		// pool 10: s1's 5 is 5/3 for p1 and 10/3 for p2, s2's 5 for p1:
		// p1 6.67, p2 3.33; the cent left goes to the larger remainder.
		name:     "remainder by largest fraction",
		terms:    noCap,
		payments: []PoolPayment{{"s1", 10}, {"s2", 10}},
		engagements: []PoolEngagement{read("s1", "c1", "p1", 1), read("s1", "c2", "p2", 2),
			read("s2", "c1", "p1", 1)},
		want: PoolSplit{RevenueCents: 20, PoolCents: 10, AllocatedCents: 10,
			Lines:    []PoolLine{{"c1", "p1", 7}, {"c2", "p2", 3}},
			Creators: []PoolCreator{{"c1", 7, 750, 2}, {"c2", 3, 1000, 1}}},
	}, {
		name:        "own reads earn nothing",
		terms:       noCap,
		payments:    []PoolPayment{{"c1", 100}},
		engagements: []PoolEngagement{read("c1", "c1", "p1", 5), {SupporterID: "c1", CreatorID: "c1", PostID: "p1", Liked: true}, read("c1", "c2", "p2", 1)},
		want: PoolSplit{RevenueCents: 100, PoolCents: 50, AllocatedCents: 50,
			Lines:    []PoolLine{{"c2", "p2", 50}},
			Creators: []PoolCreator{{"c2", 50, 1000, 1}}},
	}, {
		// pool 500: s1 gives c1 450, s2 50; at most half from one
		// supporter holds s1 to 50; 400 stay unallocated.
		name:        "per-supporter cap",
		terms:       PoolTerms{PoolPercent: 50, MaxSharePercent: 50},
		payments:    []PoolPayment{{"s1", 900}, {"s2", 100}},
		engagements: []PoolEngagement{read("s1", "c1", "p1", 1), read("s2", "c1", "p1", 3)},
		want: PoolSplit{RevenueCents: 1000, PoolCents: 500, AllocatedCents: 100, UnallocatedCents: 400,
			Lines:    []PoolLine{{"c1", "p1", 100}},
			Creators: []PoolCreator{{"c1", 100, 500, 2}}},
	}, {
		// 1299 at 50% is 649.5, rounded down; a creator with one
		// supporter under a 50% cap earns nothing.
		name:        "one supporter alone under the cap",
		terms:       PoolTerms{PoolPercent: 50, MaxSharePercent: 50},
		payments:    []PoolPayment{{"s1", 1299}},
		engagements: []PoolEngagement{read("s1", "c1", "p1", 1)},
		want:        PoolSplit{RevenueCents: 1299, PoolCents: 649, UnallocatedCents: 649},
	}, {
		name:        "a supporter who engaged with nobody",
		terms:       noCap,
		payments:    []PoolPayment{{"s1", 1000}, {"s2", 1000}},
		engagements: []PoolEngagement{read("s1", "c1", "p1", 1), read("s3", "c1", "p1", 9)},
		want: PoolSplit{RevenueCents: 2000, PoolCents: 1000, AllocatedCents: 500, UnallocatedCents: 500,
			Lines:    []PoolLine{{"c1", "p1", 500}},
			Creators: []PoolCreator{{"c1", 500, 1000, 1}}},
	}, {
		// pool 40: a read with two steps of read time weighs 3, a bare one 1
		name:     "read-time bonus",
		terms:    noCap,
		payments: []PoolPayment{{"s", 80}},
		engagements: []PoolEngagement{{SupporterID: "s", CreatorID: "c1", PostID: "p1", Reads: 1, ReadBonus: 2},
			read("s", "c2", "p2", 1)},
		want: PoolSplit{RevenueCents: 80, PoolCents: 40, AllocatedCents: 40,
			Lines:    []PoolLine{{"c1", "p1", 30}, {"c2", "p2", 10}},
			Creators: []PoolCreator{{"c1", 30, 1000, 1}, {"c2", 10, 1000, 1}}},
	}, {
		name:  "no revenue",
		terms: noCap, engagements: []PoolEngagement{read("s1", "c1", "p1", 1)},
		want: PoolSplit{},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SplitPool(tt.terms, tt.payments, tt.engagements)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			if again := SplitPool(tt.terms, tt.payments, tt.engagements); !reflect.DeepEqual(again, got) {
				t.Errorf("a second computation gave %+v, want %+v", again, got)
			}
		})
	}
}
