package federation

import (
	"context"
	"net/http"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// serveFeatured answers a member's featured collection: the objects of
// their pinned posts, whole and in one OrderedCollection, as Mastodon
// serves it (at most storage.MaxPins items, so no pages).
func (f *Federator) serveFeatured(w http.ResponseWriter, r *http.Request) {
	body, err := f.featuredDocument(r.Context(), r)
	f.answer(w, r, body, err)
}

func (f *Federator) featuredDocument(ctx context.Context, r *http.Request) ([]byte, error) {
	m, a, err := f.activeMemberActor(ctx, r)
	if err != nil {
		return nil, err
	}
	posts, err := f.db.PinnedPosts(ctx, storage.Stranger, m.ID)
	if err != nil {
		return nil, err
	}
	items := streams.NewActivityStreamsOrderedItemsProperty()
	for _, p := range posts {
		pub, err := f.publish(ctx, p, a)
		if err != nil {
			return nil, err
		}
		if err := items.AppendType(pub.object); err != nil {
			return nil, err
		}
	}
	c := collection(featuredURI(a), len(posts), false)
	c.SetActivityStreamsOrderedItems(items)
	return encode(c, nil)
}

// buildPin is a member's Add of a post to their featured collection, or
// the Remove of it, for their followers: Mastodon pins and unpins the
// post on the member's profile when target is the featured collection
// of the actor (app/lib/activitypub/activity/add.rb, remove.rb).
func (f *Federator) buildPin(ctx context.Context, e *storage.OutboxEvent, sender *storage.Actor) ([]byte, []string, error) {
	var activity interface {
		vocab.Type
		SetActivityStreamsActor(vocab.ActivityStreamsActorProperty)
		SetActivityStreamsObject(vocab.ActivityStreamsObjectProperty)
		SetActivityStreamsTarget(vocab.ActivityStreamsTargetProperty)
		addressing
	}
	if e.Kind == storage.EventPinPost {
		// A post deleted meanwhile is off the profile already: nothing
		// to send (ENotFound).
		if _, err := f.db.PostByID(ctx, e.SubjectID); err != nil {
			return nil, nil, err
		}
		activity = streams.NewActivityStreamsAdd()
	} else {
		activity = streams.NewActivityStreamsRemove()
	}
	activity.SetJSONLDId(idProperty(sender.URI + "#pins/" + e.ID))
	activity.SetActivityStreamsActor(actorProperty(sender.URI))
	activity.SetActivityStreamsObject(objectIRI(e.Payload.ObjectURI))
	target := streams.NewActivityStreamsTargetProperty()
	appendIRIs(target, featuredURI(sender))
	activity.SetActivityStreamsTarget(target)
	address(activity, storage.Public, sender.Followers)
	return f.withFollowers(ctx, sender, nil, activity, nil)
}
