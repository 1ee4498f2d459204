package federation

import (
	"crypto"

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
