package federation

import (
	"context"

	"github.com/go-fed/activity/streams/vocab"
)

// targeted is a Block as Lemmy sends a ban: with the community (or site)
// it applies to.
type targeted interface {
	GetActivityStreamsTarget() vocab.ActivityStreamsTargetProperty
}

// banTarget is the target of a Block, "" for a member-level block.
func banTarget(act activity) string {
	if t, ok := act.(targeted); ok {
		return firstRef(t.GetActivityStreamsTarget()).IRI
	}
	return ""
}

// onBlock: a remote account blocks a member, as Mastodon sends it (no
// target): their follows end both ways and the member's posts no longer
// go to it. A Block with a target is a ban from a subwiki, which this
// handler leaves alone.
func (f *Federator) onBlock(ctx context.Context, in *incoming) error {
	if target := banTarget(in.act); target != "" {
		return ignore("a ban from %s is not handled here", target)
	}
	object, err := objectOf(in.act)
	if err != nil {
		return err
	}
	member, err := f.localActor(ctx, object.IRI)
	if err != nil {
		return err
	}
	return f.db.ReceiveBlock(completing(ctx, in), in.actor.ID, member.ID, idOf(in.act))
}

// onUndoBlock: a remote account lifts its Block of a member.
func (f *Federator) onUndoBlock(ctx context.Context, in *incoming, block activity, blockURI string) error {
	if target := banTarget(block); target != "" {
		return ignore("lifting a ban from %s is not handled here", target)
	}
	return f.db.ReceiveUndoBlock(completing(ctx, in), in.actor.ID, blockURI)
}
