package federation

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// envelope is what the inbox reads of an activity before trusting it.
type envelope struct {
	ID    string
	Type  string
	Actor string
}

// readEnvelope takes the id, type and actor of an activity; the actor
// may be given by id or embedded.
func readEnvelope(raw map[string]any) (envelope, error) {
	var e envelope
	e.ID, _ = raw["id"].(string)
	e.Type, _ = raw["type"].(string)
	switch actor := raw["actor"].(type) {
	case string:
		e.Actor = actor
	case map[string]any:
		e.Actor, _ = actor["id"].(string)
	case []any:
		if len(actor) == 1 {
			if s, ok := actor[0].(string); ok {
				e.Actor = s
			}
		}
	}
	switch {
	case e.Type == "":
		return e, errors.New("the activity has no type")
	case e.ID == "":
		return e, errors.New("the activity has no id")
	case e.Actor == "":
		return e, errors.New("the activity has no actor")
	case !sameHost(e.ID, e.Actor):
		return e, errors.New("the activity's id is not on its actor's server")
	}
	return e, nil
}

// serveInbox takes an activity delivered to an actor's inbox or to the
// shared inbox: it checks size, form, signature and sender, stores the
// activity durably and answers 202. Everything else happens later, from
// the stored record, so nothing in this request waits on another server
// except fetching the key of a sender never seen before.
func (f *Federator) serveInbox(w http.ResponseWriter, r *http.Request) {
	f.receiving.Add(1)
	defer func() {
		if f.receiving.Add(-1) == inboxBusyRequests {
			f.calmWake.broadcast() // the flood is over: the waiting workers go on
		}
	}()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, f.cfg.MaxInboxBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeProblem(w, http.StatusRequestEntityTooLarge, "the activity is larger than this server accepts")
			return
		}
		writeProblem(w, http.StatusBadRequest, "the request body could not be read")
		return
	}
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		writeProblem(w, http.StatusBadRequest, "the body is not a JSON object")
		return
	}
	env, err := readEnvelope(raw)
	if err != nil {
		writeProblem(w, http.StatusBadRequest, err.Error())
		return
	}
	if reason := f.refusedSender(r, env); reason != "" {
		writeProblem(w, http.StatusForbidden, reason)
		return
	}
	forwardedBy, status, reason := f.authenticate(r.Context(), r, body, env)
	if status != 0 {
		writeProblem(w, status, reason)
		return
	}
	t, err := toType(r.Context(), raw)
	if err == nil {
		err = f.checkShape(t, raw)
	}
	lock, isLock := readLock(raw)
	isLock = isLock && lock.via // only a subwiki's Announce of a Lock counts
	switch {
	case err == nil, isLock && errors.Is(err, ErrUnknownType):
		// Stored below; a Lock, unknown to go-fed, is read as JSON later.
	case errors.Is(err, ErrUnknownType):
		w.WriteHeader(http.StatusAccepted) // accepted and ignored
		return
	default:
		writeProblem(w, http.StatusBadRequest, err.Error())
		return
	}
	sender := env.Actor
	if forwardedBy != "" {
		sender = forwardedBy
	}
	hold := f.handoff.reserve(len(body))
	in := storage.NewInbound{ActivityURI: env.ID, ActorURI: env.Actor, ForwardedBy: forwardedBy, Type: env.Type,
		OrderKey: orderKey(raw, env.Actor), Body: body}
	if hold {
		in.Hold = inboxLease
	}
	_, held, err := f.db.ReceiveInbound(r.Context(), in)
	if hold {
		f.handoff.put(held, len(body))
	}
	if err != nil {
		f.log.Error("store inbound activity", "id", env.ID, "err", err)
		writeProblem(w, http.StatusServiceUnavailable, "the activity could not be stored; try again later")
		return
	}
	if held == nil {
		// Stored in the database only: every idle worker looks there. One
		// handed over wakes one worker by itself.
		f.inboxWake.broadcast()
	}
	if err := f.db.HostAnswered(r.Context(), hostOf(sender)); err != nil {
		f.log.Warn("mark host available", "host", hostOf(sender), "err", err)
	}
	w.WriteHeader(http.StatusAccepted)
}

