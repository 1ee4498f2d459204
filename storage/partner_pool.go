package storage

import (
	"math/big"
	"sort"
)

// Engagement weights: how much each kind of engagement of a supporter
// with a creator's post counts towards the creator's part of that
// supporter's money. A comment costs more effort than a like, a like
// more than opening the post.
const (
	WeightRead    = 1 // each UTC day the supporter opened the post
	WeightLike    = 2 // the supporter liked the post this month
	WeightComment = 3 // the supporter commented on the post this month
	// ReadTimeStep of reading, in seconds, adds 1 to a day's read, up to
	// MaxReadTimeBonus: time in view counts, but cannot outweigh writing.
	ReadTimeStep     = 120
	MaxReadTimeBonus = 2
)

// PoolTerms are the partner program's settings a month is computed with.
type PoolTerms struct {
	PoolPercent     int // of the month's net supporter revenue
	MaxSharePercent int // the most of a creator's earnings one supporter may make up
}

// PoolPayment is a supporter's net payments in the month.
type PoolPayment struct {
	SupporterID string
	NetCents    int64
}

// PoolEngagement is what one supporter did with one creator's post in
// the month.
type PoolEngagement struct {
	SupporterID string
	CreatorID   string
	PostID      string
	Reads       int64 // days opened
	ReadBonus   int64 // the read-time bonus of those days together
	Liked       bool
	Commented   bool
}

// weight is the engagement's weight; reading one's own post earns nothing.
func (e PoolEngagement) weight() int64 {
	if e.SupporterID == e.CreatorID {
		return 0
	}
	w := e.Reads*WeightRead + e.ReadBonus
	if e.Liked {
		w += WeightLike
	}
	if e.Commented {
		w += WeightComment
	}
	return w
}

// PoolLine is what one post earned its creator.
type PoolLine struct {
	CreatorID string
	PostID    string
	Cents     int64
}

// PoolCreator is a creator's total, with how much of it came from the
// one supporter who gave most.
type PoolCreator struct {
	CreatorID string
	Cents     int64
	// TopSharePerMille is the top supporter's part of Cents, in
	// thousandths, rounded down.
	TopSharePerMille int64
	Supporters       int
}

// PoolSplit is a month's computed creator pool.
type PoolSplit struct {
	RevenueCents     int64
	PoolCents        int64
	AllocatedCents   int64
	UnallocatedCents int64         // the instance's: no engagement, the cap, rounding
	Lines            []PoolLine    // by creator id, then post id; none of 0 cents
	Creators         []PoolCreator // by creator id; none of 0 cents
}

// SplitPool computes a month's creator pool: PoolPercent of the net
// revenue, rounded down; each supporter's part in proportion to their
// net payments, shared among the posts they engaged with in proportion
// to the engagement's weight; no supporter makes up more than
// MaxSharePercent of a creator's earnings (what is above goes
// unallocated). Exact fractions are rounded to cents by largest
// remainder, ties by creator id then post id; the cents lost in the
// total's rounding down stay unallocated. It is a pure function: the
// same inputs always give the same split.
func SplitPool(terms PoolTerms, payments []PoolPayment, engagements []PoolEngagement) PoolSplit {
	var split PoolSplit
	net := map[string]int64{}
	for _, p := range payments {
		if p.NetCents > 0 {
			net[p.SupporterID] += p.NetCents
			split.RevenueCents += p.NetCents
		}
	}
	split.PoolCents = split.RevenueCents * int64(terms.PoolPercent) / 100
	if split.PoolCents == 0 {
		return split
	}
	// each supporter's weights, by creator and post
	total := map[string]int64{}
	for _, e := range engagements {
		if net[e.SupporterID] > 0 {
			total[e.SupporterID] += e.weight()
		}
	}
	// exact[creator][supporter][post] is the supporter's money for the post
	exact := map[string]map[string]map[string]*big.Rat{}
	for _, e := range engagements {
		w := e.weight()
		if w == 0 || total[e.SupporterID] == 0 {
			continue
		}
		part := new(big.Rat).SetFrac64(split.PoolCents*net[e.SupporterID], split.RevenueCents)
		part.Mul(part, big.NewRat(w, total[e.SupporterID]))
		bySupporter := exact[e.CreatorID]
		if bySupporter == nil {
			bySupporter = map[string]map[string]*big.Rat{}
			exact[e.CreatorID] = bySupporter
		}
		byPost := bySupporter[e.SupporterID]
		if byPost == nil {
			byPost = map[string]*big.Rat{}
			bySupporter[e.SupporterID] = byPost
		}
		if byPost[e.PostID] == nil {
			byPost[e.PostID] = new(big.Rat)
		}
		byPost[e.PostID].Add(byPost[e.PostID], part)
	}
	var lines []exactLine
	for _, creator := range sortedKeys(exact) {
		c, creatorLines := capCreator(creator, exact[creator], terms.MaxSharePercent)
		split.Creators = append(split.Creators, c)
		lines = append(lines, creatorLines...)
	}
	split.Lines = roundLines(lines)
	byCreator := map[string]int64{}
	for _, l := range split.Lines {
		byCreator[l.CreatorID] += l.Cents
		split.AllocatedCents += l.Cents
	}
	earning := split.Creators[:0]
	for _, c := range split.Creators {
		if c.Cents = byCreator[c.CreatorID]; c.Cents > 0 {
			earning = append(earning, c)
		}
	}
	split.Creators = nil
	if len(earning) > 0 {
		split.Creators = earning
	}
	split.UnallocatedCents = split.PoolCents - split.AllocatedCents
	return split
}

