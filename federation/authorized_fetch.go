package federation

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// Authorized fetch (Config.AuthorizedFetch) is Mastodon's secure mode:
// actors, objects and collections are served only to requests signed by
// a server that proves its key (as inbox deliveries are) and is not
// blocked, so that who reads what can be known and refused. The instance
// actor, WebFinger, host-meta and NodeInfo stay open, since other servers
// need them to find us and to check the signatures of our own fetches;
// and an unsigned request for a member or subwiki gets the minimal actor
// a server needs to verify that actor's signatures. HTML pages are not
// affected: they are the site, not the protocol.

// minimalActorFields are what an unsigned fetch of an actor shows: what
// identifies it, where to deliver, and its key.
var minimalActorFields = []string{"@context", "id", "type", "preferredUsername", "inbox", "outbox", "endpoints", "publicKey"}

// signedObject serves next only to a signed fetch when authorized fetch
// is on; an unsigned one gets 401.
func (f *Federator) signedObject(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !f.cfg.AuthorizedFetch {
			next(w, r)
			return
		}
		w.Header().Set("Cache-Control", "private")
		if !isSigned(r) {
			writeProblem(w, http.StatusUnauthorized, "this server answers only signed requests (authorized fetch)")
			return
		}
		if f.checkFetcher(w, r) {
			next(w, r)
		}
	}
}

// signedActor serves next (the whole actor) only to a signed fetch when
// authorized fetch is on; an unsigned one gets the minimal actor made
// from the whole document. Requests for a web page pass through.
func (f *Federator) signedActor(next http.HandlerFunc, document func(ctx context.Context, name string) ([]byte, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !f.cfg.AuthorizedFetch || !WantsActivityJSON(r) {
			next(w, r)
			return
		}
		w.Header().Set("Cache-Control", "private")
		if isSigned(r) {
			if f.checkFetcher(w, r) {
				next(w, r)
			}
			return
		}
		body, err := document(r.Context(), mux.Vars(r)["name"])
		if err == nil {
			body, err = minimalActor(body)
		}
		f.answer(w, r, body, err)
	}
}

// isSigned reports whether a request carries an HTTP signature of either
// scheme; whether it is a good one is for checkFetcher.
func isSigned(r *http.Request) bool {
	return r.Header.Get("Signature") != "" || r.Header.Get("Signature-Input") != ""
}

// checkFetcher verifies a signed fetch as the inbox verifies a delivery
// and that the signer's server may fetch; it answers the refusal itself
// and reports whether the fetch may go on.
func (f *Federator) checkFetcher(w http.ResponseWriter, r *http.Request) bool {
	if host := hostOf(signingKeyID(r)); host != "" && f.suspendedHost(r.Context(), host) {
		// Refused before its key is fetched, as at the inbox.
		writeProblem(w, http.StatusForbidden, "this server does not federate with "+host)
		return false
	}
	signer, no := f.requestSigner(r.Context(), r, nil)
	if no != nil {
		writeProblem(w, http.StatusUnauthorized, no.reason)
		return false
	}
	if err := f.fetchAllowed(r.Context(), signer); err != nil {
		writeProblem(w, http.StatusForbidden, storage.ErrorMessage(err))
		return false
	}
	return true
}

// fetchAllowed refuses the signed fetches of a server for who it is: a
// suspended one (domain_policy.go).
func (f *Federator) fetchAllowed(ctx context.Context, signer *storage.Actor) error {
	if f.suspendedHost(ctx, signer.Host) {
		return storage.Errorf(storage.EForbidden, "This server does not federate with %s.", signer.Host)
	}
	return nil
}

// minimalActor keeps of an actor document only minimalActorFields.
func minimalActor(body []byte) ([]byte, error) {
	var whole map[string]json.RawMessage
	if err := json.Unmarshal(body, &whole); err != nil {
		return nil, err
	}
	minimal := make(map[string]json.RawMessage, len(minimalActorFields))
	for _, k := range minimalActorFields {
		if v, ok := whole[k]; ok {
			minimal[k] = v
		}
	}
	return json.Marshal(minimal)
}
