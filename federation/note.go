package federation

import (
	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// publicCollection is the special collection addressing everyone.
const publicCollection = "https://www.w3.org/ns/activitystreams#Public"

// addressing is who an object or activity is for.
type addressing interface {
	SetActivityStreamsTo(vocab.ActivityStreamsToProperty)
	SetActivityStreamsCc(vocab.ActivityStreamsCcProperty)
}

// address sets to and cc as Mastodon reads visibility: a public post is
// to Public and cc the author's followers.
func address(t addressing, visibility, followers string) {
	to := streams.NewActivityStreamsToProperty()
	cc := streams.NewActivityStreamsCcProperty()
	switch visibility {
	case storage.Public:
		to.AppendIRI(mustURL(publicCollection))
		cc.AppendIRI(mustURL(followers))
	case storage.Unlisted:
		to.AppendIRI(mustURL(followers))
		cc.AppendIRI(mustURL(publicCollection))
	default:
		to.AppendIRI(mustURL(followers))
	}
	t.SetActivityStreamsTo(to)
	t.SetActivityStreamsCc(cc)
}

// noteOf is the Note of a local post.
func noteOf(p *storage.Post, author *storage.Actor) vocab.ActivityStreamsNote {
	note := streams.NewActivityStreamsNote()
	note.SetJSONLDId(idProperty(p.URI))
	attributed := streams.NewActivityStreamsAttributedToProperty()
	attributed.AppendIRI(mustURL(author.URI))
	note.SetActivityStreamsAttributedTo(attributed)
	content := streams.NewActivityStreamsContentProperty()
	content.AppendXMLSchemaString(p.Content)
	note.SetActivityStreamsContent(content)
	published := streams.NewActivityStreamsPublishedProperty()
	published.Set(p.Published)
	note.SetActivityStreamsPublished(published)
	if !p.Updated.IsZero() {
		updated := streams.NewActivityStreamsUpdatedProperty()
		updated.Set(p.Updated)
		note.SetActivityStreamsUpdated(updated)
	}
	link := streams.NewActivityStreamsUrlProperty()
	link.AppendIRI(mustURL(p.URL))
	note.SetActivityStreamsUrl(link)
	if p.InReplyTo != "" {
		reply := streams.NewActivityStreamsInReplyToProperty()
		reply.AppendIRI(mustURL(p.InReplyTo))
		note.SetActivityStreamsInReplyTo(reply)
	}
	address(note, p.Visibility, author.Followers)
	return note
}

// createOf is the Create activity that published a local post; its id is
// the post's id with /activity, so it is the same every time it is sent.
func createOf(p *storage.Post, author *storage.Actor) vocab.ActivityStreamsCreate {
	create := streams.NewActivityStreamsCreate()
	create.SetJSONLDId(idProperty(p.URI + "/activity"))
	actor := streams.NewActivityStreamsActorProperty()
	actor.AppendIRI(mustURL(author.URI))
	create.SetActivityStreamsActor(actor)
	object := streams.NewActivityStreamsObjectProperty()
	object.AppendActivityStreamsNote(noteOf(p, author))
	create.SetActivityStreamsObject(object)
	published := streams.NewActivityStreamsPublishedProperty()
	published.Set(p.Published)
	create.SetActivityStreamsPublished(published)
	address(create, p.Visibility, author.Followers)
	return create
}
