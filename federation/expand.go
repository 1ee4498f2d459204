package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// expandOutbox turns pending outbox events into activities and
// deliveries. It returns how many events it took. An event that cannot be
// built, or panics while it is, is recorded as failed, to be tried again
// later or parked, and the others go on; only a failure to record that
// stops the round.
func (f *Federator) expandOutbox(ctx context.Context) (int, error) {
	events, err := f.db.PendingOutbox(ctx, 100)
	if err != nil {
		return 0, err
	}
	for _, e := range events {
		err := f.expandEvent(ctx, e)
		if err == nil || ctx.Err() != nil {
			continue // done, or stopped midway: not the event's fault
		}
		if err := f.outboxFailed(ctx, e, err); err != nil {
			return 0, err
		}
	}
	return len(events), nil
}

// expandEvent builds one event's activity and records its deliveries. A
// subject gone meanwhile, or any other refusal that is not a fault of
// ours, leaves nothing to send and marks the event done.
func (f *Federator) expandEvent(ctx context.Context, e *storage.OutboxEvent) error {
	if e.Invalid != nil {
		return e.Invalid
	}
	var activity []byte
	var inboxes []string
	err := catchPanic(func() (err error) {
		activity, inboxes, err = f.build(ctx, e)
		return err
	})
	if err != nil {
		if storage.ErrorCode(err) == storage.EInternal {
			return fmt.Errorf("build %s %s: %w", e.Kind, e.ID, err)
		}
		f.log.Info("outbox event has nothing to send", "kind", e.Kind, "id", e.ID, "reason", err)
		activity = nil
	}
	_, err = f.db.ExpandOutbox(ctx, e.ID, activity, orderingKey(activity), dedupe(inboxes))
	return err
}

// outboxFailed records a failed expansion, to be tried again after the
// backoff deliveries use, or parked.
func (f *Federator) outboxFailed(ctx context.Context, e *storage.OutboxEvent, failure error) error {
	log := f.log.With("kind", e.Kind, "id", e.ID, "attempt", e.Attempts+1, "err", failure)
	if p, ok := errors.AsType[*panicError](failure); ok {
		log = log.With("stack", string(p.stack))
	}
	parked, err := f.db.OutboxFailed(ctx, e.ID, failure.Error(), f.now().Add(retryDelay(e.Attempts+1)))
	if storage.ErrorCode(err) == storage.ENotFound {
		return nil // no longer waiting: nothing to record
	}
	if err != nil {
		return fmt.Errorf("record failed expansion of %s: %w", e.ID, err)
	}
	if parked {
		log.Error("outbox event parked after repeated failures; retry it once the cause is fixed")
	} else {
		log.Warn("outbox event failed; it will be tried again")
	}
	return nil
}

// dedupe drops repeated inboxes.
func dedupe(inboxes []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, inbox := range inboxes {
		if inbox != "" && !seen[inbox] {
			seen[inbox] = true
			out = append(out, inbox)
		}
	}
	return out
}

