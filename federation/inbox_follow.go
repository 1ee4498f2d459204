package federation

import (
	"context"
)

// onFollow: a remote actor follows a member. Accepted at once (and an
// Accept sent) unless the member approves followers by hand.
func (f *Federator) onFollow(ctx context.Context, in *incoming) error {
	actor, act := in.actor, in.act
	object, err := objectOf(act)
	if err != nil {
		return err
	}
	target, err := f.localActor(ctx, object.IRI)
	if err != nil {
		return err
	}
	_, err = f.db.ReceiveFollow(completing(ctx, in), actor.ID, target.ID, idOf(act))
	return err
}

// onAccept: a remote actor accepted a member's Follow, named by its id or
// embedded.
func (f *Federator) onAccept(ctx context.Context, in *incoming) error {
	if answered, err := f.answerProposal(ctx, in, true); answered || err != nil {
		return err
	}
	actor, act := in.actor, in.act
	followURI, followerID, err := f.answeredFollow(ctx, act)
	if err != nil {
		return err
	}
	return f.db.ReceiveAccept(completing(ctx, in), actor.ID, followURI, followerID)
}

// onReject: a remote actor refused a member's Follow (or ended it).
func (f *Federator) onReject(ctx context.Context, in *incoming) error {
	if answered, err := f.answerProposal(ctx, in, false); answered || err != nil {
		return err
	}
	actor, act := in.actor, in.act
	followURI, followerID, err := f.answeredFollow(ctx, act)
	if err != nil {
		return err
	}
	return f.db.ReceiveReject(completing(ctx, in), actor.ID, followURI, followerID)
}

// answeredFollow reads which Follow an Accept or Reject answers: its id,
// and when it is embedded, the local follower.
func (f *Federator) answeredFollow(ctx context.Context, act activity) (followURI, followerID string, err error) {
	object, err := objectOf(act)
	if err != nil {
		return "", "", err
	}
	if object.Type == nil {
		return object.IRI, "", nil
	}
	follow, ok := object.Type.(activity)
	if !ok || object.Type.GetTypeName() != "Follow" {
		return "", "", ignore("only Follows are answered with Accept or Reject here")
	}
	follower, err := f.localActor(ctx, firstRef(follow.GetActivityStreamsActor()).IRI)
	if err != nil {
		return "", "", err
	}
	if !f.cfg.Site.IsLocal(object.IRI) {
		object.IRI = "" // some servers make up an id for our Follow
	}
	return object.IRI, follower.ID, nil
}
