package federation

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// Domain blocks (storage.DomainLevel) at the edges of federation: an
// activity from a suspended server is refused before its key is fetched
// or anything of it is stored, a signed fetch by one is refused under
// authorized fetch, and the client sends no request to one (fetches of
// actors, objects and media, deliveries). The rule is storage's; the
// set is in memory there, so asking costs a few map lookups.

// ErrSuspendedDomain is a request to a server this instance suspended.
var ErrSuspendedDomain = errors.New("domain suspended")

// suspendedHost reports whether the server at host is suspended. When
// the blocks cannot be read it says no, and logs why; a federator with
// no database (a media cache alone, in tests) has no blocks.
func (f *Federator) suspendedHost(ctx context.Context, host string) bool {
	if f.db == nil {
		return false
	}
	level, err := f.db.DomainLevel(ctx, host)
	if err != nil {
		f.log.Warn("read domain blocks", "host", host, "err", err)
	}
	return level == storage.DomainSuspend
}

// refusedSender is why an inbox request from a suspended server is
// refused: its activity's actor or its signing key is on one. "" when
// neither is.
func (f *Federator) refusedSender(r *http.Request, env envelope) string {
	for _, uri := range []string{env.Actor, signingKeyID(r)} {
		if host := hostOf(uri); host != "" && f.suspendedHost(r.Context(), host) {
			return fmt.Sprintf("this server does not federate with %s", host)
		}
	}
	return ""
}

// signingKeyID is the request's key id, or "" when it has none.
func signingKeyID(r *http.Request) string {
	id, err := SignatureKeyID(r)
	if err != nil {
		return ""
	}
	return id
}

// refuseSuspended is the client's check of each request's host.
func (f *Federator) refuseSuspended(ctx context.Context, host string) error {
	if f.suspendedHost(ctx, host) {
		return fmt.Errorf("%w: %s", ErrSuspendedDomain, host)
	}
	return nil
}

// suspendedOrigin is the host of a stored inbound activity's actor or
// forwarder when that server was suspended after the activity arrived,
// so that it is dropped unprocessed; "" otherwise.
func (f *Federator) suspendedOrigin(ctx context.Context, in *storage.Inbound) string {
	for _, uri := range []string{in.ActorURI, in.ForwardedBy} {
		if host := hostOf(uri); host != "" && f.suspendedHost(ctx, host) {
			return host
		}
	}
	return ""
}
