package api

import "sync"

// keyLocks makes the requests that carry the same member's
// Idempotency-Key wait for each other, so that an app retrying before
// its first request was answered gets the one status, not two: the key
// is looked up before publishing and recorded after. One process serves
// the instance, so a lock in memory suffices. Entries live only while
// requests hold or wait for them.
type keyLocks struct {
	mu   sync.Mutex
	held map[string]*keyLock
}

type keyLock struct {
	sync.Mutex
	users int // requests holding or waiting for it
}

// lock takes the lock of key and returns its release.
func (l *keyLocks) lock(key string) (unlock func()) {
	l.mu.Lock()
	if l.held == nil {
		l.held = map[string]*keyLock{}
	}
	k := l.held[key]
	if k == nil {
		k = &keyLock{}
		l.held[key] = k
	}
	k.users++
	l.mu.Unlock()
	k.Lock()
	return func() {
		k.Unlock()
		l.mu.Lock()
		if k.users--; k.users == 0 {
			delete(l.held, key)
		}
		l.mu.Unlock()
	}
}