// authenticate checks the request's HTTP signature and that its key
// belongs to the activity's actor. It returns status 0 when all is well,
// else the status and reason to answer with. A Create, Update or Delete
// signed by another actor is taken as forwarded (see forwardable), and
// forwardedBy names the signer.
func (f *Federator) authenticate(ctx context.Context, r *http.Request, body []byte, env envelope) (forwardedBy string, status int, reason string) {
	owner, no := f.requestSigner(ctx, r, body)
	if no != nil && no.keyGone && env.Type == "Delete" {
		// An account deleted on its server can no longer show its key;
		// there is nothing of it to delete here unless we know it.
		return "", http.StatusAccepted, "accepted"
	}
	if no != nil {
		return "", http.StatusUnauthorized, no.reason
	}
	if owner.URI == env.Actor {
		return "", 0, ""
	}
	if f.forwardable(env) {
		return owner.URI, 0, ""
	}
	return "", http.StatusUnauthorized, "the signing key belongs to " + owner.URI + ", not to the activity's actor " + env.Actor
}

// signatureRefusal is why a request's signature is not accepted: a
// reason safe to answer with, and whether the key could not be fetched
// at all (its server did not answer, or no longer has it).
type signatureRefusal struct {
	reason  string
	keyGone bool
}

// requestSigner checks the request's HTTP signature (draft-cavage or RFC
// 9421) and returns the actor whose key made it. An unknown key is
// fetched, with its owner: the one wait on another server a request may
// make.
func (f *Federator) requestSigner(ctx context.Context, r *http.Request, body []byte) (*storage.Actor, *signatureRefusal) {
	keyID, err := SignatureKeyID(r)
	if err != nil {
		return nil, &signatureRefusal{reason: err.Error()}
	}
	owner, err := f.actorForKey(ctx, keyID, false)
	if isKeyRefusal(err) {
		return nil, &signatureRefusal{reason: "the signing key is not usable: " + err.Error()}
	}
	if err != nil {
		f.log.Info("signing key not usable", "key", keyID, "err", err)
		return nil, &signatureRefusal{reason: "the signing key could not be fetched or is not usable",
			keyGone: errors.Is(err, errFetch)}
	}
	if err := f.verify(r, body, owner); err != nil {
		if !f.refetchMayHelp(err, owner) {
			return nil, &signatureRefusal{reason: err.Error()}
		}
		// The actor may have a new key, or ours is one it could not have
		// used: fetch it once more and try again.
		fresh, ferr := f.actorForKey(ctx, keyID, true)
		if ferr != nil || f.verify(r, body, fresh) != nil {
			return nil, &signatureRefusal{reason: err.Error()}
		}
		owner = fresh
	}
	return owner, nil
}

// refetchMayHelp reports whether a failed verification may pass with a
// fresh copy of the signer's key: when the signature does not match the
// stored key (the actor may have rotated it) or the stored key cannot
// verify anything. At most once a minute per actor, so that a stream of
// bad signatures does not become a stream of fetches.
func (f *Federator) refetchMayHelp(err error, owner *storage.Actor) bool {
	var sigErr *SignatureError
	var unusable *unusableKeyError
	stale := errors.As(err, &unusable) || (errors.As(err, &sigErr) && sigErr.Mismatch)
	return stale && f.now().Sub(owner.FetchedAt) >= time.Minute
}

// verify checks the request's signature with the actor's stored key.
func (f *Federator) verify(r *http.Request, body []byte, a *storage.Actor) error {
	pub, err := verifyingKey(a)
	if err != nil {
		return err
	}
	if r.URL.Scheme == "" {
		// A server sees no scheme in the request line; RFC 9421 signs the
		// whole target URI, so give it the one this instance is reached by.
		withScheme := *r.URL
		withScheme.Scheme = f.cfg.Site.Scheme
		r = r.Clone(r.Context())
		r.URL = &withScheme
	}
	return VerifyRequest(r, body, pub, f.now())
}
