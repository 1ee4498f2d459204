package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// SignatureScheme is a way of signing HTTP requests to another server.
type SignatureScheme string

// The signature schemes servers accept.
const (
	// SignatureUnknown: the server has accepted neither from us yet.
	SignatureUnknown SignatureScheme = ""
	// SignatureCavage is draft-cavage-http-signatures-12 (Signature and
	// Digest headers), which every ActivityPub server accepts.
	SignatureCavage SignatureScheme = "draft-cavage"
	// SignatureRFC9421 is RFC 9421 HTTP Message Signatures
	// (Signature-Input, Signature and Content-Digest headers).
	SignatureRFC9421 SignatureScheme = "rfc9421"
)

// Other is the scheme to try when s was refused.
func (s SignatureScheme) Other() SignatureScheme {
	if s == SignatureRFC9421 {
		return SignatureCavage
	}
	return SignatureRFC9421
}

// HostSignatureScheme reports the signature scheme the server (a
// lowercased host[:port], as in Delivery.Host) last accepted from us, or
// SignatureUnknown.
func (db *DB) HostSignatureScheme(ctx context.Context, host string) (SignatureScheme, error) {
	var scheme sql.NullString
	err := db.read(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT signature_scheme FROM hosts WHERE host = ?`, strings.ToLower(host)).Scan(&scheme)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	if err != nil {
		return SignatureUnknown, fmt.Errorf("signature scheme of %s: %w", host, err)
	}
	return SignatureScheme(scheme.String), nil
}

// HostAcceptedSignature records that the server accepted a request signed
// with scheme, so that requests to it are signed so first from now on.
func (db *DB) HostAcceptedSignature(ctx context.Context, host string, scheme SignatureScheme) error {
	if scheme != SignatureCavage && scheme != SignatureRFC9421 {
		return Errorf(EInvalid, "unknown signature scheme %q", scheme)
	}
	host = strings.ToLower(host)
	if host == "" {
		return Errorf(EInvalid, "a host is required")
	}
	return db.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO hosts (host, signature_scheme, signature_scheme_at) VALUES (?, ?, ?)
			ON CONFLICT (host) DO UPDATE SET signature_scheme = excluded.signature_scheme,
				signature_scheme_at = excluded.signature_scheme_at`,
			host, string(scheme), millis(tx.now))
		if err != nil {
			return fmt.Errorf("host %s accepted %s: %w", host, scheme, err)
		}
		return nil
	})
}