// exactLine is a post's earnings before rounding.
type exactLine struct {
	creator, post string
	amount        *big.Rat
}

// capCreator applies the per-supporter cap to one creator's money from
// each supporter (bySupporter[supporter][post]) and returns the
// creator's summary (without its rounded total) and the posts' exact
// earnings.
func capCreator(creator string, bySupporter map[string]map[string]*big.Rat, maxPercent int) (PoolCreator, []exactLine) {
	given := map[string]*big.Rat{}
	for s, posts := range bySupporter {
		sum := new(big.Rat)
		for _, a := range posts {
			sum.Add(sum, a)
		}
		given[s] = sum
	}
	limit := capLimit(given, maxPercent)
	earned, top := new(big.Rat), new(big.Rat)
	posts := map[string]*big.Rat{}
	for s, byPost := range bySupporter {
		scale := big.NewRat(1, 1)
		if limit != nil && given[s].Cmp(limit) > 0 {
			scale.Quo(limit, given[s])
		}
		kept := new(big.Rat).Mul(given[s], scale)
		earned.Add(earned, kept)
		if kept.Cmp(top) > 0 {
			top = kept
		}
		for p, a := range byPost {
			if posts[p] == nil {
				posts[p] = new(big.Rat)
			}
			posts[p].Add(posts[p], new(big.Rat).Mul(a, scale))
		}
	}
	c := PoolCreator{CreatorID: creator, Supporters: len(bySupporter)}
	if earned.Sign() > 0 {
		share := new(big.Rat).Quo(top, earned)
		share.Mul(share, big.NewRat(1000, 1))
		c.TopSharePerMille = new(big.Int).Quo(share.Num(), share.Denom()).Int64()
	}
	var lines []exactLine
	for _, p := range sortedKeys(posts) {
		lines = append(lines, exactLine{creator: creator, post: p, amount: posts[p]})
	}
	return c, lines
}

// capLimit is the most any one supporter's money may be for a creator so
// that it makes up at most maxPercent of what the creator earns: the
// largest T with T <= maxPercent% of the sum of min(given, T). Nil when
// no supporter reaches it.
func capLimit(given map[string]*big.Rat, maxPercent int) *big.Rat {
	if maxPercent >= 100 {
		return nil
	}
	k := big.NewRat(int64(maxPercent), 100)
	amounts := make([]*big.Rat, 0, len(given))
	sum := new(big.Rat)
	for _, a := range given {
		amounts = append(amounts, a)
		sum.Add(sum, a)
	}
	sort.Slice(amounts, func(i, j int) bool { return amounts[i].Cmp(amounts[j]) > 0 })
	if new(big.Rat).Mul(k, sum).Cmp(amounts[0]) >= 0 {
		return nil
	}
	// the top j supporters are held to T, the rest keep theirs:
	// T = k (j T + rest)  =>  T = k rest / (1 - k j)
	rest := new(big.Rat).Set(sum)
	for j := 1; j <= len(amounts); j++ {
		rest.Sub(rest, amounts[j-1])
		denom := new(big.Rat).Sub(big.NewRat(1, 1), new(big.Rat).Mul(k, big.NewRat(int64(j), 1)))
		if denom.Sign() <= 0 {
			break
		}
		t := new(big.Rat).Quo(new(big.Rat).Mul(k, rest), denom)
		if t.Cmp(amounts[j-1]) <= 0 && (j == len(amounts) || t.Cmp(amounts[j]) >= 0) {
			return t
		}
	}
	return new(big.Rat) // one supporter alone can make up no capped share
}

// roundLines rounds the exact earnings to cents: each down, then the
// cents that the exact total holds beyond the rounded ones go one each
// to the largest remainders, ties by creator id then post id. Lines of
// no cents are left out.
func roundLines(lines []exactLine) []PoolLine {
	out := make([]PoolLine, len(lines))
	rems := make([]*big.Rat, len(lines))
	total, floors := new(big.Rat), int64(0)
	for i, l := range lines {
		whole := new(big.Int).Quo(l.amount.Num(), l.amount.Denom())
		out[i] = PoolLine{CreatorID: l.creator, PostID: l.post, Cents: whole.Int64()}
		rems[i] = new(big.Rat).Sub(l.amount, new(big.Rat).SetInt(whole))
		total.Add(total, l.amount)
		floors += whole.Int64()
	}
	extra := new(big.Int).Quo(total.Num(), total.Denom()).Int64() - floors
	order := make([]int, len(lines))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		if c := rems[order[a]].Cmp(rems[order[b]]); c != 0 {
			return c > 0
		}
		la, lb := out[order[a]], out[order[b]]
		if la.CreatorID != lb.CreatorID {
			return la.CreatorID < lb.CreatorID
		}
		return la.PostID < lb.PostID
	})
	for i := int64(0); i < extra && int(i) < len(order); i++ {
		out[order[i]].Cents++
	}
	var kept []PoolLine
	for _, l := range out {
		if l.Cents > 0 {
			kept = append(kept, l)
		}
	}
	return kept
}

// sortedKeys returns a map's keys in order, so that nothing depends on
// Go's map order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
