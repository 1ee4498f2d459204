package federation

import (
	"context"

	"github.com/go-fed/activity/streams"

	"github.com/tidings-social/tidings/storage"
)

// buildFlag sends a member's flag on to the server of what it is about.
// To a remote subwiki's server it goes in Lemmy's shape: from the member,
// to and audience the Group, object the post, the reason in summary (and
// in content, where Mbin and Mastodon read it). To the server of the
// account flagged, or of the post's author, it goes in Mastodon's shape:
// from the instance actor, so the reporter stays ours to know, object
// the account and the post, the reason in content.
func (f *Federator) buildFlag(ctx context.Context, e *storage.OutboxEvent, sender *storage.Actor) ([]byte, []string, error) {
	flag := streams.NewActivityStreamsFlag()
	flag.SetJSONLDId(idProperty(f.cfg.Site.ActivityURI(e.ID)))
	flag.SetActivityStreamsActor(actorProperty(sender.URI))
	content := streams.NewActivityStreamsContentProperty()
	content.AppendXMLSchemaString(e.Payload.Reason)
	flag.SetActivityStreamsContent(content)
	if e.Kind == storage.EventFlagGroup {
		group, err := f.db.ActorByID(ctx, e.Payload.SubwikiID)
		if err != nil {
			return nil, nil, err
		}
		flag.SetActivityStreamsObject(objectIRI(e.Payload.ObjectURI))
		flag.SetActivityStreamsTo(toProperty(group.URI))
		audience := streams.NewActivityStreamsAudienceProperty()
		appendIRIs(audience, group.URI)
		flag.SetActivityStreamsAudience(audience)
		summary := streams.NewActivityStreamsSummaryProperty()
		summary.AppendXMLSchemaString(e.Payload.Reason)
		flag.SetActivityStreamsSummary(summary)
		return f.only([]string{group.Inbox}, flag)
	}
	account, err := f.db.ActorByID(ctx, e.Payload.TargetActorID)
	if err != nil {
		return nil, nil, err
	}
	object := streams.NewActivityStreamsObjectProperty()
	appendIRIs(object, account.URI)
	if e.Payload.ObjectURI != account.URI {
		appendIRIs(object, e.Payload.ObjectURI)
	}
	flag.SetActivityStreamsObject(object)
	return f.only([]string{account.Inbox}, flag)
}
