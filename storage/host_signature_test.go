package storage

import (
	"context"
	"path/filepath"
	"testing"
)

func TestHostSignatureScheme(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tidings.db")
	db, err := Open(ctx, path, testSite)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.HostSignatureScheme(ctx, "social.example"); err != nil || got != SignatureUnknown {
		t.Fatalf("unknown host: got %q, %v, want %q", got, err, SignatureUnknown)
	}
	if err := db.HostAcceptedSignature(ctx, "Social.Example", SignatureRFC9421); err != nil {
		t.Fatal(err)
	}
	// A failed delivery to the host keeps what it accepted.
	if err := db.write(ctx, func(tx *Tx) error { return tx.hostFailed(ctx, "social.example") }); err != nil {
		t.Fatal(err)
	}
	if err := db.HostAcceptedSignature(ctx, "other.example:8443", SignatureCavage); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = Open(ctx, path, testSite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for host, want := range map[string]SignatureScheme{
		"social.example":     SignatureRFC9421,
		"SOCIAL.example":     SignatureRFC9421,
		"other.example:8443": SignatureCavage,
		"other.example":      SignatureUnknown,
	} {
		if got, err := db.HostSignatureScheme(ctx, host); err != nil || got != want {
			t.Errorf("%s after a restart: got %q, %v, want %q", host, got, err, want)
		}
	}
	if err := db.HostAcceptedSignature(ctx, "social.example", SignatureCavage); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.HostSignatureScheme(ctx, "social.example"); got != SignatureCavage {
		t.Errorf("after accepting draft-cavage: got %q, want %q", got, SignatureCavage)
	}
}

func TestHostAcceptedSignatureRefuses(t *testing.T) {
	db, _ := openTestDB(t)
	tests := []struct {
		name, host string
		scheme     SignatureScheme
	}{
		{"unknown scheme", "social.example", "hs2019"},
		{"no scheme", "social.example", SignatureUnknown},
		{"no host", "", SignatureCavage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, db.HostAcceptedSignature(context.Background(), tt.host, tt.scheme), EInvalid)
		})
	}
}

func TestSignatureSchemeOther(t *testing.T) {
	for s, want := range map[SignatureScheme]SignatureScheme{
		SignatureCavage:  SignatureRFC9421,
		SignatureRFC9421: SignatureCavage,
		SignatureUnknown: SignatureRFC9421,
	} {
		if got := s.Other(); got != want {
			t.Errorf("%q.Other(): got %q, want %q", s, got, want)
		}
	}
}
