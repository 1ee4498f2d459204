package federation

import (
	"context"
	"errors"

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
	if storage.ErrorCode(err) == storage.ENotFound && kind == storage.Announce {
		kept, keepErr := f.keepBoosted(ctx, in.actor, object.IRI)
		if keepErr != nil || !kept {
			return orIgnore(keepErr, "a boost of %s, which is not here, by %s, whom nobody here follows", object.IRI, in.actor.URI)
		}
		err = f.db.React(completing(ctx, in), in.actor.ID, object.IRI, kind, idOf(in.act), in.record.ID)
	}
	if storage.ErrorCode(err) == storage.ENotFound {
		return ignore("%s of %s, which is not here", in.act.GetTypeName(), object.IRI)
	}
	return err
}

// keepBoosted fetches and keeps a post that an account followed here
// boosted, so that the boost shows in its followers' home feeds, as a
// reblog does on Mastodon. Only a post for everyone is kept, fetched
// from its own server and attributed to an account there; it reports
// whether the post was kept.
func (f *Federator) keepBoosted(ctx context.Context, booster *storage.Actor, uri string) (bool, error) {
	if f.cfg.Site.IsLocal(uri) {
		return false, nil // a post of ours that is gone
	}
	followed, err := f.db.IsFollowedLocally(ctx, booster.ID)
	if err != nil || !followed {
		return false, err
	}
	t, err := f.fetchObject(ctx, uri)
	var status *StatusError
	if errors.As(err, &status) && !status.Retryable() {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	post, ok := t.(postable)
	if !ok || !postTypes[t.GetTypeName()] {
		return false, nil
	}
	authorURI := firstRef(post.GetActivityStreamsAttributedTo()).IRI
	if !sameHost(authorURI, uri) {
		return false, nil
	}
	author, err := f.ResolveActor(ctx, authorURI)
	if err != nil {
		return false, err
	}
	r := remotePost(author, post)
	if !storage.Listed(r.Visibility) {
		return false, nil
	}
	if _, err := f.db.SaveRemotePost(ctx, r); err != nil {
		return false, err
	}
	return true, nil
}
