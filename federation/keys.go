package federation

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"

	"github.com/tidings-social/tidings/storage"
)

// unusableKeyError refuses a signature because the signer's stored key
// cannot verify anything. Storage no longer keeps such keys, but older
// versions did; fetching the actor again mends it.
type unusableKeyError struct{ actor string }

func (e *unusableKeyError) Error() string {
	return "http signature: the key of " + e.actor + " is not a usable public key"
}

// verifyingKey is the stored key that checks the actor's signatures.
func verifyingKey(a *storage.Actor) (crypto.PublicKey, error) {
	pub, err := storage.ParsePublicKey(a.PublicKeyPEM)
	if err != nil {
		return nil, &unusableKeyError{actor: a.URI}
	}
	return pub, nil
}

// keyRefusal is a signing key whose owner could not be proved: the key
// names an owner that does not name it back, or lives on another server.
// Its reason is made of our words and the URLs involved, safe to send
// back in a 401.
type keyRefusal struct{ reason string }

func (e *keyRefusal) Error() string { return e.reason }

func refuseKey(format string, args ...any) error {
	return &keyRefusal{reason: fmt.Sprintf(format, args...)}
}

// actorForKey returns the actor owning a signing key: the stored one, or
// else (and always when refresh is set, for when a signature fails
// because the actor rotated its key) the one fetched by resolveKey.
func (f *Federator) actorForKey(ctx context.Context, keyID string, refresh bool) (*storage.Actor, error) {
	known, err := f.db.ActorByKeyID(ctx, keyID)
	if err != nil && storage.ErrorCode(err) != storage.ENotFound {
		return nil, err
	}
	if known != nil && !refresh {
		return known, nil
	}
	ctx, cancel := context.WithTimeout(ctx, keyFetchTimeout)
	defer cancel()
	if known != nil {
		return f.fetchKeyOwner(ctx, known.URI, keyID, "")
	}
	return f.resolveKey(ctx, keyID)
}

// resolveKey finds the owner of a key never seen before, in each of the
// ways servers publish keys:
//   - a fragment of the actor's own document (Mastodon: ACTOR#main-key);
//   - a key document (Key, CryptographicKey) naming its owner;
//   - an actor document, minimal or full, served at the key's address,
//     whose publicKey (or one of a list) has the key's id (GoToSocial:
//     ACTOR/main-key serves the owner's id, type, username and key).
//
// In every case the owner must be on the key's server, and the owner's
// own document, fetched by its id, must list the key with the same PEM:
// a document at one address cannot speak for an actor at another.
func (f *Federator) resolveKey(ctx context.Context, keyID string) (*storage.Actor, error) {
	u, err := url.Parse(keyID)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, refuseKey("the keyId %.200q is not a URL", keyID)
	}
	u.Fragment = ""
	at := u.String()
	body, final, err := f.getSigned(ctx, at)
	if err != nil {
		return nil, fmt.Errorf("%w: key %s: %w", errFetch, at, err)
	}
	if !sameHost(final, keyID) {
		return nil, refuseKey("the key %s was served by another server (%s)", keyID, final)
	}
	var doc keyDocument
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, refuseKey("the document at %s is not a JSON object", at)
	}
	if doc.isActor() && (doc.ID == at || doc.ID == final) {
		return f.keyOwnerFrom(ctx, body, final, doc.ID, keyID, "")
	}
	owner, pem, err := doc.ownerOf(keyID, at)
	if err != nil {
		return nil, err
	}
	if !sameHost(owner, keyID) {
		return nil, refuseKey("the key %s names an owner on another server (%s)", keyID, owner)
	}
	return f.fetchKeyOwner(ctx, owner, keyID, pem)
}

// fetchKeyOwner fetches the actor owner by its id and checks that it
// lists the key (with the PEM, when not empty).
func (f *Federator) fetchKeyOwner(ctx context.Context, owner, keyID, pem string) (*storage.Actor, error) {
	body, final, err := f.getSigned(ctx, owner)
	if err != nil {
		return nil, fmt.Errorf("%w: actor %s: %w", errFetch, owner, err)
	}
	return f.keyOwnerFrom(ctx, body, final, owner, keyID, pem)
}

