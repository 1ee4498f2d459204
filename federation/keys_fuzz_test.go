package federation

import (
	"encoding/json"
	"slices"
	"testing"
)

// FuzzKeyDocument reads any document served at a key's address and
// checks what resolveKey relies on: an owner is named only by a key
// document whose id is the key (its owner field), or by an actor listing
// the key under that id (the actor's own id), never otherwise.
func FuzzKeyDocument(f *testing.F) {
	const keyID = "https://gts.example/users/erin/main-key"
	for _, seed := range []string{
		`{"id":"https://gts.example/users/erin","type":"Person","preferredUsername":"erin","publicKey":{"id":"https://gts.example/users/erin/main-key","owner":"https://gts.example/users/erin","publicKeyPem":"PEM"}}`,
		`{"id":"https://gts.example/users/erin/main-key","type":"Key","owner":"https://gts.example/users/erin","publicKeyPem":"PEM"}`,
		`{"id":"https://gts.example/users/erin","type":["Person"],"publicKey":[{"id":"https://gts.example/users/erin#old"},"https://x.example/k",{"id":"https://gts.example/users/erin/main-key","owner":"https://elsewhere.example/mallory"}]}`,
		`{"id":"https://gts.example/users/erin/main-key","type":"CryptographicKey"}`,
		`{"type":7,"publicKey":null}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var doc keyDocument
		if json.Unmarshal(body, &doc) != nil {
			return
		}
		owner, _, err := doc.ownerOf(keyID, keyID)
		if err != nil {
			if !isKeyRefusal(err) {
				t.Errorf("a refusal that is not a keyRefusal: %v", err)
			}
			return
		}
		if owner == "" {
			t.Fatal("no owner and no refusal")
		}
		if !doc.isActor() {
			if doc.ID != keyID || owner != doc.Owner {
				t.Errorf("key document %q named owner %q, want its own owner field %q", doc.ID, owner, doc.Owner)
			}
			return
		}
		listed := slices.ContainsFunc(doc.keys(), func(k publishedKey) bool {
			return k.ID == keyID && (k.Owner == "" || k.Owner == doc.ID)
		})
		if owner != doc.ID || !listed {
			t.Errorf("actor %q named owner %q, listing the key: %v", doc.ID, owner, listed)
		}
	})
}
