package federation

import (
	"sync/atomic"

	"github.com/tidings-social/tidings/storage"
)

// inboxHandoffSize and inboxHandoffBytes bound the activities the inbox
// hands to the workers in memory, and their bodies' bytes. An activity
// that finds no place is stored unclaimed and claimed from the database
// as before, so a flood of large activities holds little in memory.
const (
	inboxHandoffSize  = 4096
	inboxHandoffBytes = 16 << 20
)

// inboxHandoff passes activities from the inbox to the workers without a
// claim of their own: the inbox stores each one claimed already (see
// storage.NewInbound.Hold) when a place is free here and the workers are
// running, and a worker takes it from here instead of from the database.
// What is here when the process stops stays claimed in the database, and
// the next start releases it (see Run).
type inboxHandoff struct {
	places  chan struct{} // one per activity reserved or waiting
	bytes   atomic.Int64  // the bodies' bytes reserved or waiting
	waiting chan *storage.Inbound
	// running is set while the workers run: the inbox holds nothing
	// before Run has released the claims of an earlier process.
	running atomic.Bool
}

func newInboxHandoff() *inboxHandoff {
	return &inboxHandoff{places: make(chan struct{}, inboxHandoffSize),
		waiting: make(chan *storage.Inbound, inboxHandoffSize)}
}

// reserve takes a place for an activity of size bytes about to be
// stored, and reports whether there was one.
func (h *inboxHandoff) reserve(size int) bool {
	if !h.running.Load() {
		return false
	}
	if h.bytes.Add(int64(size)) > inboxHandoffBytes {
		h.bytes.Add(-int64(size))
		return false
	}
	select {
	case h.places <- struct{}{}:
		return true
	default:
		h.bytes.Add(-int64(size))
		return false
	}
}

// put hands over the activity stored in a place reserved for size bytes,
// or gives the place back when the activity was not held (stored before,
// or waiting behind another with its order key).
func (h *inboxHandoff) put(in *storage.Inbound, size int) {
	if in == nil {
		h.release(size)
		return
	}
	h.waiting <- in // never blocks: there is a place for it
}

// take returns an activity handed over, or nil when none waits.
func (h *inboxHandoff) take() *storage.Inbound {
	select {
	case in := <-h.waiting:
		return h.taken(in)
	default:
		return nil
	}
}

// arrivals is where an idle worker waits for the next activity: each
// reaches one worker only. What it receives there it passes to taken.
func (h *inboxHandoff) arrivals() <-chan *storage.Inbound { return h.waiting }

// taken gives back the place of an activity received from arrivals, and
// returns it.
func (h *inboxHandoff) taken(in *storage.Inbound) *storage.Inbound {
	h.release(len(in.Body))
	return in
}

// release gives back a place and its bytes.
func (h *inboxHandoff) release(size int) {
	<-h.places
	h.bytes.Add(-int64(size))
}

// drop empties the handoff: what it held was released to the database.
func (h *inboxHandoff) drop() {
	for h.take() != nil {
	}
}
