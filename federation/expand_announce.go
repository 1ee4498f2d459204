package federation

import (
	"context"
	"encoding/json"

	"github.com/go-fed/activity/streams"

	"github.com/tidings-social/tidings/storage"
)

// buildAnnounce makes a subwiki's Announce (FEP-1b12) for its followers:
// of an activity one of our members sent, unchanged; of an activity a
// member elsewhere sent to the subwiki, unchanged as received; or of a
// post itself, which Mastodon shows as a boost.
func (f *Federator) buildAnnounce(ctx context.Context, e *storage.OutboxEvent, group *storage.Actor) ([]byte, []string, error) {
	announce := streams.NewActivityStreamsAnnounce()
	announce.SetJSONLDId(idProperty(group.URI + "/announces/" + e.ID))
	announce.SetActivityStreamsActor(actorProperty(group.URI))
	address(announce, storage.Public, group.Followers)
	extra := map[string]any{}
	switch {
	case e.Payload.InnerEventID != "":
		inner, err := f.db.OutboxActivity(ctx, e.Payload.InnerEventID)
		if err != nil {
			return nil, nil, err
		}
		if inner == nil {
			return nil, nil, storage.Errorf(storage.ENotFound, "the announced activity had nothing to send")
		}
		if extra["object"], err = withoutContext(inner); err != nil {
			return nil, nil, err
		}
	case e.Payload.InboundID != "":
		inner, err := f.db.InboundBody(ctx, e.Payload.InboundID)
		if err != nil {
			return nil, nil, err
		}
		if len(inner) == 0 {
			return nil, nil, storage.Errorf(storage.ENotFound, "the announced activity is no longer kept")
		}
		if extra["object"], err = withoutContext(inner); err != nil {
			return nil, nil, err
		}
	default:
		announce.SetActivityStreamsObject(objectIRI(e.Payload.ObjectURI))
	}
	inboxes, err := f.db.FollowerInboxes(ctx, group.ID)
	if err != nil {
		return nil, nil, err
	}
	body, err := encode(announce, extra)
	return body, inboxes, err
}

// withoutContext reads an activity for embedding in another.
func withoutContext(activity []byte) (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal(activity, &m); err != nil {
		return nil, err
	}
	delete(m, "@context")
	return m, nil
}
