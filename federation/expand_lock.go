package federation

import (
	"context"
	"encoding/json"

	"github.com/tidings-social/tidings/storage"
)

// buildLock tells the post's subwiki (and so its followers, through its
// Announce) that a moderator locked or unlocked the post's headline, as
// Lemmy's Lock and Undo(Lock). go-fed's vocabulary has no Lock, so the
// activity is written as JSON here.
func (f *Federator) buildLock(ctx context.Context, e *storage.OutboxEvent, moderator *storage.Actor) ([]byte, []string, error) {
	to := []string{publicCollection}
	var inboxes []string
	if e.Payload.SubwikiID != "" {
		group, err := f.db.ActorByID(ctx, e.Payload.SubwikiID)
		if err != nil {
			return nil, nil, err
		}
		to = append(to, group.URI)
		if !group.Local {
			inboxes = append(inboxes, group.Inbox)
		}
	}
	lock := map[string]any{
		"id":     f.cfg.Site.ActivityURI(e.ID),
		"type":   "Lock",
		"actor":  moderator.URI,
		"object": e.Payload.ObjectURI,
		"to":     to,
	}
	if e.Payload.Reason != "" {
		lock["summary"] = e.Payload.Reason
	}
	activity := lock
	if e.Kind == storage.EventUnlockHeadline {
		activity = map[string]any{
			"id":     f.cfg.Site.ActivityURI(e.ID) + "#undo",
			"type":   "Undo",
			"actor":  moderator.URI,
			"object": lock,
			"to":     to,
		}
	}
	activity["@context"] = outgoingContext
	body, err := json.Marshal(activity)
	return body, inboxes, err
}
