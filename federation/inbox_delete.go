package federation

import (
	"context"

	"github.com/tidings-social/tidings/storage"
)

// onDelete: a remote actor deletes one of their posts, or their account.
func (f *Federator) onDelete(ctx context.Context, actor *storage.Actor, act activity) error {
	object, err := objectOf(act)
	if err != nil {
		return err
	}
	if object.IRI == actor.URI {
		return f.db.DeleteRemoteActor(ctx, actor.ID)
	}
	return f.db.DeleteRemotePost(ctx, actor.ID, object.IRI)
}
