package web

import (
	"fmt"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when told to.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }

func TestRateLimiterAllowsTheHourlyNumberAtOnce(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}
	l := newRateLimiter(6, clock.Now, "")
	for i := 0; i < 6; i++ {
		if wait := l.take("alice"); wait != 0 {
			t.Fatalf("take %d: wait %v, want none", i+1, wait)
		}
	}
	if wait := l.take("alice"); wait != 10*time.Minute {
		t.Errorf("seventh take: wait %v, want 10m (six an hour refill one every ten minutes)", wait)
	}
	if wait := l.take("bob"); wait != 0 {
		t.Errorf("another key waits %v", wait)
	}
	clock.now = clock.now.Add(9 * time.Minute)
	// The limiter's arithmetic is in floating point: allow a second.
	if wait := l.take("alice"); wait < 59*time.Second || wait > time.Minute {
		t.Errorf("after 9 minutes: wait %v, want 1m; refused takes must not use the allowance", wait)
	}
	clock.now = clock.now.Add(time.Minute)
	if wait := l.take("alice"); wait != 0 {
		t.Errorf("after 10 minutes: wait %v, want none", wait)
	}
	if wait := l.take("alice"); wait == 0 {
		t.Error("one refilled, two taken")
	}
}

func TestRateLimiterForgetsIdleKeys(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}
	l := newRateLimiter(2, clock.Now, "")
	for i := 0; i < 100; i++ {
		l.take(fmt.Sprintf("192.0.2.%d", i))
	}
	if n := len(l.buckets); n != 100 {
		t.Fatalf("%d keys, want 100", n)
	}
	clock.now = clock.now.Add(30 * time.Minute)
	l.take("192.0.2.0")
	clock.now = clock.now.Add(30 * time.Minute)
	l.take("198.51.100.1")
	// Only the key used half an hour ago is kept beside the new one.
	if n := len(l.buckets); n != 2 {
		t.Errorf("after an hour: %d keys, want 2", n)
	}
	if _, ok := l.buckets["192.0.2.0"]; !ok {
		t.Error("a key used within the hour was forgotten")
	}
}

func TestRateLimiterKeepsAtMostMaxKeys(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}
	l := newRateLimiter(1, clock.Now, "")
	l.maxKeys = 3
	for _, key := range []string{"a", "b", "c"} {
		l.take(key)
	}
	l.take("a") // a is now the most recently used; b the least
	l.take("d")
	if n := len(l.buckets); n != 3 {
		t.Errorf("%d keys, want 3", n)
	}
	if _, ok := l.buckets["b"]; ok {
		t.Error("the least recently used key was kept")
	}
	if wait := l.take("a"); wait == 0 {
		t.Error("a recently used key was forgotten: its allowance came back")
	}
}
