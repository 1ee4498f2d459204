package federation

import (
	"context"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// buildFollow makes a Follow, its Undo, or an Accept or Reject of one.
func (f *Federator) buildFollow(ctx context.Context, e *storage.OutboxEvent, sender *storage.Actor) ([]byte, []string, error) {
	target, err := f.db.ActorByID(ctx, e.Payload.TargetActorID)
	if err != nil {
		return nil, nil, err
	}
	switch e.Kind {
	case storage.EventFollow:
		follow, err := f.db.FollowByID(ctx, e.SubjectID)
		if err != nil || follow == nil {
			return nil, nil, storage.Errorf(storage.ENotFound, "the follow was withdrawn")
		}
		return f.only([]string{target.Inbox}, followOf(follow.ActivityURI, sender.URI, target.URI))
	case storage.EventUndoFollow:
		follow := followOf(e.Payload.ObjectURI, sender.URI, target.URI)
		undo := aboutFollowOf(streams.NewActivityStreamsUndo(), e.Payload.ObjectURI+"#undo", follow, sender.URI, target.URI)
		return f.only([]string{target.Inbox}, undo)
	}
	// An Accept or Reject, sent by the followed to the follower.
	follow := followOf(e.Payload.ObjectURI, target.URI, sender.URI)
	id := f.cfg.Site.ActivityURI(e.ID)
	var answer vocab.Type = aboutFollowOf(streams.NewActivityStreamsAccept(), id, follow, sender.URI, target.URI)
	if e.Kind == storage.EventRejectFollow {
		answer = aboutFollowOf(streams.NewActivityStreamsReject(), id, follow, sender.URI, target.URI)
	}
	return f.only([]string{target.Inbox}, answer)
}
