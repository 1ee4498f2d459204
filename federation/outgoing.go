package federation

import (
	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// The activities this server sends, built with go-fed. Ids are stable
// for a given change, so a receiver deduplicates a resent one.

func actorProperty(uri string) vocab.ActivityStreamsActorProperty {
	p := streams.NewActivityStreamsActorProperty()
	p.AppendIRI(mustURL(uri))
	return p
}

func objectIRI(uri string) vocab.ActivityStreamsObjectProperty {
	p := streams.NewActivityStreamsObjectProperty()
	p.AppendIRI(mustURL(uri))
	return p
}

func toProperty(uris ...string) vocab.ActivityStreamsToProperty {
	p := streams.NewActivityStreamsToProperty()
	for _, uri := range uris {
		p.AppendIRI(mustURL(uri))
	}
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

// undoFollowOf takes a Follow back.
func undoFollowOf(id string, follow vocab.ActivityStreamsFollow, follower, followee string) vocab.ActivityStreamsUndo {
	undo := streams.NewActivityStreamsUndo()
	undo.SetJSONLDId(idProperty(id))
	undo.SetActivityStreamsActor(actorProperty(follower))
	object := streams.NewActivityStreamsObjectProperty()
	object.AppendActivityStreamsFollow(follow)
	undo.SetActivityStreamsObject(object)
	undo.SetActivityStreamsTo(toProperty(followee))
	return undo
}

// acceptOf accepts a Follow, which it embeds as Mastodon expects.
func acceptOf(id string, follow vocab.ActivityStreamsFollow, followee, follower string) vocab.ActivityStreamsAccept {
	accept := streams.NewActivityStreamsAccept()
	accept.SetJSONLDId(idProperty(id))
	accept.SetActivityStreamsActor(actorProperty(followee))
	object := streams.NewActivityStreamsObjectProperty()
	object.AppendActivityStreamsFollow(follow)
	accept.SetActivityStreamsObject(object)
	accept.SetActivityStreamsTo(toProperty(follower))
	return accept
}

// rejectOf refuses a Follow.
func rejectOf(id string, follow vocab.ActivityStreamsFollow, followee, follower string) vocab.ActivityStreamsReject {
	reject := streams.NewActivityStreamsReject()
	reject.SetJSONLDId(idProperty(id))
	reject.SetActivityStreamsActor(actorProperty(followee))
	object := streams.NewActivityStreamsObjectProperty()
	object.AppendActivityStreamsFollow(follow)
	reject.SetActivityStreamsObject(object)
	reject.SetActivityStreamsTo(toProperty(follower))
	return reject
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
