package storage

import "time"

// earliestRemoteTime is the earliest time taken from another server: the
// Unix epoch. Stored times and ids count from it, so nothing earlier can
// be kept, and no post of the fediverse is that old.
var earliestRemoteTime = time.Unix(0, 0).UTC()

// remoteTime brings a time another server sent (a publication, an edit,
// an account's creation) into the range a stored time may have: not
// before the epoch, and never in the future, where it would pin a post to
// the top of feeds or make every later edit look older. The zero time,
// unknown, stays unknown.
func remoteTime(t, now time.Time) time.Time {
	switch {
	case t.IsZero():
		return t
	case t.Before(earliestRemoteTime):
		return earliestRemoteTime
	case t.After(now):
		return now
	}
	return t
}
