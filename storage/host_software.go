package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// How long what a server's NodeInfo said of its software is believed
// before it is read again; a server that could not tell is asked again
// sooner.
const (
	HostSoftwareMaxAge       = 7 * 24 * time.Hour
	HostSoftwareRetryUnknown = time.Hour
)

// maxSoftwareName bounds a software name; NodeInfo's are short words.
const maxSoftwareName = 64

// HostSoftware is what a server said it runs: Name as its NodeInfo
// gives software.name, "" when it could not be read; ReadAt when that was
// (zero when it was never asked).
type HostSoftware struct {
	Name   string
	ReadAt time.Time
}

// Stale reports whether the software should be read again at now.
func (s HostSoftware) Stale(now time.Time) bool {
	if s.ReadAt.IsZero() {
		return true
	}
	age := HostSoftwareMaxAge
	if s.Name == "" {
		age = HostSoftwareRetryUnknown
	}
	return !now.Before(s.ReadAt.Add(age))
}

// SoftwareOf returns what is known of a server's software.
func (db *DB) SoftwareOf(ctx context.Context, host string) (HostSoftware, error) {
	var s HostSoftware
	err := db.read(ctx, func(tx *Tx) error {
		var readAt sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT software, software_read_at FROM hosts WHERE host = ?`,
			strings.ToLower(host)).Scan(&s.Name, &readAt)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("software of %s: %w", host, err)
		}
		if readAt.Valid {
			s.ReadAt = time.UnixMilli(readAt.Int64).UTC()
		}
		return nil
	})
	return s, err
}

// RecordSoftware records what a server's NodeInfo names as its software,
// or "" when it could not be read. A name is a NodeInfo software name:
// lowercase letters, digits and hyphens.
func (db *DB) RecordSoftware(ctx context.Context, host, name string) error {
	if !validSoftwareName(name) {
		return Errorf(EInvalid, "%q is not a NodeInfo software name.", name)
	}
	return db.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO hosts (host, software, software_read_at) VALUES (?, ?, ?)
			ON CONFLICT (host) DO UPDATE SET software = excluded.software, software_read_at = excluded.software_read_at`,
			strings.ToLower(host), name, millis(tx.now))
		if err != nil {
			return fmt.Errorf("record software of %s: %w", host, err)
		}
		return nil
	})
}

// validSoftwareName reports whether name fits NodeInfo's software.name
// (^[a-z0-9-]+$), or is empty.
func validSoftwareName(name string) bool {
	if len(name) > maxSoftwareName {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}
