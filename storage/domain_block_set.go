package storage

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// DomainBlocksRefresh is how long the in-memory copy of the domain
// blocks is trusted before it is read again: changes made here apply at
// once, those made by another process (the admin commands) within it.
const DomainBlocksRefresh = 2 * time.Second

// domainSet is the domain blocks in memory, so that asking about a host,
// as every inbox request does, costs a few map lookups.
type domainSet struct {
	mu       sync.RWMutex
	levels   map[string]DomainLevel
	loadedAt time.Time // by the monotonic clock; zero: load before use
	// changes counts invalidations, so that a load that read the table
	// before a change and finishes after it is not taken as fresh.
	changes int
}

// invalidate makes the next question read the table again.
func (s *domainSet) invalidate() {
	s.mu.Lock()
	s.loadedAt = time.Time{}
	s.changes++
	s.mu.Unlock()
}

// DomainLevel is how the instance treats the server at host (host[:port]
// of an actor, a key or a URL): DomainNone, DomainLimit or DomainSuspend,
// the strongest of the blocks that cover it.
func (db *DB) DomainLevel(ctx context.Context, host string) (DomainLevel, error) {
	s := &db.domains
	s.mu.RLock()
	fresh := !s.loadedAt.IsZero() && time.Since(s.loadedAt) < DomainBlocksRefresh
	levels := s.levels
	s.mu.RUnlock()
	if !fresh {
		var err error
		if levels, err = db.loadDomainLevels(ctx); err != nil {
			return DomainNone, err
		}
	}
	return levelOf(levels, host), nil
}

// loadDomainLevels reads the blocks into the in-memory set.
func (db *DB) loadDomainLevels(ctx context.Context) (map[string]DomainLevel, error) {
	db.domains.mu.RLock()
	changes := db.domains.changes
	db.domains.mu.RUnlock()
	list, err := db.DomainBlocks(ctx)
	if err != nil {
		return nil, fmt.Errorf("load domain blocks: %w", err)
	}
	levels := make(map[string]DomainLevel, len(list))
	for _, b := range list {
		levels[b.Host] = b.Level
	}
	db.domains.mu.Lock()
	if db.domains.changes == changes {
		db.domains.levels, db.domains.loadedAt = levels, time.Now()
	}
	db.domains.mu.Unlock()
	return levels, nil
}

// levelOf is the strongest level in levels of an entry covering host.
func levelOf(levels map[string]DomainLevel, host string) DomainLevel {
	if len(levels) == 0 || host == "" {
		return DomainNone
	}
	level := DomainNone
	for _, entry := range coveringEntries(host) {
		switch levels[entry] {
		case DomainSuspend:
			return DomainSuspend
		case DomainLimit:
			level = DomainLimit
		}
	}
	return level
}

// coveringEntries are the entries that would cover host: each of its
// parent domains, with its port and without.
func coveringEntries(host string) []string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	name, port := host, ""
	if h, p, err := net.SplitHostPort(host); err == nil {
		name, port = h, p
	}
	if net.ParseIP(name) != nil {
		if port == "" {
			return []string{name}
		}
		return []string{net.JoinHostPort(name, port), name}
	}
	var entries []string
	for d := name; d != ""; {
		if port != "" {
			entries = append(entries, net.JoinHostPort(d, port))
		}
		entries = append(entries, d)
		_, rest, ok := strings.Cut(d, ".")
		if !ok {
			break
		}
		d = rest
	}
	return entries
}

// DomainCovers reports whether a block of entry (as NormalizeDomain gives
// it) covers host: the same host or a subdomain, on the entry's port if
// it names one.
func DomainCovers(entry, host string) bool {
	return levelOf(map[string]DomainLevel{entry: DomainSuspend}, host) == DomainSuspend
}

// suspended reports whether the server at host is suspended; if the
// blocks cannot be read, it is taken as not, as before the blocks were
// read, so that a read failure never loses a delivery.
func (db *DB) suspended(ctx context.Context, host string) bool {
	level, _ := db.DomainLevel(ctx, host)
	return level == DomainSuspend
}

// limited reports whether the server at host is limited (or suspended,
// should anything of it get this far).
func (db *DB) limited(ctx context.Context, host string) bool {
	level, _ := db.DomainLevel(ctx, host)
	return level != DomainNone
}
