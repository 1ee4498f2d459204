package federation

import (
	"context"

	"github.com/go-fed/activity/streams"

	"github.com/tidings-social/tidings/storage"
)

// buildActorDelete is the Delete of a deleted member's actor, as
// Mastodon sends one (object = the actor, to Public), signed with the
// actor's key, which storage keeps until these deliveries are done. It
// goes to every server that knew the actor, noted when the account was
// deleted, one delivery per shared inbox; their followers of the member
// are gone by then, so the followers' inboxes come from that note too.
func (f *Federator) buildActorDelete(ctx context.Context, e *storage.OutboxEvent, sender *storage.Actor) ([]byte, []string, error) {
	inboxes, err := f.db.AccountDeletionInboxes(ctx, sender.ID)
	if err != nil {
		return nil, nil, err
	}
	del := streams.NewActivityStreamsDelete()
	del.SetJSONLDId(idProperty(sender.URI + "#delete"))
	del.SetActivityStreamsActor(actorProperty(sender.URI))
	del.SetActivityStreamsObject(objectIRI(sender.URI))
	address2(del, []string{publicCollection}, nil)
	body, err := encode(del, nil)
	return body, inboxes, err
}

// goneActor is the answer for the address of a deleted member: 410 Gone
// with a Tombstone of the Person, as Mastodon answers for a deleted
// account, so that servers that ask drop what they hold of it.
type goneActor struct {
	body []byte
}

func (g *goneActor) Error() string { return "deleted actor" }

// deletedMember returns a goneActor for a name whose account was
// deleted, or the original not-found error for any other name. An
// account still in its grace period is not gone.
func (f *Federator) deletedMember(ctx context.Context, username string, notFound error) error {
	d, err := f.db.DeletedAccount(ctx, username)
	if err != nil {
		return err
	}
	if d == nil || d.Pending() {
		return notFound
	}
	tomb := streams.NewActivityStreamsTombstone()
	tomb.SetJSONLDId(idProperty(d.ActorURI))
	former := streams.NewActivityStreamsFormerTypeProperty()
	former.AppendXMLSchemaString("Person")
	tomb.SetActivityStreamsFormerType(former)
	deleted := streams.NewActivityStreamsDeletedProperty()
	deleted.Set(d.DeletedAt)
	tomb.SetActivityStreamsDeleted(deleted)
	body, err := encode(tomb, nil)
	if err != nil {
		return err
	}
	return &goneActor{body: body}
}
