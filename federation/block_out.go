package federation

import (
	"context"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// buildBlock makes a member's Block of a remote account, or its Undo, as
// Mastodon sends them: to the blocked account's inbox alone, the Block
// with the member as actor and the account as object.
func (f *Federator) buildBlock(ctx context.Context, e *storage.OutboxEvent, sender *storage.Actor) ([]byte, []string, error) {
	target, err := f.db.ActorByID(ctx, e.Payload.TargetActorID)
	if err != nil {
		return nil, nil, err
	}
	block := blockOf(e.Payload.ActivityURI, sender.URI, target.URI)
	if e.Kind == storage.EventBlock {
		return f.only([]string{target.Inbox}, block)
	}
	undo := streams.NewActivityStreamsUndo()
	undo.SetJSONLDId(idProperty(e.Payload.ActivityURI + "#undo"))
	undo.SetActivityStreamsActor(actorProperty(sender.URI))
	object := streams.NewActivityStreamsObjectProperty()
	object.AppendActivityStreamsBlock(block)
	undo.SetActivityStreamsObject(object)
	undo.SetActivityStreamsTo(toProperty(target.URI))
	return f.only([]string{target.Inbox}, undo)
}

// blockOf is the Block with the id of the blocked account by the member.
func blockOf(id, blocker, blocked string) vocab.ActivityStreamsBlock {
	block := streams.NewActivityStreamsBlock()
	block.SetJSONLDId(idProperty(id))
	block.SetActivityStreamsActor(actorProperty(blocker))
	block.SetActivityStreamsObject(objectIRI(blocked))
	block.SetActivityStreamsTo(toProperty(blocked))
	return block
}
