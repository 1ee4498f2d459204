package federation

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// A forwarded activity is one delivered by a server other than its
// actor's: Mastodon passes on a reply to the followers of the post it
// answers, signed over HTTP by the forwarding server, with a Linked Data
// signature of the actor that Tidings does not check. Such a delivery
// proves nothing about its content, so only a Create, Update or Delete is
// taken, and the effect is decided from the origin: the object is fetched
// by its id (never read from the forwarded copy), and a Delete counts only
// when the origin answers that the object is gone.

// forwardable reports whether an activity delivered by another actor than
// its own may be taken as forwarded.
func (f *Federator) forwardable(env envelope) bool {
	switch env.Type {
	case "Create", "Update", "Delete":
		return !f.cfg.Site.IsLocal(env.Actor)
	}
	return false
}

// forwarded prepares a stored forwarded activity for its handler: the
// actor, fetched when unknown, and the activity with its object reduced
// to the id, so that the handler fetches it from its origin. A Delete
// goes on only when its origin no longer has the object.
func (f *Federator) forwarded(ctx context.Context, in *storage.Inbound, act activity) (*storage.Actor, error) {
	actor, err := f.ResolveActor(ctx, in.ActorURI)
	if err != nil {
		return nil, err
	}
	object, err := objectOf(act)
	if err != nil {
		return nil, err
	}
	if !sameHost(object.IRI, actor.URI) {
		return nil, ignore("a forwarded %s of %s, which is not on the server of %s", act.GetTypeName(), object.IRI, actor.URI)
	}
	if act.GetTypeName() == "Delete" {
		if err := f.confirmGone(ctx, object.IRI); err != nil {
			return nil, err
		}
	}
	settable, ok := act.(interface {
		SetActivityStreamsObject(vocab.ActivityStreamsObjectProperty)
	})
	u, err := url.Parse(object.IRI)
	if !ok || err != nil {
		return nil, ignore("a forwarded %s is not taken", act.GetTypeName())
	}
	byID := streams.NewActivityStreamsObjectProperty()
	byID.AppendIRI(u)
	settable.SetActivityStreamsObject(byID)
	return actor, nil
}

// confirmGone asks the origin for an object a forwarded Delete removes:
// only a 404 or 410 lets it go on.
func (f *Federator) confirmGone(ctx context.Context, uri string) error {
	_, _, err := f.getSigned(ctx, uri)
	var status *StatusError
	switch {
	case errors.As(err, &status) && (status.Code == http.StatusNotFound || status.Code == http.StatusGone):
		return nil
	case err == nil:
		return ignore("a forwarded Delete of %s, which its origin still serves", uri)
	case Retryable(err):
		return errors.Join(errFetch, err)
	}
	return ignore("a forwarded Delete of %s, whose origin did not say it is gone: %v", uri, err)
}
