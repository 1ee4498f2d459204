package storage

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"sync"
	"testing"
)

// testPublicKeys are two usable public keys in PEM form, made once.
var testPublicKeys = sync.OnceValue(func() [2]string {
	var pems [2]string
	for i := range pems {
		keys, err := newKeyPair()
		if err != nil {
			panic(err)
		}
		pems[i] = keys.public
	}
	return pems
})

// pkixPEM is a public key as most servers publish it.
func pkixPEM(t *testing.T, key any) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// pkcs1PEM is an RSA public key as some servers publish it.
func pkcs1PEM(key *rsa.PublicKey) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(key)}))
}

func TestParsePublicKey(t *testing.T) {
	rsaKey, err := ParsePrivateKey(mustKeyPair(t).private)
	if err != nil {
		t.Fatal(err)
	}
	edKey, _, _ := ed25519.GenerateKey(rand.Reader)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	short := &rsa.PublicKey{N: new(big.Int).SetBit(big.NewInt(1), 511, 1), E: 65537}
	tests := []struct {
		name   string
		pem    string
		usable bool
	}{
		{"RSA, PKIX", pkixPEM(t, &rsaKey.PublicKey), true},
		{"RSA, PKCS #1", pkcs1PEM(&rsaKey.PublicKey), true},
		{"Ed25519", pkixPEM(t, edKey), true},
		{"ECDSA", pkixPEM(t, &ecKey.PublicKey), false},
		{"RSA of 512 bits", pkixPEM(t, short), false},
		{"RSA of 512 bits, PKCS #1", pkcs1PEM(short), false},
		{"not PEM", "a key", false},
		{"PEM of no key", "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParsePublicKey(tt.pem); (err == nil) != tt.usable {
				t.Errorf("ParsePublicKey: %v, want usable %v", err, tt.usable)
			}
		})
	}
}

func mustKeyPair(t *testing.T) keyPair {
	t.Helper()
	keys, err := newKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// TestSaveRemoteActorKeepsUsableKey: an actor whose key cannot verify
// anything is not stored; an update of a stored actor with such a key
// changes the rest and keeps the key it had.
func TestSaveRemoteActorKeepsUsableKey(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	const unusable = "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n"
	uri := "https://social.example/users/eve"
	eve := RemoteActor{URI: uri, Kind: KindPerson, Username: "eve", Inbox: uri + "/inbox",
		KeyID: uri + "#main-key", PublicKeyPEM: unusable}
	_, err := db.SaveRemoteActor(ctx, eve)
	wantCode(t, err, EInvalid)
	if _, err := db.ActorByURI(ctx, uri); ErrorCode(err) != ENotFound {
		t.Errorf("an actor with an unusable key was stored: %v", err)
	}

	bob := saveRemote(t, db, "bob", "social.example")
	upd, err := db.SaveRemoteActor(ctx, RemoteActor{URI: bob.URI, Kind: KindPerson, Username: "bob", DisplayName: "Bob, renamed",
		Inbox: bob.Inbox, KeyID: bob.URI + "#other-key", PublicKeyPEM: unusable})
	if err != nil {
		t.Fatal(err)
	}
	if upd.DisplayName != "Bob, renamed" || upd.PublicKeyPEM != bob.PublicKeyPEM || upd.KeyID != bob.KeyID {
		t.Errorf("after an update with an unusable key: name %q, key %q; want the new name and the key %q",
			upd.DisplayName, upd.KeyID, bob.KeyID)
	}
}
