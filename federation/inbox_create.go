package federation

import (
	"context"
	"fmt"
	"slices"
	"strings"

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
	GetActivityStreamsAudience() vocab.ActivityStreamsAudienceProperty
	GetActivityStreamsAttachment() vocab.ActivityStreamsAttachmentProperty
}

// postTypes are the object types kept as posts.
var postTypes = map[string]bool{"Note": true, "Article": true, "Page": true}

// onCreate: a remote actor publishes a post. It is kept when it is sent
// to a subwiki of ours (which then announces it), or when someone here
// follows the author or the remote subwiki it is in, or it is addressed
// to or mentions a member, or replies to a post here, as Mastodon does.
func (f *Federator) onCreate(ctx context.Context, in *incoming) error {
	object, err := objectOf(in.act)
	if err != nil {
		return err
	}
	post, err := f.postObject(ctx, in.actor, object)
	if err != nil {
		return err
	}
	return f.keepPost(ctx, in, in.actor, post, nil)
}

// keepPost stores a post of author when it concerns this instance. via
// is the remote group that announced it, if it came that way. A post
// that is not for everyone (followers-only or direct) is kept only when
// someone here may see it: a member follows its author, or it names a
// member, or it answers a post here. Being sent to a group is not
// enough, since its members are not the ones it is for; a subwiki of
// ours keeps it but does not pass it on (storage.Listed).
func (f *Federator) keepPost(ctx context.Context, in *incoming, author *storage.Actor, post postable, via *storage.Actor) error {
	r := remotePost(author, post)
	r.Revision = f.revisionOf(ctx, in, author, post, r.HistoryURI)
	group, err := f.groupOf(ctx, post, author, via)
	if err != nil {
		return err
	}
	if group != nil {
		headlineFromText(&r) // a note posted into a group gets a headline, as on Lemmy
	}
	if group != nil && !storage.Listed(r.Visibility) {
		if related, err := f.relatedHere(ctx, author, post); err != nil || !related {
			return orIgnore(err, "a %s post of %s in %s, and nobody here it is for", r.Visibility, author.URI, group.URI)
		}
	}
	switch {
	case group != nil && group.Local:
		r.SubwikiID = group.ID
		if in.record.ForwardedBy == "" { // a forwarded body is not the origin's to pass on
			r.RelayInboundID = in.record.ID
		}
	case group != nil:
		r.SubwikiID = group.ID
		if group != via { // else a member here follows the group that announced it
			followed, err := f.db.IsFollowedLocally(ctx, group.ID)
			if err != nil {
				return err
			}
			if !followed {
				if related, err := f.relatedHere(ctx, author, post); err != nil || !related {
					return orIgnore(err, "nobody here follows %s or %s", group.URI, author.URI)
				}
			}
		}
	default:
		if related, err := f.relatedHere(ctx, author, post); err != nil || !related {
			return orIgnore(err, "nobody here follows %s or is addressed", author.URI)
		}
	}
	_, err = f.db.SaveRemotePost(completing(ctx, in), r)
	return err
}

// orIgnore returns err, or when it is nil, an ignored outcome.
func orIgnore(err error, format string, args ...any) error {
	if err != nil {
		return err
	}
	return ignore(format, args...)
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
		var err error
		if t, err = f.fetchObject(ctx, object.IRI); err != nil {
			return nil, err
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

// fetchObject fetches an object from its origin, which must serve it
// under its own id.
func (f *Federator) fetchObject(ctx context.Context, uri string) (vocab.Type, error) {
	sign, err := f.instanceSigner(ctx)
	if err != nil {
		return nil, err
	}
	body, final, err := f.client.GetActivity(ctx, uri, sign)
	if err != nil {
		return nil, fmt.Errorf("%w: object %s: %w", errFetch, uri, err)
	}
	t, _, err := decode(ctx, body)
	if err != nil || idOf(t) != uri || !sameHost(final, uri) {
		return nil, ignore("the object at %s is not a valid copy of itself", uri)
	}
	return t, nil
}

// relatedHere decides whether a post concerns someone here: a member
// follows its author, it is addressed to or names a member (a subwiki of
// ours it names is not someone), or it replies to a post here.
func (f *Federator) relatedHere(ctx context.Context, actor *storage.Actor, post postable) (bool, error) {
	if followed, err := f.db.IsFollowedLocally(ctx, actor.ID); err != nil || followed {
		return followed, err
	}
	for _, uri := range f.recipients(post) {
		if !f.cfg.Site.IsLocal(uri) {
			continue
		}
		if f.localNonGroup(uri) {
			return true, nil // a member here, or nothing a lookup could find a group under
		}
		a, err := f.db.ActorByURI(ctx, uri)
		if err != nil && storage.ErrorCode(err) != storage.ENotFound {
			return false, err
		}
		if a == nil || a.Kind != storage.KindGroup {
			return true, nil
		}
	}
	reply := firstRef(post.GetActivityStreamsInReplyTo()).IRI
	return reply != "" && f.cfg.Site.IsLocal(reply), nil
}

// recipients lists the ids a post is addressed to or mentions.
func (f *Federator) recipients(post postable) []string {
	out := append(iris(post.GetActivityStreamsTo()), iris(post.GetActivityStreamsCc())...)
	return append(out, mentioned(post)...)
}

// groupOf finds the subwiki or community a post was published in: the
// group that announced it, when the post names it, is on its server or
// replies in a thread of it (as Mastodon replies, naming only whom they
// answer); else its audience, else a group among its recipients
// (Mastodon users post into a group by mentioning it). Only groups of
// ours or already known are considered. A group announcing a post of
// another server that is none of these is no more than a booster: else
// any group could file any post under itself, and then decide on its
// headline.
func (f *Federator) groupOf(ctx context.Context, post postable, author, via *storage.Actor) (*storage.Actor, error) {
	named := append(iris(post.GetActivityStreamsAudience()), f.recipients(post)...)
	if via != nil && (sameHost(via.URI, idOf(post)) || slices.Contains(named, via.URI) || f.inThreadOf(ctx, post, via)) {
		return via, nil
	}
	for _, uri := range named {
		// What cannot be a group is not looked up; Mastodon's posts all
		// name their author's followers.
		if uri == publicCollection || f.localNonGroup(uri) || uri == author.Followers {
			continue
		}
		a, err := f.db.ActorByURI(ctx, uri)
		if storage.ErrorCode(err) == storage.ENotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		if a.Kind == storage.KindGroup {
			return a, nil
		}
	}
	return nil, nil
}

// localNonGroup reports whether uri is of this instance and not of one
// of its subwikis, so that no lookup can find a group under it: a
// member, a followers collection.
func (f *Federator) localNonGroup(uri string) bool {
	site := f.cfg.Site
	return site.IsLocal(uri) && !strings.HasPrefix(uri, site.SubwikiURI(""))
}

// inThreadOf reports whether a post replies to one here in the group.
func (f *Federator) inThreadOf(ctx context.Context, post postable, group *storage.Actor) bool {
	reply := firstRef(post.GetActivityStreamsInReplyTo()).IRI
	if reply == "" {
		return false
	}
	parent, err := f.db.PostByURI(ctx, reply)
	return err == nil && parent.SubwikiID == group.ID
}
