package federation

import "context"

// onDelete: a remote actor deletes one of their posts, or their account;
// or a moderator elsewhere removes a post (removal).
// A post in a subwiki of ours is gone from it, and the subwiki passes the
// Delete on to its followers.
func (f *Federator) onDelete(ctx context.Context, in *incoming) error {
	object, err := objectOf(in.act)
	if err != nil {
		return err
	}
	if object.IRI == in.actor.URI {
		return f.db.DeleteRemoteActor(completing(ctx, in), in.actor.ID)
	}
	if removed, err := f.removal(completing(ctx, in), in.actor, in.act, object.IRI); removed {
		return err
	}
	return f.db.DeleteRemotePost(completing(ctx, in), in.actor.ID, object.IRI, in.record.ID)
}
