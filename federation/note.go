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
		appendIRIs(to, publicCollection)
		appendIRIs(cc, followers)
	case storage.Unlisted:
		appendIRIs(to, followers)
		appendIRIs(cc, publicCollection)
	default:
		appendIRIs(to, followers)
	}
	t.SetActivityStreamsTo(to)
	t.SetActivityStreamsCc(cc)
}
