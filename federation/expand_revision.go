package federation

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// buildRevision tells those who have a post of a new headline revision.
// For our own post it is the author's Update of the post, with a newer
// updated time, so that Mastodon shows the corrected headline; the post
// names its history collection and current revision, which Tidings
// servers fetch to learn who corrected it and why (strict servers refuse
// unknown types inside an activity, so the revision is not embedded).
// For a post from elsewhere in a subwiki of ours, the subwiki sends its
// followers an Update carrying the revision as instrument.
func (f *Federator) buildRevision(ctx context.Context, e *storage.OutboxEvent, sender *storage.Actor) ([]byte, []string, error) {
	post, err := f.db.PostByID(ctx, e.SubjectID)
	if err != nil {
		return nil, nil, err
	}
	rev, err := f.currentRevision(ctx, post)
	if err != nil {
		return nil, nil, err
	}
	doc, err := asMap(revisionDocOf(post, rev))
	if err != nil {
		return nil, nil, err
	}
	if post.Local {
		pub, err := f.publish(ctx, post, sender)
		if err != nil {
			return nil, nil, err
		}
		update := updateOf(post, sender, pub, post.URI+"#revisions/"+strconv.Itoa(rev.Number))
		readers, err := f.boostReaders(ctx, post)
		if err != nil {
			return nil, nil, err
		}
		return f.withFollowers(ctx, sender, append(pub.inboxes, readers...), update, nil)
	}
	// A subwiki's relay: the post is described by id and new headline.
	doc["id"], doc["object"] = rev.URI, post.URI
	update := streams.NewActivityStreamsUpdate()
	update.SetJSONLDId(idProperty(sender.URI + "/revisions/" + post.ID + "/" + strconv.Itoa(rev.Number)))
	update.SetActivityStreamsActor(actorProperty(sender.URI))
	address(update, storage.Public, sender.Followers)
	object := map[string]any{"id": post.URI, "type": objectTypeOf(post), "name": post.Headline, "headlineRevision": rev.Number}
	body, inboxes, err := f.withFollowers(ctx, sender, nil, update, map[string]any{"object": object, "instrument": doc})
	return body, f.groupAwareOnly(ctx, inboxes), err
}

// objectTypeOf is the ActivityStreams type a post goes out as.
func objectTypeOf(p *storage.Post) string {
	if p.Kind == storage.KindNews {
		return "Page"
	}
	return "Note"
}

// asMap turns a JSON-encodable value into a map for embedding.
func asMap(v any) (map[string]any, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(body, &m)
}

// buildProposal makes the Offer of a correction to a post's origin, or
// the origin's Accept or Reject of one.
func (f *Federator) buildProposal(ctx context.Context, e *storage.OutboxEvent, sender *storage.Actor) ([]byte, []string, error) {
	target, err := f.db.ActorByID(ctx, e.Payload.TargetActorID)
	if err != nil {
		return nil, nil, err
	}
	switch e.Kind {
	case storage.EventProposeHeadline:
		prop, err := f.db.ProposalByID(ctx, e.SubjectID)
		if err != nil {
			return nil, nil, err
		}
		post, err := f.db.PostByID(ctx, prop.PostID)
		if err != nil {
			return nil, nil, err
		}
		return f.only([]string{target.Inbox}, offerOf(prop, post, sender, target))
	case storage.EventAcceptProposal:
		accept := streams.NewActivityStreamsAccept()
		accept.SetJSONLDId(idProperty(f.cfg.Site.ActivityURI(e.ID)))
		accept.SetActivityStreamsActor(actorProperty(sender.URI))
		accept.SetActivityStreamsObject(objectIRI(e.Payload.ObjectURI))
		accept.SetActivityStreamsTo(toProperty(target.URI))
		result := streams.NewActivityStreamsResultProperty()
		appendIRIs(result, e.Payload.ActivityURI)
		accept.SetActivityStreamsResult(result)
		return f.only([]string{target.Inbox}, accept)
	}
	reject := streams.NewActivityStreamsReject()
	reject.SetJSONLDId(idProperty(f.cfg.Site.ActivityURI(e.ID)))
	reject.SetActivityStreamsActor(actorProperty(sender.URI))
	reject.SetActivityStreamsObject(objectIRI(e.Payload.ObjectURI))
	reject.SetActivityStreamsTo(toProperty(target.URI))
	summary := streams.NewActivityStreamsSummaryProperty()
	summary.AppendXMLSchemaString(e.Payload.Reason)
	reject.SetActivityStreamsSummary(summary)
	return f.only([]string{target.Inbox}, reject)
}

// offerOf proposes a correction: an Offer of the post with the revised
// headline, targeting the post, with the base revision and the reason.
func offerOf(prop *storage.Proposal, post *storage.Post, member, author *storage.Actor) vocab.Type {
	offer := streams.NewActivityStreamsOffer()
	offer.SetJSONLDId(idProperty(prop.ActivityURI))
	offer.SetActivityStreamsActor(actorProperty(member.URI))
	var revised interface {
		vocab.Type
		SetActivityStreamsName(vocab.ActivityStreamsNameProperty)
		GetUnknownProperties() map[string]any
	} = streams.NewActivityStreamsNote()
	if post.Kind == storage.KindNews {
		revised = streams.NewActivityStreamsPage()
	}
	revised.SetJSONLDId(idProperty(post.URI))
	name := streams.NewActivityStreamsNameProperty()
	name.AppendXMLSchemaString(prop.Headline)
	revised.SetActivityStreamsName(name)
	revised.GetUnknownProperties()["headlineRevision"] = prop.BaseRevision
	object := streams.NewActivityStreamsObjectProperty()
	object.AppendType(revised)
	offer.SetActivityStreamsObject(object)
	target := streams.NewActivityStreamsTargetProperty()
	appendIRIs(target, post.URI)
	offer.SetActivityStreamsTarget(target)
	summary := streams.NewActivityStreamsSummaryProperty()
	summary.AppendXMLSchemaString(prop.Reason)
	offer.SetActivityStreamsSummary(summary)
	if prop.SourceURL != "" {
		link := streams.NewActivityStreamsUrlProperty()
		appendIRIs(link, prop.SourceURL)
		offer.SetActivityStreamsUrl(link)
	}
	offer.SetActivityStreamsTo(toProperty(author.URI))
	return offer
}
