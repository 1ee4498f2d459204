package federation

import (
	"context"
	"errors"

	"github.com/tidings-social/tidings/storage"
)

// fromGroup unwraps what a remote subwiki or Lemmy community passes on
// to its followers (FEP-1b12): a post itself, or an activity of one of
// its members (Create, Update, Delete, Like, Undo). The group signed the
// Announce, not the member's activity inside, so the group speaks only
// for accounts and objects on its own server; anything else is believed
// only as far as its own server confirms it, and nothing is taken as the
// act of a member here.
func (f *Federator) fromGroup(ctx context.Context, in *incoming) error {
	group := in.actor
	if followed, err := f.db.IsFollowedLocally(ctx, group.ID); err != nil || !followed {
		return orIgnore(err, "nobody here follows %s", group.URI)
	}
	object, err := objectOf(in.act)
	if err != nil {
		return err
	}
	inner, ok := object.Type.(activity)
	if !ok {
		return f.groupPost(ctx, in, group, object.IRI)
	}
	switch object.Type.GetTypeName() {
	case "Create", "Update", "Delete", "Like", "Undo":
	default:
		return ignore("%s passed on by %s has no effect here", object.Type.GetTypeName(), group.URI)
	}
	if object.Type.GetTypeName() == "Update" && firstRef(inner.GetActivityStreamsObject()).IRI == group.URI {
		// A moderator changed the community: read it from its server.
		_, err := f.fetchActor(ctx, group.URI, "")
		return err
	}
	actorRef := firstRef(inner.GetActivityStreamsActor())
	if f.cfg.Site.IsLocal(actorRef.IRI) {
		return ignore("%s cannot speak for %s, who is on this server", group.URI, actorRef.IRI)
	}
	member, err := f.ResolveActor(ctx, actorRef.IRI)
	if err != nil {
		return err
	}
	innerObject, err := objectOf(inner)
	if err != nil {
		return err
	}
	switch object.Type.GetTypeName() {
	case "Create", "Update":
		post, err := f.vouchedPost(ctx, group, member, innerObject)
		if err != nil {
			return err
		}
		return f.keepPost(ctx, in, member, post, group)
	case "Delete":
		if removed, err := f.removal(ctx, member, inner, innerObject.IRI); removed {
			return err
		}
		return f.groupDelete(ctx, group, member, innerObject.IRI)
	case "Like", "Undo":
		return f.groupReaction(ctx, group, member, inner)
	}
	return ignore("%s passed on by %s has no effect here", object.Type.GetTypeName(), group.URI)
}

// groupReaction applies a Like, or an Undo of one (embedded), that a
// group passed on, once its actor's server vouches for it.
func (f *Federator) groupReaction(ctx context.Context, group, member *storage.Actor, inner activity) error {
	if inner.GetTypeName() == "Undo" {
		if undone, _ := objectOf(inner); undone.Type == nil || undone.Type.GetTypeName() != "Like" {
			return ignore("Undo passed on by %s has no effect here", group.URI)
		}
	}
	act, err := f.vouchedActivity(ctx, group, member, inner)
	if err != nil {
		return err
	}
	object, err := objectOf(act)
	if err != nil {
		return err
	}
	if act.GetTypeName() == "Like" {
		err := f.db.React(ctx, member.ID, object.IRI, storage.Like, idOf(act), "")
		if storage.ErrorCode(err) == storage.ENotFound {
			return ignore("a like of %s, which is not here", object.IRI)
		}
		return err
	}
	like, ok := object.Type.(activity)
	if !ok || object.Type.GetTypeName() != "Like" {
		return ignore("Undo passed on by %s has no effect here", group.URI)
	}
	return f.db.Unreact(ctx, member.ID, storage.Like, object.IRI, firstRef(like.GetActivityStreamsObject()).IRI, "")
}

// vouchedActivity returns an activity a group passed on as one of its
// member's: as embedded when the member is on the group's server, which
// speaks for its own accounts; else as the member's own server serves it
// under its id, which must say the same (type, actor and object). An id
// that cannot be fetched (Mastodon's likes have none) confirms nothing.
func (f *Federator) vouchedActivity(ctx context.Context, group, member *storage.Actor, inner activity) (activity, error) {
	if sameHost(member.URI, group.URI) {
		return inner, nil
	}
	id, kind := idOf(inner), inner.GetTypeName()
	if !sameHost(id, member.URI) {
		return nil, ignore("the %s %s passed on by %s is not on the server of %s", kind, id, group.URI, member.URI)
	}
	t, err := f.fetchObject(ctx, id)
	var status *StatusError
	if errors.As(err, &status) && !status.Retryable() {
		return nil, ignore("%s does not confirm the %s %s passed on by %s: %v", hostOf(id), kind, id, group.URI, err)
	}
	if err != nil {
		return nil, err
	}
	fetched, ok := t.(activity)
	if !ok || t.GetTypeName() != kind || firstRef(fetched.GetActivityStreamsActor()).IRI != member.URI ||
		firstRef(fetched.GetActivityStreamsObject()).IRI != firstRef(inner.GetActivityStreamsObject()).IRI {
		return nil, ignore("%s says otherwise of the %s %s passed on by %s", hostOf(id), kind, id, group.URI)
	}
	return fetched, nil
}

// groupPost keeps a post a group announced bare (as Lemmy and Tidings do
// for Mastodon), fetched from where it lives.
func (f *Federator) groupPost(ctx context.Context, in *incoming, group *storage.Actor, uri string) error {
	if _, err := f.db.PostByURI(ctx, uri); err == nil {
		return nil // had it already, from the announced Create
	}
	t, err := f.fetchObject(ctx, uri)
	if err != nil {
		return err
	}
	post, ok := t.(postable)
	if !ok || !postTypes[t.GetTypeName()] {
		return ignore("a %s is not kept as a post", t.GetTypeName())
	}
	author, err := f.ResolveActor(ctx, firstRef(post.GetActivityStreamsAttributedTo()).IRI)
	if err != nil {
		return err
	}
	if !sameHost(author.URI, uri) {
		return ignore("the post %s is not on the server of its author", uri)
	}
	return f.keepPost(ctx, in, author, post, group)
}

// vouchedPost returns the post of a Create or Update a group passed on:
// the embedded copy when the group's server is the post's, else the one
// fetched from the post's server.
func (f *Federator) vouchedPost(ctx context.Context, group, member *storage.Actor, object ref) (postable, error) {
	if !sameHost(object.IRI, member.URI) {
		return nil, ignore("the object %s is not on the server of %s", object.IRI, member.URI)
	}
	if sameHost(object.IRI, group.URI) {
		return f.postObject(ctx, member, object)
	}
	return f.postObject(ctx, member, ref{IRI: object.IRI})
}

// groupDelete deletes a post a group says its author deleted: at once
// when the post is on the group's server, else once the post's own
// server no longer has it.
func (f *Federator) groupDelete(ctx context.Context, group, member *storage.Actor, uri string) error {
	if !sameHost(uri, group.URI) {
		_, err := f.fetchObject(ctx, uri)
		var status *StatusError
		if err == nil || !(errors.As(err, &status) && (status.Gone() || status.Code == 404)) {
			return ignore("%s still has %s", hostOf(uri), uri)
		}
	}
	return f.db.DeleteRemotePost(ctx, member.ID, uri, "")
}
