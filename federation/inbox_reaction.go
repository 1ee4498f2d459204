package federation

import (
	"context"

	"github.com/tidings-social/tidings/storage"
)

// onLike: a remote actor likes a post here (a member's, or one in a
// subwiki of ours, which passes the Like on); it is counted.
func (f *Federator) onLike(ctx context.Context, in *incoming) error {
	return f.react(ctx, in, storage.Like)
}

// onAnnounce: a remote group passes on activities in it (FEP-1b12), or
// someone boosts a post here, which is counted.
func (f *Federator) onAnnounce(ctx context.Context, in *incoming) error {
	if in.actor.Kind == storage.KindGroup {
		return f.fromGroup(ctx, in)
	}
	return f.react(ctx, in, storage.Announce)
}

func (f *Federator) react(ctx context.Context, in *incoming, kind string) error {
	object, err := objectOf(in.act)
	if err != nil {
		return err
	}
	err = f.db.React(completing(ctx, in), in.actor.ID, object.IRI, kind, idOf(in.act), in.record.ID)
	if storage.ErrorCode(err) == storage.ENotFound {
		return ignore("%s of %s, which is not here", in.act.GetTypeName(), object.IRI)
	}
	return err
}
