package federation

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// activity is what Tidings reads of any transitive activity.
type activity interface {
	vocab.Type
	GetActivityStreamsActor() vocab.ActivityStreamsActorProperty
	GetActivityStreamsObject() vocab.ActivityStreamsObjectProperty
	GetActivityStreamsTo() vocab.ActivityStreamsToProperty
	GetActivityStreamsCc() vocab.ActivityStreamsCcProperty
}

// ignored is an inbound activity that has no effect here; the reason is
// kept on its record.
type ignored struct{ reason string }

func (e *ignored) Error() string { return e.reason }

func ignore(format string, args ...any) error {
	return &ignored{reason: fmt.Sprintf(format, args...)}
}

// incoming is an inbound activity being processed: its sender, the
// activity, and the stored record it came from.
type incoming struct {
	actor  *storage.Actor
	act    activity
	record *storage.Inbound
}

// handler is the function for one kind of inbound activity.
type handler func(ctx context.Context, in *incoming) error

// handlers maps activity types to their handlers, one file each.
func (f *Federator) handlers() map[string]handler {
	return map[string]handler{
		"Follow":   f.onFollow,
		"Accept":   f.onAccept,
		"Reject":   f.onReject,
		"Undo":     f.onUndo,
		"Create":   f.onCreate,
		"Update":   f.onUpdate,
		"Delete":   f.onDelete,
		"Like":     f.onLike,
		"Announce": f.onAnnounce,
		"Offer":    f.onOffer,
		"Block":    f.onBlock,
	}
}

// process carries out one stored inbound activity. Errors that may pass
// (a server not answering) are returned for a retry; anything else is
// reported as permanent.
func (f *Federator) process(ctx context.Context, in *storage.Inbound) (permanent bool, err error) {
	if f.inboxHook != nil {
		f.inboxHook(ctx, in)
	}
	if host := f.suspendedOrigin(ctx, in); host != "" {
		return true, ignore("this server does not federate with %s", host)
	}
	// The body is read as JSON once, for every reader below.
	raw, rawErr := decodeJSON(in.Body)
	if rawErr == nil {
		if handled, err := f.onLock(ctx, in, raw); handled {
			var ig *ignored
			return err == nil || errors.As(err, &ig), err
		}
		if handled, err := f.onBan(ctx, in, raw); handled {
			var ig *ignored
			return err == nil || errors.As(err, &ig), err
		}
	}
	if handled, err := f.onFlag(ctx, in); handled {
		var ig *ignored
		return err == nil || errors.As(err, &ig) || storage.ErrorCode(err) != storage.EInternal, err
	}
	if rawErr != nil {
		return true, rawErr
	}
	t, err := toType(ctx, raw)
	if err != nil {
		return true, err
	}
	act, ok := t.(activity)
	if !ok {
		return true, ignore("a %s is not an activity this server handles", t.GetTypeName())
	}
	h, ok := f.handlers()[t.GetTypeName()]
	if !ok {
		return true, ignore("%s activities are not handled", t.GetTypeName())
	}
	var actor *storage.Actor
	if in.ForwardedBy != "" {
		actor, err = f.forwarded(ctx, in, act)
	} else if actor, err = f.db.ActorByURI(ctx, in.ActorURI); err != nil {
		return storage.ErrorCode(err) != storage.EInternal, err
	}
	if err == nil {
		err = h(ctx, &incoming{actor: actor, act: act, record: in})
	}
	if err == nil {
		return false, nil
	}
	var ig *ignored
	if errors.As(err, &ig) {
		return true, err
	}
	if errors.Is(err, errFetch) || storage.ErrorCode(err) == storage.EInternal {
		return false, err
	}
	return true, err
}

// checkShape refuses an activity of a kind handled here that lacks what
// its handler needs: one object, with an id. (go-fed's parser accepts
// nearly anything, keeping what it cannot read as unknown properties.)
// An object of a type go-fed does not know (a Lemmy ChatMessage, a
// Lock being undone) is not readable either; such an activity is
// accepted and ignored, like an unknown activity.
func (f *Federator) checkShape(t vocab.Type, raw map[string]any) error {
	if _, handled := f.handlers()[t.GetTypeName()]; !handled {
		return nil
	}
	act, ok := t.(activity)
	if !ok {
		return fmt.Errorf("a %s must be an activity", t.GetTypeName())
	}
	if _, err := objectOf(act); err != nil {
		if object, ok := raw["object"].(map[string]any); ok {
			id, _ := object["id"].(string)
			if typ, ok := object["type"]; ok && hostOf(id) != "" {
				return fmt.Errorf("%w: a %s of %v", ErrUnknownType, t.GetTypeName(), typ)
			}
		}
		return errors.New(err.Error())
	}
	return nil
}

// objectOf is the one object of an activity.
func objectOf(act activity) (ref, error) {
	refs := refsOf(act.GetActivityStreamsObject())
	if len(refs) != 1 || refs[0].IRI == "" {
		return ref{}, ignore("the %s must have exactly one object with an id", act.GetTypeName())
	}
	return refs[0], nil
}

// completing is the context for the one storage write that is an
// activity's effect: that write also marks the stored activity
// processed, in the same transaction (storage.CompletingInbound), so the
// effect is never applied without its record, and handling the activity
// again finds it done.
func completing(ctx context.Context, in *incoming) context.Context {
	if in.record == nil {
		return ctx
	}
	return storage.CompletingInbound(ctx, in.record)
}

// localActor returns the local actor with the id, or an ignored error.
func (f *Federator) localActor(ctx context.Context, uri string) (*storage.Actor, error) {
	if !f.cfg.Site.IsLocal(uri) {
		return nil, ignore("%s is not an actor of this server", uri)
	}
	a, err := f.db.ActorByURI(ctx, uri)
	if err != nil {
		return nil, ignore("%s is not an actor of this server", uri)
	}
	return a, nil
}
