package federation

import (
	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// The activities this server sends, built with go-fed. Ids are stable
// for a given change, so a receiver deduplicates a resent one.

// actorProperty names the actor of an activity (empty when the id does
// not parse, which encode refuses).
func actorProperty(uri string) vocab.ActivityStreamsActorProperty {
	p := streams.NewActivityStreamsActorProperty()
	appendIRIs(p, uri)
	return p
}

// objectIRI names the object of an activity by id (empty when the id
// does not parse, which encode refuses).
func objectIRI(uri string) vocab.ActivityStreamsObjectProperty {
	p := streams.NewActivityStreamsObjectProperty()
	appendIRIs(p, uri)
	return p
}

// toProperty addresses an activity; ids that do not parse are left out.
func toProperty(uris ...string) vocab.ActivityStreamsToProperty {
	p := streams.NewActivityStreamsToProperty()
	appendIRIs(p, uris...)
	return p
}

// followOf is the Follow with the id, from follower to followee.
func followOf(id, follower, followee string) vocab.ActivityStreamsFollow {
	follow := streams.NewActivityStreamsFollow()
	follow.SetJSONLDId(idProperty(id))
	follow.SetActivityStreamsActor(actorProperty(follower))
	follow.SetActivityStreamsObject(objectIRI(followee))
	follow.SetActivityStreamsTo(toProperty(followee))
	return follow
}

// aboutFollow is an activity about a Follow: Undo, Accept or Reject.
type aboutFollow interface {
	vocab.Type
	SetActivityStreamsActor(vocab.ActivityStreamsActorProperty)
	SetActivityStreamsObject(vocab.ActivityStreamsObjectProperty)
	SetActivityStreamsTo(vocab.ActivityStreamsToProperty)
}

// aboutFollowOf fills an activity by actor, sent to to, that embeds the
// Follow (as Mastodon expects in Accept and Undo).
func aboutFollowOf[T aboutFollow](t T, id string, follow vocab.ActivityStreamsFollow, actor, to string) T {
	t.SetJSONLDId(idProperty(id))
	t.SetActivityStreamsActor(actorProperty(actor))
	object := streams.NewActivityStreamsObjectProperty()
	object.AppendActivityStreamsFollow(follow)
	t.SetActivityStreamsObject(object)
	t.SetActivityStreamsTo(toProperty(to))
	return t
}

// deleteOf deletes a post, leaving a Tombstone.
func deleteOf(postURI string, author *storage.Actor) vocab.ActivityStreamsDelete {
	del := streams.NewActivityStreamsDelete()
	del.SetJSONLDId(idProperty(postURI + "#delete"))
	del.SetActivityStreamsActor(actorProperty(author.URI))
	tombstone := streams.NewActivityStreamsTombstone()
	tombstone.SetJSONLDId(idProperty(postURI))
	object := streams.NewActivityStreamsObjectProperty()
	object.AppendActivityStreamsTombstone(tombstone)
	del.SetActivityStreamsObject(object)
	address(del, storage.Public, author.Followers)
	return del
}
