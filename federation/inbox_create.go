package federation

import (
	"context"
	"fmt"
	"slices"

	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// postable is what Tidings reads of a post: a Note, Article or Page.
type postable interface {
	vocab.Type
	GetActivityStreamsAttributedTo() vocab.ActivityStreamsAttributedToProperty
	GetActivityStreamsContent() vocab.ActivityStreamsContentProperty
	GetActivityStreamsName() vocab.ActivityStreamsNameProperty
	GetActivityStreamsUrl() vocab.ActivityStreamsUrlProperty
	GetActivityStreamsInReplyTo() vocab.ActivityStreamsInReplyToProperty
	GetActivityStreamsPublished() vocab.ActivityStreamsPublishedProperty
	GetActivityStreamsUpdated() vocab.ActivityStreamsUpdatedProperty
	GetActivityStreamsTo() vocab.ActivityStreamsToProperty
	GetActivityStreamsCc() vocab.ActivityStreamsCcProperty
	GetActivityStreamsTag() vocab.ActivityStreamsTagProperty
}

// postTypes are the object types kept as posts.
var postTypes = map[string]bool{"Note": true, "Article": true, "Page": true}

// onCreate: a remote actor publishes a post. It is kept when someone
// here follows the author, or it is addressed to or mentions a member,
// or replies to a post here, as Mastodon does.
func (f *Federator) onCreate(ctx context.Context, actor *storage.Actor, act activity) error {
	object, err := objectOf(act)
	if err != nil {
		return err
	}
	post, err := f.postObject(ctx, actor, object)
	if err != nil {
		return err
	}
	related, err := f.relatedHere(ctx, actor, post)
	if err != nil {
		return err
	}
	if !related {
		return ignore("nobody here follows %s or is addressed", actor.URI)
	}
	_, err = f.db.SaveRemotePost(ctx, remotePost(actor, post))
	return err
}

// postObject returns the post an activity carries. An embedded copy is
// used when its id is on the actor's server (the signed activity vouches
// for it); one named by id is fetched from its origin.
func (f *Federator) postObject(ctx context.Context, actor *storage.Actor, object ref) (postable, error) {
	if !sameHost(object.IRI, actor.URI) {
		return nil, ignore("the object %s is not on the server of %s", object.IRI, actor.URI)
	}
	t := object.Type
	if t == nil {
		sign, err := f.instanceSigner(ctx)
		if err != nil {
			return nil, err
		}
		body, final, err := f.client.GetActivity(ctx, object.IRI, sign)
		if err != nil {
			return nil, fmt.Errorf("%w: object %s: %w", errFetch, object.IRI, err)
		}
		if t, _, err = decode(ctx, body); err != nil || idOf(t) != object.IRI || !sameHost(final, object.IRI) {
			return nil, ignore("the object at %s is not a valid copy of itself", object.IRI)
		}
	}
	post, ok := t.(postable)
	if !ok || !postTypes[t.GetTypeName()] {
		return nil, ignore("a %s is not kept as a post", t.GetTypeName())
	}
	if author := firstRef(post.GetActivityStreamsAttributedTo()).IRI; author != actor.URI {
		return nil, ignore("the post is attributed to %s, not to %s", author, actor.URI)
	}
	return post, nil
}

// relatedHere decides whether a post concerns this instance.
func (f *Federator) relatedHere(ctx context.Context, actor *storage.Actor, post postable) (bool, error) {
	if followed, err := f.db.IsFollowedLocally(ctx, actor.ID); err != nil || followed {
		return followed, err
	}
	for _, uri := range f.recipients(post) {
		if f.cfg.Site.IsLocal(uri) {
			return true, nil
		}
	}
	reply := firstRef(post.GetActivityStreamsInReplyTo()).IRI
	return reply != "" && f.cfg.Site.IsLocal(reply), nil
}

// recipients lists the ids a post is addressed to or mentions.
func (f *Federator) recipients(post postable) []string {
	out := append(iris(post.GetActivityStreamsTo()), iris(post.GetActivityStreamsCc())...)
	for _, tag := range refsOf(post.GetActivityStreamsTag()) {
		if tag.Type == nil || tag.Type.GetTypeName() != "Mention" {
			continue
		}
		if m, ok := tag.Type.(vocab.ActivityStreamsMention); ok && m.GetActivityStreamsHref() != nil && m.GetActivityStreamsHref().Get() != nil {
			out = append(out, m.GetActivityStreamsHref().Get().String())
		}
	}
	return out
}

// remotePost turns a post into what storage keeps.
func remotePost(actor *storage.Actor, post postable) storage.RemotePost {
	content := textOf(post.GetActivityStreamsContent())
	if content == "" {
		content = textOf(post.GetActivityStreamsName())
	}
	return storage.RemotePost{
		URI:        idOf(post),
		AuthorID:   actor.ID,
		Content:    content,
		URL:        firstRef(post.GetActivityStreamsUrl()).IRI,
		Visibility: visibility(post, actor.Followers),
		InReplyTo:  firstRef(post.GetActivityStreamsInReplyTo()).IRI,
		Published:  timeOf(post.GetActivityStreamsPublished()),
		Updated:    timeOf(post.GetActivityStreamsUpdated()),
	}
}

// visibility reads to and cc as Mastodon does.
func visibility(post postable, followers string) string {
	to, cc := iris(post.GetActivityStreamsTo()), iris(post.GetActivityStreamsCc())
	isPublic := func(uri string) bool { return uri == publicCollection || uri == "as:Public" || uri == "Public" }
	switch {
	case slices.ContainsFunc(to, isPublic):
		return storage.Public
	case slices.ContainsFunc(cc, isPublic):
		return storage.Unlisted
	case followers != "" && (slices.Contains(to, followers) || slices.Contains(cc, followers)):
		return storage.Followers
	}
	return storage.Direct
}
