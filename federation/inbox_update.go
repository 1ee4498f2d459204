package federation

import (
	"context"

	"github.com/tidings-social/tidings/storage"
)

// onUpdate: a remote actor changed their profile, or edited a post (in a
// subwiki of ours, the subwiki passes the Update on).
func (f *Federator) onUpdate(ctx context.Context, in *incoming) error {
	object, err := objectOf(in.act)
	if err != nil {
		return err
	}
	if object.IRI == in.actor.URI {
		if object.Type == nil || !isActor(object.Type) {
			_, err := f.fetchActor(ctx, in.actor.URI, "")
			return err
		}
		remote, err := parseActor(object.Type, "")
		if err != nil {
			return ignore("the updated actor is not usable: %v", err)
		}
		_, err = f.db.SaveRemoteActor(completing(ctx, in), remote)
		return err
	}
	if in.actor.Kind == storage.KindGroup && !sameHost(object.IRI, in.actor.URI) {
		return f.groupRevision(ctx, in, object)
	}
	post, err := f.postObject(ctx, in.actor, object)
	if err != nil {
		return err
	}
	// An edit of a post we never had is kept like a new one.
	return f.keepPost(ctx, in, in.actor, post, nil)
}
