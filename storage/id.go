package storage

import (
	"crypto/rand"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
)

// idSource makes time-sortable, unique ids (ULIDs). Ids made in the same
// millisecond still sort in the order they were made.
type idSource struct {
	mu      sync.Mutex
	entropy *ulid.MonotonicEntropy
}

func newIDSource() *idSource {
	return &idSource{entropy: ulid.Monotonic(rand.Reader, 0)}
}

// next returns a new id for time t. It cannot fail: a time a ULID cannot
// hold (before 1970, after the year 10889) is taken as the nearest one
// it can, since the time may be one another server sent.
func (s *idSource) next(t time.Time) string {
	ms := idMillis(t)
	s.mu.Lock()
	defer s.mu.Unlock()
	id, err := ulid.New(ms, s.entropy)
	if err != nil {
		// The ids of this millisecond used up their monotonic sequence: a
		// fresh one keeps ids unique, if not in order within it.
		s.entropy = ulid.Monotonic(rand.Reader, 0)
		id, err = ulid.New(ms, s.entropy)
	}
	if err != nil {
		id = ulid.ULID{}
		_ = id.SetTime(ms) // within range, as idMillis made it
		rand.Read(id[6:])  // never fails (crypto/rand)
	}
	return id.String()
}

// idMillis is the ULID timestamp of t, clamped to what a ULID holds.
func idMillis(t time.Time) uint64 {
	switch ms := t.UnixMilli(); {
	case ms < 0:
		return 0
	case uint64(ms) > ulid.MaxTime():
		return ulid.MaxTime()
	default:
		return uint64(ms)
	}
}
