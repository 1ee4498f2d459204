package federation

import (
	"context"

	"github.com/go-fed/activity/streams"

	"github.com/tidings-social/tidings/storage"
)

// buildRemoval is a moderator's removal of a post in a subwiki here, as
// Lemmy sends it: a Delete by the moderator with the reason as summary,
// addressed to the subwiki, which announces it to its followers
// (FEP-1b12). It goes straight to the author's server too when the
// author is elsewhere, so the post goes there as well.
func (f *Federator) buildRemoval(ctx context.Context, e *storage.OutboxEvent, moderator *storage.Actor) ([]byte, []string, error) {
	group, err := f.db.ActorByID(ctx, e.Payload.SubwikiID)
	if err != nil {
		return nil, nil, err
	}
	del := streams.NewActivityStreamsDelete()
	del.SetJSONLDId(idProperty(f.cfg.Site.ActivityURI(e.ID)))
	del.SetActivityStreamsActor(actorProperty(moderator.URI))
	del.SetActivityStreamsObject(objectIRI(e.Payload.ObjectURI))
	address2(del, []string{publicCollection}, []string{group.URI})
	extra := map[string]any{"audience": group.URI}
	if e.Payload.Reason != "" {
		extra["summary"] = e.Payload.Reason
	}
	inboxes, err := f.concerned(ctx, storage.OutboxPayload{TargetActorID: e.Payload.TargetActorID})
	if err != nil {
		return nil, nil, err
	}
	body, err := encode(del, extra)
	return body, inboxes, err
}
