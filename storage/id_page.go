package storage

import "slices"

// IDPage is a page of a list whose items have time-sortable ids (ULIDs,
// which sort lexically by time), as the client API pages: MaxID takes
// items older than it, SinceID the newest items newer than it, MinID the
// items right after it (the oldest newer ones). Limit caps the count.
// Every listing operation that a client pages through takes one, so the
// paging rules are written once.
type IDPage struct {
	MaxID   string
	SinceID string
	MinID   string
	Limit   int
}

// Bounds of IDPage.Limit; a listing asked for none gets the default.
const (
	DefaultPageLimit = 20
	MaxPageLimit     = 200
)

// limit is the number of items the page holds at most.
func (p IDPage) limit() int {
	switch {
	case p.Limit <= 0:
		return DefaultPageLimit
	case p.Limit > MaxPageLimit:
		return MaxPageLimit
	}
	return p.Limit
}

// oldestFirst reports whether the page is read from its old end: with
// MinID the items right after it are wanted, not the newest ones.
func (p IDPage) oldestFirst() bool {
	return p.MinID != "" && p.SinceID == ""
}

// clause returns the condition on column (a column name of our own, never
// input) and its arguments, and the ORDER BY ... LIMIT that ends the
// query. The condition is "1" when the page has no bounds, so callers
// can always write "WHERE ... AND " + cond.
func (p IDPage) clause(column string) (cond string, args []any, orderLimit string) {
	cond = "1"
	if p.MaxID != "" {
		cond += " AND " + column + " < ?"
		args = append(args, p.MaxID)
	}
	lower := max(p.SinceID, p.MinID) // both mean "newer than"; the later wins
	if lower != "" {
		cond += " AND " + column + " > ?"
		args = append(args, lower)
	}
	order := " DESC"
	if p.oldestFirst() {
		order = " ASC"
	}
	args = append(args, p.limit())
	return cond, args, "ORDER BY " + column + order + " LIMIT ?"
}

// newestFirst puts the items a page read oldest first into the order
// every page is returned in.
func newestFirst[T any](p IDPage, items []T) {
	if p.oldestFirst() {
		slices.Reverse(items)
	}
}
