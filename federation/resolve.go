package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/tidings-social/tidings/storage"
)

const (
	// keyFetchTimeout bounds the one fetch an inbox request may make: the
	// signing key of an unknown actor.
	keyFetchTimeout = 5 * time.Second
	// actorStaleAfter is when a cached remote actor is fetched again.
	actorStaleAfter = 24 * time.Hour
)

// errFetch marks a failure to get a remote document, which may pass.
var errFetch = errors.New("fetch failed")

// fetchActor fetches a remote actor by id and stores it. The document
// must come from the actor's own server and carry the id asked for.
func (f *Federator) fetchActor(ctx context.Context, uri, keyID string) (*storage.Actor, error) {
	sign, err := f.instanceSigner(ctx)
	if err != nil {
		return nil, err
	}
	body, final, err := f.client.GetActivity(ctx, uri, sign)
	if err != nil {
		return nil, fmt.Errorf("%w: actor %s: %w", errFetch, uri, err)
	}
	t, _, err := decode(ctx, body)
	if err != nil {
		return nil, storage.Errorf(storage.EInvalid, "The actor document at %s is not valid: %v", uri, err)
	}
	if id := idOf(t); id != uri && id != final {
		return nil, storage.Errorf(storage.EInvalid, "The document at %s is %s, not the actor asked for.", uri, id)
	}
	if !sameHost(idOf(t), final) {
		return nil, storage.Errorf(storage.EInvalid, "The actor %s was served by another server (%s).", idOf(t), final)
	}
	remote, err := parseActor(t, keyID)
	if err != nil {
		return nil, storage.Errorf(storage.EInvalid, "The actor %s is not usable: %v", uri, err)
	}
	return f.db.SaveRemoteActor(ctx, remote)
}

// ResolveActor returns the remote actor with the id, from the cache when
// it is fresh, else fetched.
func (f *Federator) ResolveActor(ctx context.Context, uri string) (*storage.Actor, error) {
	a, err := f.db.ActorByURI(ctx, uri)
	if err == nil && (a.Local || f.now().Sub(a.FetchedAt) < actorStaleAfter) {
		return a, nil
	}
	if err != nil && storage.ErrorCode(err) != storage.ENotFound {
		return nil, err
	}
	if f.cfg.Site.IsLocal(uri) {
		return nil, storage.Errorf(storage.ENotFound, "No such account here.")
	}
	fetched, ferr := f.fetchActor(ctx, uri, "")
	if ferr != nil && a != nil {
		return a, nil // a stale copy beats none
	}
	return fetched, ferr
}

// ResolveHandle finds a remote account by its handle, user@host (a
// leading @ is allowed), through WebFinger, and stores it.
func (f *Federator) ResolveHandle(ctx context.Context, handle string) (*storage.Actor, error) {
	user, host, ok := strings.Cut(strings.TrimPrefix(strings.TrimSpace(handle), "@"), "@")
	if !ok || user == "" || host == "" || strings.ContainsAny(host, "/?#@ ") {
		return nil, storage.Errorf(storage.EInvalid, "%q is not a handle like @name@server.example.", handle)
	}
	if strings.EqualFold(host, f.cfg.Site.Domain) {
		a, err := f.db.ActorByHandle(ctx, strings.ToLower(user), f.cfg.Site.Domain)
		if err != nil {
			return nil, storage.Errorf(storage.ENotFound, "Nobody here is called @%s.", user)
		}
		return a, nil
	}
	if a, err := f.db.ActorByHandle(ctx, user, host); err == nil && f.now().Sub(a.FetchedAt) < actorStaleAfter {
		return a, nil
	}
	self, err := f.webfingerSelf(ctx, user, host)
	if err != nil {
		return nil, err
	}
	a, err := f.ResolveActor(ctx, self)
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(a.Username, user) && strings.EqualFold(a.Host, host) {
		return a, nil
	}
	// The handle's server named an actor elsewhere (a custom domain, or a
	// spoof): as Mastodon does, the actor's own server must confirm it.
	back, err := f.webfingerSelf(ctx, a.Username, a.Host)
	if err != nil || back != a.URI {
		return nil, storage.Errorf(storage.ENotFound, "@%s@%s points to %s, whose server does not confirm it.", user, host, a.URI)
	}
	return a, nil
}

// webfingerSelf asks host's WebFinger for the actor id of user@host,
// over https; when private addresses are allowed (instances on one
// machine), plain http is tried after https fails.
func (f *Federator) webfingerSelf(ctx context.Context, user, host string) (string, error) {
	query := url.Values{"resource": {"acct:" + user + "@" + host}}
	sign, err := f.instanceSigner(ctx)
	if err != nil {
		return "", err
	}
	var body []byte
	for _, scheme := range f.webfingerSchemes() {
		body, err = f.client.GetJSON(ctx, scheme+"://"+host+"/.well-known/webfinger?"+query.Encode(),
			"application/jrd+json, application/json", sign)
		if err == nil {
			break
		}
	}
	if err != nil {
		var status *StatusError
		if errors.As(err, &status) && status.Code == 404 {
			return "", storage.Errorf(storage.ENotFound, "%s has no account @%s.", host, user)
		}
		return "", storage.Errorf(storage.ENotFound, "Could not reach %s to look up @%s@%s.", host, user, host)
	}
	var doc jrd
	if err := json.Unmarshal(body, &doc); err != nil {
		return "", storage.Errorf(storage.EInvalid, "%s answered WebFinger with something that is not JSON.", host)
	}
	for _, l := range doc.Links {
		if l.Rel == "self" && (l.Type == "application/activity+json" || strings.HasPrefix(l.Type, "application/ld+json")) && l.Href != "" {
			return l.Href, nil
		}
	}
	return "", storage.Errorf(storage.ENotFound, "%s has no ActivityPub account @%s.", host, user)
}

func (f *Federator) webfingerSchemes() []string {
	if f.cfg.AllowPrivateAddresses {
		return []string{"https", "http"}
	}
	return []string{"https"}
}

// sameHost reports whether two URLs are on the same server.
func sameHost(a, b string) bool {
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	return errA == nil && errB == nil && ua.Host != "" && strings.EqualFold(ua.Host, ub.Host)
}

// hostOf is the host[:port] of a URL, lowercased.
func hostOf(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}
