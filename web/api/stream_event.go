package api

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/tidings-social/tidings/storage"
)

// streamEvent is one message of a stream (mdoc methods/streaming.md
// #events): Payload is the entity's JSON as a string, or a deleted
// status's id.
type streamEvent struct {
	Stream  []string `json:"stream"`
	Event   string   `json:"event"`
	Payload string   `json:"payload"`
}

// Mastodon's event names.
const (
	eventUpdate       = "update"
	eventStatusUpdate = "status.update"
	eventDelete       = "delete"
	eventNotification = "notification"
)

// streamEvents are the events a change makes on the stream's
// subscriptions, each judged for the stream's member: a post is sent on
// a timeline's stream only if that timeline lists it for them.
func (a *API) streamEvents(ctx context.Context, s *stream, c storage.Change, subs []subscription) []streamEvent {
	var out []streamEvent
	var payload string // the entity, built once for all the subscriptions
	for _, sub := range subs {
		event := ""
		switch c.Kind {
		case storage.ChangePostCreated, storage.ChangePostUpdated:
			if !a.streamsPost(ctx, s.memberID, c.PostID, sub) {
				continue
			}
			if payload == "" {
				payload = a.streamedStatus(ctx, s.memberID, c.PostID)
			}
			event = eventUpdate
			if c.Kind == storage.ChangePostUpdated {
				event = eventStatusUpdate
			}
		case storage.ChangeBoosted:
			timeline, ok := sub.timeline()
			if !ok {
				continue
			}
			entry, err := a.db.StreamedBoost(ctx, s.memberID, c.BoostID, timeline)
			if err != nil {
				continue
			}
			if payload == "" {
				payload = a.streamedEntry(ctx, s.memberID, entry)
			}
			event = eventUpdate
		case storage.ChangePostDeleted:
			if _, ok := sub.timeline(); !ok || !(c.Listed || slices.Contains(c.Audience, s.memberID)) {
				continue
			}
			event, payload = eventDelete, c.PostID
		case storage.ChangeNotified:
			if !sub.notifies() || c.MemberID != s.memberID {
				continue
			}
			if payload == "" {
				payload = a.streamedNotification(ctx, s.memberID, c.NotificationID)
			}
			event = eventNotification
		}
		if event != "" && payload != "" {
			out = append(out, streamEvent{Stream: sub.names(), Event: event, Payload: payload})
		}
	}
	return out
}

// streamsPost reports whether the subscription's timeline lists the
// post for the member (storage decides, as for the timeline itself).
func (a *API) streamsPost(ctx context.Context, memberID, postID string, sub subscription) bool {
	timeline, ok := sub.timeline()
	if !ok {
		return false
	}
	_, err := a.db.StreamedPost(ctx, memberID, postID, timeline)
	if err != nil && storage.ErrorCode(err) != storage.ENotFound {
		a.log.Warn("stream a post", "post", postID, "err", err)
	}
	return err == nil
}

// streamedStatus is the post's Status for the member as JSON, "" if it
// cannot be shown to them.
func (a *API) streamedStatus(ctx context.Context, memberID, postID string) string {
	p, err := a.db.VisiblePost(ctx, memberID, postID)
	if err != nil {
		return ""
	}
	st, err := a.status(ctx, memberID, p)
	if err != nil {
		a.log.Warn("stream a status", "post", postID, "err", err)
		return ""
	}
	return jsonString(st)
}

// streamedEntry is a boost entry's reblog Status for the member as
// JSON, "" if it cannot be built.
func (a *API) streamedEntry(ctx context.Context, memberID string, entry *storage.Post) string {
	list, err := a.statuses(ctx, memberID, []*storage.Post{entry})
	if err != nil {
		a.log.Warn("stream a reblog", "boost", entry.EntryID(), "err", err)
		return ""
	}
	return jsonString(list[0])
}

// streamedNotification is the member's notification as JSON, "" if the
// API shows it not (a kind with no Mastodon type, a post gone).
func (a *API) streamedNotification(ctx context.Context, memberID, id string) string {
	n, err := a.db.NotificationByID(ctx, memberID, id)
	if err != nil {
		return ""
	}
	list, err := a.notifications(ctx, memberID, []*storage.Notification{n})
	if err != nil {
		a.log.Warn("stream a notification", "notification", id, "err", err)
		return ""
	}
	if len(list) == 0 {
		return ""
	}
	return jsonString(list[0])
}

// jsonString is v as JSON text, "" if it cannot be written.
func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
