package api

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// maxRateKeys bounds the memory of the rate limit: past it, the key used
// least recently is forgotten (and starts afresh if it comes back).
const maxRateKeys = 50_000

// rateWindows counts requests per key in fixed windows, as Mastodon
// does, so that X-RateLimit-Reset names the window's end.
type rateWindows struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	max    int
	keys   map[string]*list.Element
	order  *list.List // least recently used at the back
	now    func() time.Time
}

type rateWindow struct {
	key   string
	start time.Time
	count int
}

func newRateWindows(limit int, window time.Duration, max int) *rateWindows {
	return &rateWindows{limit: limit, window: window, max: max, keys: map[string]*list.Element{}, order: list.New(), now: time.Now}
}

// take counts one request of key and returns how many remain in its
// window (negative when over the limit) and when the window ends.
func (l *rateWindows) take(key string) (remaining int, reset time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var w *rateWindow
	if e, ok := l.keys[key]; ok {
		l.order.MoveToFront(e)
		w = e.Value.(*rateWindow)
	} else {
		w = &rateWindow{key: key}
		l.keys[key] = l.order.PushFront(w)
		for len(l.keys) > l.max {
			last := l.order.Back()
			l.order.Remove(last)
			delete(l.keys, last.Value.(*rateWindow).key)
		}
	}
	if !now.Before(w.start.Add(l.window)) {
		w.start, w.count = now.Truncate(time.Second), 0
	}
	w.count++
	return l.limit - w.count, w.start.Add(l.window)
}

// allow counts the request against its token, or its address without
// one, sets Mastodon's X-RateLimit headers, and answers 429 when the
// limit is passed. A token is kept only as a hash in memory.
func (a *API) allow(w http.ResponseWriter, r *http.Request) bool {
	key := "ip " + a.cfg.ClientIP(r)
	if token := bearerToken(r); token != "" {
		sum := sha256.Sum256([]byte(token))
		key = "token " + hex.EncodeToString(sum[:16])
	}
	remaining, reset := a.limits.take(key)
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(a.limits.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(remaining, 0)))
	h.Set("X-RateLimit-Reset", reset.UTC().Format("2006-01-02T15:04:05.000Z"))
	if remaining < 0 {
		h.Set("Retry-After", strconv.Itoa(int(time.Until(reset).Seconds())+1))
		writeError(w, http.StatusTooManyRequests, "Too many requests")
		return false
	}
	return true
}
