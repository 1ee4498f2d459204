package storage

import (
	"sync"
	"time"
)

// hostsSeenUp remembers the servers HostAnswered found available, for a
// second, so that a server delivering many activities at once costs one
// read a second instead of one each. Marking a server unavailable forgets
// it at once (see hostFailed), so the memory hides that a server is back
// for no more than a second, and only when the mark and an activity from
// it cross.
type hostsSeenUp struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

// hostSeenFor is how long a server found available is taken as such;
// hostsSeenLimit bounds the servers remembered.
const (
	hostSeenFor    = time.Second
	hostsSeenLimit = 10_000
)

// recent reports whether the server was found available within
// hostSeenFor of now.
func (h *hostsSeenUp) recent(host string, now time.Time) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	at, ok := h.seen[host]
	return ok && now.Sub(at) < hostSeenFor && !now.Before(at)
}

// saw remembers the server as available at now.
func (h *hostsSeenUp) saw(host string, now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.seen == nil || len(h.seen) >= hostsSeenLimit {
		h.seen = map[string]time.Time{} // the memory starts again; reads come back
	}
	h.seen[host] = now
}

// forget drops the server.
func (h *hostsSeenUp) forget(host string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.seen, host)
}
