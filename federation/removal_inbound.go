package federation

import (
	"context"
	"strings"

	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// maxModerators bounds how many ids of a community's moderators
// collection are read.
const maxModerators = 500

// removal applies a Delete of a post here by someone other than its
// author: a moderator's removal, sent straight (as Tidings sends it to
// the author's server) or passed on by the community (as Lemmy and
// Tidings announce it). It reports false for a Delete that is not one,
// which the author's Delete path then handles as before. A removal is
// applied only if its actor is listed by the post's community as one of
// its moderators, or is on the post's origin, which no longer serves
// it; the reason is kept for the post's page and the log.
func (f *Federator) removal(ctx context.Context, actor *storage.Actor, del activity, uri string) (bool, error) {
	p, err := f.db.PostByURI(ctx, uri)
	if storage.ErrorCode(err) == storage.ENotFound {
		return false, nil
	}
	if err != nil {
		return true, err
	}
	if p.AuthorID == actor.ID {
		return false, nil
	}
	r := storage.RemoteRemoval{ActorID: actor.ID, PostURI: uri, Reason: reasonOf(del)}
	switch {
	case p.SubwikiID != "":
		group, err := f.db.ActorByID(ctx, p.SubwikiID)
		if err != nil {
			return true, err
		}
		if group.Local {
			return true, ignore("%s cannot remove %s from a subwiki here", actor.URI, uri)
		}
		ok, err := f.moderates(ctx, actor, group)
		if err != nil {
			return true, err
		}
		if !ok {
			return true, ignore("%s is not a moderator of %s", actor.URI, group.URI)
		}
		r.GroupID = group.ID
	case !p.Local && sameHost(actor.URI, uri):
		if err := f.confirmGone(ctx, uri); err != nil {
			return true, err
		}
	default:
		return true, ignore("%s may not remove %s", actor.URI, uri)
	}
	err = f.db.RemoveFromElsewhere(ctx, r)
	if code := storage.ErrorCode(err); code == storage.EForbidden || code == storage.ENotFound {
		return true, ignore("%s", storage.ErrorMessage(err))
	}
	return true, err
}

// moderates asks a community's server whether the actor is one of its
// moderators: the collection the Group's attributedTo names (FEP-1b12,
// Lemmy, Tidings), read fresh, so that a moderator removed there
// cannot act here.
func (f *Federator) moderates(ctx context.Context, actor, group *storage.Actor) (bool, error) {
	t, err := f.fetchObject(ctx, group.URI)
	if err != nil {
		return false, err
	}
	attributed, ok := t.(interface {
		GetActivityStreamsAttributedTo() vocab.ActivityStreamsAttributedToProperty
	})
	if !ok {
		return false, nil
	}
	for _, r := range refsOf(attributed.GetActivityStreamsAttributedTo()) {
		if r.IRI == actor.URI {
			return true, nil
		}
		if !sameHost(r.IRI, group.URI) {
			continue
		}
		list, err := f.fetchObject(ctx, r.IRI)
		if err != nil {
			return false, err
		}
		for _, id := range collectionIDs(list) {
			if id == actor.URI {
				return true, nil
			}
		}
	}
	return false, nil
}

// collectionIDs are the first ids of a collection given whole, ordered
// or not.
func collectionIDs(t vocab.Type) []string {
	var ids []string
	switch c := t.(type) {
	case vocab.ActivityStreamsOrderedCollection:
		ids = iris(c.GetActivityStreamsOrderedItems())
	case vocab.ActivityStreamsCollection:
		ids = iris(c.GetActivityStreamsItems())
	}
	if len(ids) > maxModerators {
		ids = ids[:maxModerators]
	}
	return ids
}

// reasonOf is the reason a removal gives: summary (Lemmy, Tidings), else
// content.
func reasonOf(t vocab.Type) string {
	if s, ok := t.(interface {
		GetActivityStreamsSummary() vocab.ActivityStreamsSummaryProperty
	}); ok {
		if reason := strings.TrimSpace(textOf(s.GetActivityStreamsSummary())); reason != "" {
			return reason
		}
	}
	if c, ok := t.(interface {
		GetActivityStreamsContent() vocab.ActivityStreamsContentProperty
	}); ok {
		return strings.TrimSpace(textOf(c.GetActivityStreamsContent()))
	}
	return ""
}
