package federation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// buildAnnounce makes a subwiki's Announce for those of its followers
// whose servers read it (docs/federation.md, Subwikis):
//
//   - an activity one of our members sent, unchanged, or one a member
//     elsewhere sent to the subwiki, unchanged as received, wrapped in the
//     Announce (FEP-1b12), goes to group-aware servers (Lemmy, Mbin,
//     PieFed, Tidings);
//   - a new post announced by id, with published, is the boost Mastodon,
//     GoToSocial and the others show; only they get it (GoToSocial cannot
//     read the wrapped form, and logs an error for each);
//   - when the post is deleted, those servers get the boost taken back.
func (f *Federator) buildAnnounce(ctx context.Context, e *storage.OutboxEvent, group *storage.Actor) ([]byte, []string, error) {
	followers, err := f.db.FollowerInboxes(ctx, group.ID)
	if err != nil {
		return nil, nil, err
	}
	var body []byte
	groupAware := false
	switch {
	case e.Payload.InnerEventID != "" || e.Payload.InboundID != "":
		inner, err := f.announcedActivity(ctx, e.Payload)
		if err != nil {
			return nil, nil, err
		}
		if e.Payload.InnerEventID != "" {
			withPlainName(inner)
		}
		announce := streams.NewActivityStreamsAnnounce()
		announce.SetJSONLDId(idProperty(group.URI + "/announces/" + e.ID))
		announce.SetActivityStreamsActor(actorProperty(group.URI))
		address(announce, storage.Public, group.Followers)
		body, err = encode(announce, map[string]any{"object": inner})
		if err != nil {
			return nil, nil, err
		}
		groupAware = true
	case e.Payload.UndoBoost:
		undo := streams.NewActivityStreamsUndo()
		undo.SetJSONLDId(idProperty(boostID(group, e.Payload.ObjectURI) + "/undo"))
		undo.SetActivityStreamsActor(actorProperty(group.URI))
		object := streams.NewActivityStreamsObjectProperty()
		object.AppendActivityStreamsAnnounce(boostOf(group, e.Payload.ObjectURI))
		undo.SetActivityStreamsObject(object)
		address(undo, storage.Public, group.Followers)
		if body, err = encode(undo, nil); err != nil {
			return nil, nil, err
		}
	default:
		boost := boostOf(group, e.Payload.ObjectURI)
		published := streams.NewActivityStreamsPublishedProperty()
		published.Set(e.CreatedAt)
		boost.SetActivityStreamsPublished(published)
		if body, err = encode(boost, nil); err != nil {
			return nil, nil, err
		}
	}
	var inboxes []string
	for _, inbox := range followers {
		if f.groupAware(ctx, inbox) == groupAware {
			inboxes = append(inboxes, inbox)
		}
	}
	return body, inboxes, nil
}

// announcedActivity is the activity a group announces whole: one of ours,
// or one it received, without its @context.
func (f *Federator) announcedActivity(ctx context.Context, p storage.OutboxPayload) (map[string]any, error) {
	var inner []byte
	var err error
	if p.InnerEventID != "" {
		inner, err = f.db.OutboxActivity(ctx, p.InnerEventID)
		if err == nil && inner == nil {
			err = storage.Errorf(storage.ENotFound, "the announced activity had nothing to send")
		}
	} else {
		inner, err = f.db.InboundBody(ctx, p.InboundID)
		if err == nil && len(inner) == 0 {
			err = storage.Errorf(storage.ENotFound, "the announced activity is no longer kept")
		}
	}
	if err != nil {
		return nil, err
	}
	return withoutContext(inner)
}

// withPlainName gives the post in one of our activities its headline as
// a plain name too, for group-aware servers only: Mbin reads a post's
// title from name alone (Lemmy takes it from there first), while
// GoToSocial, which would show a plain name as a content warning, never
// gets the wrapped form. The post's own document, which GoToSocial
// fetches to show a boost, keeps nameMap only (see postText).
func withPlainName(activity map[string]any) {
	object, ok := activity["object"].(map[string]any)
	if !ok {
		return
	}
	names, _ := object["nameMap"].(map[string]any)
	if name, ok := names[headlineLanguage].(string); ok && object["name"] == nil {
		object["name"] = name
	}
}

// boostOf is a group's plain Announce of a post by id, the boost
// Mastodon shows. Its id is made from the post's, so that the Undo sent
// when the post is deleted names it.
func boostOf(group *storage.Actor, postURI string) vocab.ActivityStreamsAnnounce {
	boost := streams.NewActivityStreamsAnnounce()
	boost.SetJSONLDId(idProperty(boostID(group, postURI)))
	boost.SetActivityStreamsActor(actorProperty(group.URI))
	boost.SetActivityStreamsObject(objectIRI(postURI))
	address(boost, storage.Public, group.Followers)
	return boost
}

// boostID is the id of a group's boost of a post.
func boostID(group *storage.Actor, postURI string) string {
	sum := sha256.Sum256([]byte(postURI))
	return group.URI + "/boosts/" + hex.EncodeToString(sum[:16])
}

// withoutContext reads an activity for embedding in another.
func withoutContext(activity []byte) (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal(activity, &m); err != nil {
		return nil, err
	}
	delete(m, "@context")
	return m, nil
}

// boostReaders lists the inboxes of a subwiki's followers that get its
// boosts rather than the activities wrapped (Mastodon, GoToSocial, ...),
// for a post of ours in the subwiki: they apply an edit only from the
// post's author, and follow only the subwiki, so its author's Update is
// sent to them too. Nothing for a post not in a subwiki of ours, or not
// relayed (groupAnnounce relays only posts for everyone).
func (f *Federator) boostReaders(ctx context.Context, p *storage.Post) ([]string, error) {
	if p.SubwikiID == "" || !storage.Listed(p.Visibility) {
		return nil, nil
	}
	group, err := f.db.ActorByID(ctx, p.SubwikiID)
	if err != nil || !group.Local {
		return nil, err
	}
	followers, err := f.db.FollowerInboxes(ctx, group.ID)
	if err != nil {
		return nil, err
	}
	var inboxes []string
	for _, inbox := range followers {
		if !f.groupAware(ctx, inbox) {
			inboxes = append(inboxes, inbox)
		}
	}
	return inboxes, nil
}
