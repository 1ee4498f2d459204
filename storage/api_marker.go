package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// The timelines a marker is kept for.
const (
	MarkerHome          = "home"
	MarkerNotifications = "notifications"
)

// maxMarkerID bounds the id an app says it last read: ours are ULIDs.
const maxMarkerID = 100

// Marker is where a member's apps last read a timeline.
type Marker struct {
	Timeline   string
	LastReadID string
	Version    int
	UpdatedAt  time.Time
}

// Markers returns the member's markers of the timelines asked, by
// timeline; one never set is absent. Unknown timelines are ignored.
func (db *DB) Markers(ctx context.Context, memberID string, timelines []string) (map[string]*Marker, error) {
	out := map[string]*Marker{}
	err := db.read(ctx, func(tx *Tx) error {
		for _, name := range timelines {
			var m Marker
			var updated int64
			err := tx.QueryRowContext(ctx, `SELECT timeline, last_read_id, version, updated_at FROM api_markers
				WHERE member_id = ? AND timeline = ?`, memberID, name).Scan(&m.Timeline, &m.LastReadID, &m.Version, &updated)
			if errors.Is(err, sql.ErrNoRows) {
				continue // never set, or no such timeline
			}
			if err != nil {
				return err
			}
			m.UpdatedAt = fromMillis(updated)
			out[name] = &m
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("markers of %s: %w", memberID, err)
	}
	return out, nil
}

// SetMarker records that the member read the timeline up to the id,
// counting a version more. Setting the notifications marker also marks
// the notices up to it read, as looking at the site's page does, so that
// the site's badge and the apps agree.
func (db *DB) SetMarker(ctx context.Context, memberID, timeline, lastReadID string) (*Marker, error) {
	if timeline != MarkerHome && timeline != MarkerNotifications {
		return nil, Errorf(EInvalid, "A marker is kept for home or notifications, not %q.", timeline)
	}
	if lastReadID == "" || len(lastReadID) > maxMarkerID || !utf8.ValidString(lastReadID) {
		return nil, Errorf(EInvalid, "last_read_id must be the id of an item of the timeline.")
	}
	m := &Marker{Timeline: timeline, LastReadID: lastReadID}
	err := db.write(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO api_markers (member_id, timeline, last_read_id, version, updated_at)
			VALUES (?, ?, ?, 1, ?) ON CONFLICT (member_id, timeline) DO UPDATE
			SET last_read_id = excluded.last_read_id, version = version + 1, updated_at = excluded.updated_at
			RETURNING version`, memberID, timeline, lastReadID, millis(tx.now)).Scan(&m.Version)
		if err != nil {
			return err
		}
		m.UpdatedAt = fromMillis(millis(tx.now))
		if timeline == MarkerNotifications {
			return tx.markNotificationsRead(ctx, memberID, lastReadID)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("set %s marker of %s: %w", timeline, memberID, err)
	}
	return m, nil
}
