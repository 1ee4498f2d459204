package federation

import (
	"context"

	"github.com/tidings-social/tidings/storage"
)

// onUpdate: a remote actor changed their profile, or edited a post.
func (f *Federator) onUpdate(ctx context.Context, actor *storage.Actor, act activity) error {
	object, err := objectOf(act)
	if err != nil {
		return err
	}
	if object.IRI == actor.URI {
		if object.Type == nil || !isActor(object.Type) {
			_, err := f.fetchActor(ctx, actor.URI, "")
			return err
		}
		remote, err := parseActor(object.Type, "")
		if err != nil {
			return ignore("the updated actor is not usable: %v", err)
		}
		_, err = f.db.SaveRemoteActor(ctx, remote)
		return err
	}
	post, err := f.postObject(ctx, actor, object)
	if err != nil {
		return err
	}
	if _, err := f.db.PostByURI(ctx, object.IRI); err != nil {
		if storage.ErrorCode(err) == storage.ENotFound {
			return f.onCreate(ctx, actor, act) // an edit of a post we never had
		}
		return err
	}
	_, err = f.db.SaveRemotePost(ctx, remotePost(actor, post))
	return err
}