// keyOwnerFrom reads the actor document of owner, served from final,
// checks that it is the owner's own and lists the key, and stores it.
func (f *Federator) keyOwnerFrom(ctx context.Context, body []byte, final, owner, keyID, pem string) (*storage.Actor, error) {
	if !sameHost(final, owner) {
		return nil, refuseKey("the owner %s of the key was served by another server (%s)", owner, final)
	}
	t, _, err := decode(ctx, body)
	if err != nil || !isActor(t) {
		return nil, refuseKey("the owner %s of the key %s is not an actor", owner, keyID)
	}
	if id := idOf(t); id != owner {
		return nil, refuseKey("the document of the key's owner %s is %s", owner, id)
	}
	remote, err := parseActor(t, keyID)
	if err != nil {
		return nil, refuseKey("the owner %s does not list the key %s: %v", owner, keyID, err)
	}
	if pem != "" && !samePublicKey(pem, remote.PublicKeyPEM) {
		return nil, refuseKey("the owner %s lists %s as another key", owner, keyID)
	}
	return f.db.SaveRemoteActor(ctx, remote)
}

// getSigned fetches an ActivityPub document, signed as the instance.
func (f *Federator) getSigned(ctx context.Context, uri string) (body []byte, final string, err error) {
	sign, err := f.instanceSigner(ctx)
	if err != nil {
		return nil, "", err
	}
	return f.client.GetActivity(ctx, uri, sign)
}

// samePublicKey reports whether two PEM texts hold the same key; the
// same key may be written with other line breaks or as PKCS #1.
func samePublicKey(a, b string) bool {
	ka, errA := storage.ParsePublicKey(a)
	kb, errB := storage.ParsePublicKey(b)
	if errA != nil || errB != nil {
		return false
	}
	eq, ok := ka.(interface{ Equal(crypto.PublicKey) bool })
	return ok && eq.Equal(kb)
}

// keyDocument is what Tidings reads of the document at a key's address:
// a key of its own, or an actor that lists keys.
type keyDocument struct {
	ID           string          `json:"id"`
	Type         json.RawMessage `json:"type"`
	Owner        string          `json:"owner"`
	PublicKeyPem string          `json:"publicKeyPem"`
	PublicKey    json.RawMessage `json:"publicKey"`
}

// publishedKey is one entry of an actor's publicKey.
type publishedKey struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PublicKeyPem string `json:"publicKeyPem"`
}

// types are the document's types, given as one or a list.
func (d keyDocument) types() []string {
	var one string
	if json.Unmarshal(d.Type, &one) == nil {
		return []string{one}
	}
	var list []string
	json.Unmarshal(d.Type, &list)
	return list
}

func (d keyDocument) isActor() bool {
	return slices.ContainsFunc(d.types(), func(t string) bool { return actorKinds[t] })
}

// ownerOf names the owner the document at the key's address (at) gives
// the key, and the PEM it shows.
func (d keyDocument) ownerOf(keyID, at string) (owner, pem string, err error) {
	if !d.isActor() {
		if d.ID != keyID && d.ID != at {
			return "", "", refuseKey("the document at %s is %.200q, not the key %s", at, d.ID, keyID)
		}
		if d.Owner == "" {
			return "", "", refuseKey("the key %s names no owner", keyID)
		}
		return d.Owner, d.PublicKeyPem, nil
	}
	if d.ID == "" {
		return "", "", refuseKey("the actor document at %s has no id", at)
	}
	for _, k := range d.keys() {
		if k.ID != keyID {
			continue
		}
		if k.Owner != "" && k.Owner != d.ID {
			return "", "", refuseKey("the key %s is owned by %s, not by %s", keyID, k.Owner, d.ID)
		}
		return d.ID, k.PublicKeyPem, nil
	}
	return "", "", refuseKey("the actor document at %s does not list the key %s", at, keyID)
}

// keys are the entries of the document's publicKey, one or a list;
// entries given only by id name no PEM and are skipped.
func (d keyDocument) keys() []publishedKey {
	var one publishedKey
	if json.Unmarshal(d.PublicKey, &one) == nil {
		return []publishedKey{one}
	}
	var list []json.RawMessage
	json.Unmarshal(d.PublicKey, &list)
	var out []publishedKey
	for _, raw := range list {
		var k publishedKey
		if json.Unmarshal(raw, &k) == nil {
			out = append(out, k)
		}
	}
	return out
}

// isKeyRefusal reports whether err is a key that could not be proved.
func isKeyRefusal(err error) bool {
	var r *keyRefusal
	return errors.As(err, &r)
}
