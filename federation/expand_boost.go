package federation

import (
	"context"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// buildBoost makes a member's Announce of a post, or its Undo, for
// their followers and the post's author elsewhere, as Mastodon sends a
// reblog: to Public, cc the booster's followers and the author.
func (f *Federator) buildBoost(ctx context.Context, e *storage.OutboxEvent, sender *storage.Actor) ([]byte, []string, error) {
	var inboxes []string
	cc := []string{sender.Followers}
	if author, err := f.db.ActorByID(ctx, e.Payload.TargetActorID); err == nil {
		cc = append(cc, author.URI)
		if !author.Local {
			// The shared inbox, as for followers: a server that has both
			// gets the boost once.
			inboxes = append(inboxes, author.DeliveryInbox())
		}
	} else if storage.ErrorCode(err) != storage.ENotFound {
		return nil, nil, err
	}
	boost := streams.NewActivityStreamsAnnounce()
	boost.SetJSONLDId(idProperty(e.Payload.ActivityURI))
	boost.SetActivityStreamsActor(actorProperty(sender.URI))
	boost.SetActivityStreamsObject(objectIRI(e.Payload.ObjectURI))
	address2(boost, []string{publicCollection}, cc)
	var activity vocab.Type = boost
	if e.Kind == storage.EventBoost {
		published := streams.NewActivityStreamsPublishedProperty()
		published.Set(e.CreatedAt)
		boost.SetActivityStreamsPublished(published)
	} else {
		undo := streams.NewActivityStreamsUndo()
		// The Announce's id already has a fragment, so the Undo's is a
		// path under it.
		undo.SetJSONLDId(idProperty(e.Payload.ActivityURI + "/undo"))
		undo.SetActivityStreamsActor(actorProperty(sender.URI))
		object := streams.NewActivityStreamsObjectProperty()
		object.AppendActivityStreamsAnnounce(boost)
		undo.SetActivityStreamsObject(object)
		address2(undo, []string{publicCollection}, cc)
		activity = undo
	}
	return f.withFollowers(ctx, sender, inboxes, activity, nil)
}