// build makes the activity for an event and lists the inboxes it goes
// to. A subject deleted meanwhile leaves nothing to send (ENotFound).
func (f *Federator) build(ctx context.Context, e *storage.OutboxEvent) ([]byte, []string, error) {
	sender, err := f.db.ActorByID(ctx, e.ActorID)
	if err != nil {
		return nil, nil, err
	}
	if gone, err := f.suspended(ctx, sender); err != nil || (gone && e.Kind != storage.EventUpdateActor) {
		if err != nil {
			return nil, nil, err
		}
		return nil, nil, storage.Errorf(storage.ENotFound, "%s is suspended", sender.Handle())
	}
	switch e.Kind {
	case storage.EventFollow, storage.EventUndoFollow, storage.EventAcceptFollow, storage.EventRejectFollow:
		return f.buildFollow(ctx, e, sender)
	case storage.EventCreatePost, storage.EventUpdatePost:
		post, err := f.db.PostByID(ctx, e.SubjectID)
		if err != nil {
			return nil, nil, err
		}
		pub, err := f.publish(ctx, post, sender)
		if err != nil {
			return nil, nil, err
		}
		var activity vocab.Type = createOf(post, sender, pub)
		if post.Visibility == storage.Direct {
			if e.Kind == storage.EventUpdatePost {
				activity = updateOf(post, sender, pub, post.URI+"#updates/"+e.ID)
			}
			return f.only(pub.inboxes, activity) // not to the author's followers
		}
		if e.Kind == storage.EventUpdatePost {
			activity = updateOf(post, sender, pub, post.URI+"#updates/"+e.ID)
			readers, err := f.boostReaders(ctx, post)
			if err != nil {
				return nil, nil, err
			}
			pub.inboxes = append(pub.inboxes, readers...)
		}
		return f.withFollowers(ctx, sender, pub.inboxes, activity, nil)
	case storage.EventDeletePost:
		inboxes, err := f.concerned(ctx, e.Payload)
		if err != nil {
			return nil, nil, err
		}
		return f.withFollowers(ctx, sender, inboxes, deleteOf(e.Payload.ObjectURI, sender), nil)
	case storage.EventLike, storage.EventUndoLike:
		inboxes, err := f.concerned(ctx, e.Payload)
		if err != nil {
			return nil, nil, err
		}
		return f.only(inboxes, likeOf(e, sender))
	case storage.EventBoost, storage.EventUndoBoost:
		return f.buildBoost(ctx, e, sender)
	case storage.EventUpdateActor:
		doc, err := f.actorDocument(ctx, sender)
		if err != nil {
			return nil, nil, err
		}
		update := streams.NewActivityStreamsUpdate()
		update.SetJSONLDId(idProperty(sender.URI + "#updates/" + e.ID))
		update.SetActivityStreamsActor(actorProperty(sender.URI))
		address(update, storage.Public, sender.Followers)
		return f.withFollowers(ctx, sender, nil, update, map[string]any{"object": doc})
	case storage.EventBlock, storage.EventUndoBlock:
		return f.buildBlock(ctx, e, sender)
	case storage.EventPinPost, storage.EventUnpinPost:
		return f.buildPin(ctx, e, sender)
	case storage.EventGroupAnnounce:
		return f.buildAnnounce(ctx, e, sender)
	case storage.EventReviseHeadline:
		return f.buildRevision(ctx, e, sender)
	case storage.EventLockHeadline, storage.EventUnlockHeadline:
		return f.buildLock(ctx, e, sender)
	case storage.EventRemovePost:
		return f.buildRemoval(ctx, e, sender)
	case storage.EventProposeHeadline, storage.EventAcceptProposal, storage.EventRejectProposal:
		return f.buildProposal(ctx, e, sender)
	case storage.EventBanFromSubwiki, storage.EventUnbanSubwiki:
		return f.buildBan(ctx, e, sender)
	case storage.EventFlagAccount, storage.EventFlagGroup:
		return f.buildFlag(ctx, e, sender)
	case storage.EventDeleteActor:
		return f.buildActorDelete(ctx, e, sender)
	}
	return nil, nil, storage.Errorf(storage.EInvalid, "unknown outbox event %q", e.Kind)
}

// withFollowers encodes an activity for the sender's remote followers and
// the other inboxes given. The activity is kept even when nobody remote
// is to get it, since a subwiki may announce it.
func (f *Federator) withFollowers(ctx context.Context, sender *storage.Actor, more []string, activity vocab.Type, extra map[string]any) ([]byte, []string, error) {
	inboxes, err := f.db.FollowerInboxes(ctx, sender.ID)
	if err != nil {
		return nil, nil, err
	}
	body, err := encode(activity, extra)
	return body, append(inboxes, more...), err
}

// only encodes an activity for the inboxes given.
func (f *Federator) only(inboxes []string, activity vocab.Type) ([]byte, []string, error) {
	body, err := encode(activity, nil)
	return body, inboxes, err
}

// concerned lists the remote inboxes an activity about a post goes to
// besides followers: the post's author (or the author replied to) and a
// remote subwiki.
func (f *Federator) concerned(ctx context.Context, p storage.OutboxPayload) ([]string, error) {
	var inboxes []string
	for _, id := range []string{p.TargetActorID, p.SubwikiID} {
		if id == "" {
			continue
		}
		a, err := f.db.ActorByID(ctx, id)
		if err != nil {
			if storage.ErrorCode(err) == storage.ENotFound {
				continue
			}
			return nil, err
		}
		if !a.Local {
			inboxes = append(inboxes, a.Inbox)
		}
	}
	return inboxes, nil
}

// likeOf is a member's Like of a post, or its Undo.
func likeOf(e *storage.OutboxEvent, sender *storage.Actor) vocab.Type {
	like := streams.NewActivityStreamsLike()
	likeID := e.Payload.ActivityURI
	if e.Kind == storage.EventUndoLike {
		likeID = strings.TrimSuffix(likeID, "#undo")
	}
	like.SetJSONLDId(idProperty(likeID))
	like.SetActivityStreamsActor(actorProperty(sender.URI))
	like.SetActivityStreamsObject(objectIRI(e.Payload.ObjectURI))
	if e.Kind == storage.EventLike {
		return like
	}
	undo := streams.NewActivityStreamsUndo()
	undo.SetJSONLDId(idProperty(e.Payload.ActivityURI))
	undo.SetActivityStreamsActor(actorProperty(sender.URI))
	object := streams.NewActivityStreamsObjectProperty()
	object.AppendActivityStreamsLike(like)
	undo.SetActivityStreamsObject(object)
	return undo
}

// actorDocument is the document of a local member or subwiki, without
// its @context, for embedding in an Update.
func (f *Federator) actorDocument(ctx context.Context, a *storage.Actor) (map[string]any, error) {
	var doc []byte
	var err error
	if a.Kind == storage.KindGroup {
		doc, err = f.groupDocument(ctx, a.Username)
	} else {
		doc, err = f.memberDocument(ctx, a.Username)
	}
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		return nil, err
	}
	delete(m, "@context")
	return m, nil
}
