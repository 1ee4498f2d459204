package federation

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// expandOutbox turns pending outbox events into activities and
// deliveries. It returns how many events it handled.
func (f *Federator) expandOutbox(ctx context.Context) (int, error) {
	events, err := f.db.PendingOutbox(ctx, 100)
	if err != nil {
		return 0, err
	}
	for _, e := range events {
		activity, inboxes, err := f.build(ctx, e)
		if err != nil {
			if storage.ErrorCode(err) == storage.EInternal {
				return 0, fmt.Errorf("build %s %s: %w", e.Kind, e.ID, err)
			}
			f.log.Info("outbox event has nothing to send", "kind", e.Kind, "id", e.ID, "reason", err)
			activity = nil
		}
		if _, err := f.db.ExpandOutbox(ctx, e.ID, activity, inboxes); err != nil {
			return 0, err
		}
	}
	return len(events), nil
}

// build makes the activity for an event and lists the inboxes it goes
// to. A subject deleted meanwhile leaves nothing to send (ENotFound).
func (f *Federator) build(ctx context.Context, e *storage.OutboxEvent) ([]byte, []string, error) {
	sender, err := f.db.ActorByID(ctx, e.ActorID)
	if err != nil {
		return nil, nil, err
	}
	switch e.Kind {
	case storage.EventFollow:
		follow, err := f.db.FollowByID(ctx, e.SubjectID)
		if err != nil || follow == nil {
			return nil, nil, storage.Errorf(storage.ENotFound, "the follow was withdrawn")
		}
		target, err := f.db.ActorByID(ctx, e.Payload.TargetActorID)
		if err != nil {
			return nil, nil, err
		}
		body, err := encode(followOf(follow.ActivityURI, sender.URI, target.URI), nil)
		return body, []string{target.Inbox}, err
	case storage.EventUndoFollow:
		target, err := f.db.ActorByID(ctx, e.Payload.TargetActorID)
		if err != nil {
			return nil, nil, err
		}
		follow := followOf(e.Payload.ObjectURI, sender.URI, target.URI)
		undo := aboutFollowOf(streams.NewActivityStreamsUndo(), e.Payload.ObjectURI+"#undo", follow, sender.URI, target.URI)
		body, err := encode(undo, nil)
		return body, []string{target.Inbox}, err
	case storage.EventAcceptFollow, storage.EventRejectFollow:
		follower, err := f.db.ActorByID(ctx, e.Payload.TargetActorID)
		if err != nil {
			return nil, nil, err
		}
		follow := followOf(e.Payload.ObjectURI, follower.URI, sender.URI)
		id := f.cfg.Site.ActivityURI(e.ID)
		var answer vocab.Type = aboutFollowOf(streams.NewActivityStreamsAccept(), id, follow, sender.URI, follower.URI)
		if e.Kind == storage.EventRejectFollow {
			answer = aboutFollowOf(streams.NewActivityStreamsReject(), id, follow, sender.URI, follower.URI)
		}
		body, err := encode(answer, nil)
		return body, []string{follower.Inbox}, err
	case storage.EventCreatePost:
		post, err := f.db.PostByID(ctx, e.SubjectID)
		if err != nil {
			return nil, nil, err
		}
		return f.toFollowers(ctx, sender, func() ([]byte, error) { return encode(createOf(post, sender), nil) })
	case storage.EventDeletePost:
		return f.toFollowers(ctx, sender, func() ([]byte, error) { return encode(deleteOf(e.Payload.ObjectURI, sender), nil) })
	case storage.EventUpdateActor:
		return f.toFollowers(ctx, sender, func() ([]byte, error) { return f.updateActorOf(ctx, e, sender) })
	}
	return nil, nil, storage.Errorf(storage.EInvalid, "unknown outbox event %q", e.Kind)
}

// toFollowers builds an activity for the sender's remote followers.
func (f *Federator) toFollowers(ctx context.Context, sender *storage.Actor, build func() ([]byte, error)) ([]byte, []string, error) {
	inboxes, err := f.db.FollowerInboxes(ctx, sender.ID)
	if err != nil {
		return nil, nil, err
	}
	if len(inboxes) == 0 {
		return nil, nil, storage.Errorf(storage.ENotFound, "no remote followers")
	}
	body, err := build()
	return body, inboxes, err
}

// updateActorOf is the Update that carries a member's new profile.
func (f *Federator) updateActorOf(ctx context.Context, e *storage.OutboxEvent, sender *storage.Actor) ([]byte, error) {
	doc, err := f.memberDocument(ctx, sender.Username)
	if err != nil {
		return nil, err
	}
	var person map[string]any
	if err := json.Unmarshal(doc, &person); err != nil {
		return nil, err
	}
	delete(person, "@context")
	update := streams.NewActivityStreamsUpdate()
	update.SetJSONLDId(idProperty(sender.URI + "#updates/" + e.ID))
	update.SetActivityStreamsActor(actorProperty(sender.URI))
	address(update, storage.Public, sender.Followers)
	return encode(update, map[string]any{"object": person})
}
