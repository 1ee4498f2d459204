package federation

import (
	"context"

	"github.com/go-fed/activity/streams"

	"github.com/tidings-social/tidings/storage"
)

// suspendedDocument is the Person of a suspended member, as Mastodon
// serves one: still there (its key checks the signatures of what it sent
// before, and its id keeps working for those who follow it), marked
// "suspended": true, with nothing of the profile: no name, bio, images
// or fields.
func (f *Federator) suspendedDocument(a *storage.Actor) ([]byte, error) {
	bare := *a
	bare.IconURL, bare.HeaderURL, bare.Discoverable = "", "", false
	person := streams.NewActivityStreamsPerson()
	fillActor(person, &bare, "", "")
	extra := actorExtras(&bare)
	extra["suspended"] = true
	return encode(person, extra)
}

// suspended reports whether the actor is a local member an admin
// suspended; nothing goes out in their name while they are, but the
// Update of their actor that says so.
func (f *Federator) suspended(ctx context.Context, a *storage.Actor) (bool, error) {
	if !a.Local || a.Kind != storage.KindPerson {
		return false, nil
	}
	s, err := f.db.SuspensionOf(ctx, a.ID)
	return s != nil, err
}
