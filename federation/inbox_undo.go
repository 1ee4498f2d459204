package federation

import (
	"context"

	"github.com/tidings-social/tidings/storage"
)

// onUndo: a remote actor takes back a Follow, Block, Like or Announce, embedded
// (as Mastodon sends it) or named by id.
func (f *Federator) onUndo(ctx context.Context, in *incoming) error {
	actor, act := in.actor, in.act
	object, err := objectOf(act)
	if err != nil {
		return err
	}
	if object.Type == nil {
		found, err := f.db.UndoActivity(completing(ctx, in), actor.ID, object.IRI)
		if err == nil && !found {
			return ignore("nothing here to undo for %s", object.IRI)
		}
		return err
	}
	inner, ok := object.Type.(activity)
	if !ok {
		return ignore("a %s cannot be undone", object.Type.GetTypeName())
	}
	if owner := firstRef(inner.GetActivityStreamsActor()).IRI; owner != actor.URI {
		return ignore("%s cannot undo an activity of %s", actor.URI, owner)
	}
	target := firstRef(inner.GetActivityStreamsObject()).IRI
	switch object.Type.GetTypeName() {
	case "Follow":
		local, err := f.localActor(ctx, target)
		if err != nil {
			return err
		}
		return f.db.ReceiveUndoFollow(completing(ctx, in), actor.ID, local.ID, object.IRI)
	case "Like":
		return f.db.Unreact(completing(ctx, in), actor.ID, storage.Like, object.IRI, target, in.record.ID)
	case "Announce":
		return f.db.Unreact(completing(ctx, in), actor.ID, storage.Announce, object.IRI, target, in.record.ID)
	case "Block":
		return f.onUndoBlock(ctx, in, inner, object.IRI)
	}
	return ignore("undoing a %s has no effect here", object.Type.GetTypeName())
}
