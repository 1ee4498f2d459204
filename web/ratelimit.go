package web

import (
	"container/list"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/tidings-social/tidings/storage"
	"github.com/tidings-social/tidings/web/api"
)

// Limits are how often one member, or one network, may do the things
// that cost this server or its readers most. Each is a number an hour:
// that many may come at once, and the allowance refills evenly over the
// hour. docs/decisions.md says why each default is what it is.
type Limits struct {
	SignUpsPerHour       int // attempts to join, per network address
	PostsPerHour         int // news and discussions, per member
	CommentsPerHour      int // comments and replies, per member
	RemoteLookupsPerHour int // searches and link previews that fetch from other servers, per member
	FlagsPerHour         int // flags of posts, comments and accounts, per member
}

// DefaultLimits are the limits an instance runs with unless its config
// says otherwise.
func DefaultLimits() Limits {
	return Limits{SignUpsPerHour: 10, PostsPerHour: 10, CommentsPerHour: 60, RemoteLookupsPerHour: 30, FlagsPerHour: 30}
}

// rateLimits holds the site's limiters, one for each kind of request.
type rateLimits struct {
	signUps, posts, comments, remoteLookups, flags *rateLimiter
}

func newRateLimits(l Limits) *rateLimits {
	d := DefaultLimits()
	pick := func(n, def int) int {
		if n > 0 {
			return n
		}
		return def
	}
	return &rateLimits{
		signUps: newRateLimiter(pick(l.SignUpsPerHour, d.SignUpsPerHour), time.Now,
			"Many accounts were made from your network lately. Please try again in %s."),
		posts: newRateLimiter(pick(l.PostsPerHour, d.PostsPerHour), time.Now,
			"You have posted a lot in a short time, more than this server takes. You can post again in %s."),
		comments: newRateLimiter(pick(l.CommentsPerHour, d.CommentsPerHour), time.Now,
			"You have commented a lot in a short time, more than this server takes. You can comment again in %s."),
		remoteLookups: newRateLimiter(pick(l.RemoteLookupsPerHour, d.RemoteLookupsPerHour), time.Now,
			"You have looked up a lot on other servers in a short time. You can look up more in %s."),
		flags: newRateLimiter(pick(l.FlagsPerHour, d.FlagsPerHour), time.Now,
			"You have flagged a lot in a short time, more than the moderators can read. You can flag again in %s."),
	}
}

// allow takes one from key's allowance in l. When none is left it sets
// Retry-After and returns the refusal to show, coded ERateLimited.
func (s *Server) allow(w http.ResponseWriter, l *rateLimiter, key string) error {
	wait := l.take(key)
	if wait == 0 {
		return nil
	}
	setRetryAfter(w, wait)
	return storage.Errorf(storage.ERateLimited, l.refusal, minutes(wait))
}

// apiAllowance is the site's limits for the client API
// (api.Config.Allowance): an app's statuses, reports and remote lookups
// count against the same allowance as the compose page, the comment
// form, the flag forms and the search page.
func (s *Server) apiAllowance(action, memberID string) error {
	l := s.limits.posts
	switch action {
	case api.ActionComment:
		l = s.limits.comments
	case api.ActionFlag:
		l = s.limits.flags
	case api.ActionLookup:
		l = s.limits.remoteLookups
	}
	if wait := l.take(memberID); wait > 0 {
		return storage.Errorf(storage.ERateLimited, l.refusal, minutes(wait))
	}
	return nil
}

// setRetryAfter tells the client in how many whole seconds to come back.
func setRetryAfter(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
}

// minutes says a wait in whole minutes, rounded up.
func minutes(d time.Duration) string {
	n := int((d + time.Minute - 1) / time.Minute)
	if n <= 1 {
		return "a minute"
	}
	return fmt.Sprintf("%d minutes", n)
}

// maxLimitedKeys bounds the keys a limiter remembers, so that requests
// from ever new addresses cannot grow it without end: past it, the key
// used least recently is forgotten.
const maxLimitedKeys = 50_000

// rateLimiter keeps a token bucket (golang.org/x/time/rate) for each
// key, a member's id or a network. A bucket unused for an hour is full
// again, as good as new, so it is forgotten.
type rateLimiter struct {
	limit   rate.Limit
	burst   int
	idle    time.Duration
	maxKeys int
	now     func() time.Time
	refusal string // with %s for the wait

	mu      sync.Mutex
	buckets map[string]*list.Element // of *bucket
	recent  *list.List               // most recently used first
}

// bucket is the allowance of one key.
type bucket struct {
	key  string
	lim  *rate.Limiter
	used time.Time
}

func newRateLimiter(perHour int, now func() time.Time, refusal string) *rateLimiter {
	return &rateLimiter{
		limit:   rate.Limit(float64(perHour) / time.Hour.Seconds()),
		burst:   perHour,
		idle:    time.Hour,
		maxKeys: maxLimitedKeys,
		now:     now,
		refusal: refusal,
		buckets: map[string]*list.Element{},
		recent:  list.New(),
	}
}

// take uses one of key's allowance and returns 0, or, when none is left,
// takes nothing and returns how long until one is.
func (l *rateLimiter) take(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.forgetIdle(now)
	b := l.bucketOf(key, now)
	r := b.lim.ReserveN(now, 1)
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now)
		return wait
	}
	return 0
}

// bucketOf returns key's bucket, made full if it has none, as the most
// recently used.
func (l *rateLimiter) bucketOf(key string, now time.Time) *bucket {
	if e, ok := l.buckets[key]; ok {
		l.recent.MoveToFront(e)
		b := e.Value.(*bucket)
		b.used = now
		return b
	}
	if l.recent.Len() >= l.maxKeys {
		l.forget(l.recent.Back())
	}
	b := &bucket{key: key, lim: rate.NewLimiter(l.limit, l.burst), used: now}
	l.buckets[key] = l.recent.PushFront(b)
	return b
}

// forgetIdle drops the buckets unused for so long that they are full.
func (l *rateLimiter) forgetIdle(now time.Time) {
	for e := l.recent.Back(); e != nil && now.Sub(e.Value.(*bucket).used) >= l.idle; e = l.recent.Back() {
		l.forget(e)
	}
}

func (l *rateLimiter) forget(e *list.Element) {
	delete(l.buckets, e.Value.(*bucket).key)
	l.recent.Remove(e)
}
