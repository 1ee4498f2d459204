package federation

import (
	"context"

	"github.com/tidings-social/tidings/storage"
)

// onLike: a remote actor likes a member's post; it is counted.
func (f *Federator) onLike(ctx context.Context, actor *storage.Actor, act activity) error {
	return f.react(ctx, actor, act, storage.Like)
}

// onAnnounce: a remote actor boosts a member's post; it is counted.
func (f *Federator) onAnnounce(ctx context.Context, actor *storage.Actor, act activity) error {
	return f.react(ctx, actor, act, storage.Announce)
}

func (f *Federator) react(ctx context.Context, actor *storage.Actor, act activity, kind string) error {
	object, err := objectOf(act)
	if err != nil {
		return err
	}
	if !f.cfg.Site.IsLocal(object.IRI) {
		return ignore("%s of a post that is not here", act.GetTypeName())
	}
	err = f.db.React(ctx, actor.ID, object.IRI, kind, idOf(act))
	if storage.ErrorCode(err) == storage.ENotFound {
		return ignore("%s of %s, which is not here", act.GetTypeName(), object.IRI)
	}
	return err
}
