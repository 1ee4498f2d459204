package federation

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The draft-cavage-http-signatures-12 half of the policy.

// cavageSignature is a parsed draft-cavage Signature header. created and
// expires are kept as sent, because (created) and (expires) sign them so.
type cavageSignature struct {
	keyID, algorithm, signature string
	headers                     []string
	created, expires            string
}

// parseCavage reads the Signature header and applies its defaults: algorithm
// hs2019, and headers "(created)" for hs2019 or "date" otherwise.
func parseCavage(h http.Header) (*cavageSignature, error) {
	values := h.Values("Signature")
	switch {
	case len(values) == 0:
		return nil, refuse("no Signature or Signature-Input header")
	case len(values) > 1:
		return nil, refuse("more than one Signature header")
	case len(values[0]) > maxSignatureLen:
		return nil, refuse("the Signature header is too long")
	case hasControl(values[0]):
		return nil, refuse("the Signature header has control characters")
	}
	sig := &cavageSignature{}
	for s := values[0]; strings.TrimLeft(s, " \t") != ""; {
		name, value, rest, err := nextParam(s)
		if err != nil {
			return nil, refuse("malformed Signature header: %s", err)
		}
		if err := sig.set(name, value); err != nil {
			return nil, err
		}
		s = rest
	}
	if sig.keyID == "" || sig.signature == "" {
		return nil, refuse("the Signature header needs keyId and signature")
	}
	if sig.algorithm == "" {
		sig.algorithm = "hs2019"
	}
	switch {
	case sig.headers != nil:
	case sig.algorithm == "hs2019":
		sig.headers = []string{"(created)"}
	default:
		sig.headers = []string{"date"}
	}
	return sig, nil
}

// hasControl reports whether s has a control character other than tab,
// which no field value may hold (RFC 9110, section 5.5).
func hasControl(s string) bool {
	for i := range len(s) {
		if c := s[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return true
		}
	}
	return false
}

// lowerASCII lowercases the ASCII letters of s and leaves every other byte
// as it is: header names and algorithms are ASCII, and unlike
// strings.ToLower it neither rewrites bytes that are not UTF-8 nor
// changes the length.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// set stores one parameter; unknown parameters are ignored, repeated ones
// refused. An empty headers parameter stays an empty, non-nil list.
func (s *cavageSignature) set(name, value string) error {
	var field *string
	switch name {
	case "keyId":
		field = &s.keyID
	case "algorithm":
		field, value = &s.algorithm, lowerASCII(value)
	case "signature":
		field = &s.signature
	case "created":
		field = &s.created
	case "expires":
		field = &s.expires
	case "headers":
		if s.headers != nil {
			return refuse("the Signature header repeats headers")
		}
		s.headers = append([]string{}, strings.Fields(lowerASCII(value))...)
		return nil
	default:
		return nil
	}
	if *field != "" {
		return refuse("the Signature header repeats %s", name)
	}
	*field = value
	return nil
}

// nextParam reads `name=value` or `name="quoted value"` and the comma after it.
func nextParam(s string) (name, value, rest string, err error) {
	s = strings.TrimLeft(s, " \t")
	name, s, ok := strings.Cut(s, "=")
	name = strings.TrimRight(name, " \t")
	if !ok || name == "" || strings.ContainsAny(name, "\", \t") {
		return "", "", "", errors.New("expected name=value")
	}
	s = strings.TrimLeft(s, " \t")
	if strings.HasPrefix(s, `"`) {
		if value, s, err = unquote(s[1:]); err != nil {
			return "", "", "", err
		}
	} else {
		end := strings.IndexByte(s, ',')
		if end < 0 {
			end = len(s)
		}
		value, s = strings.TrimRight(s[:end], " \t"), s[end:]
	}
	s = strings.TrimLeft(s, " \t")
	if s != "" && s[0] != ',' {
		return "", "", "", errors.New("expected a comma between parameters")
	}
	return name, value, strings.TrimPrefix(s, ","), nil
}

// unquote reads a quoted-string after its opening quote, undoing \-escapes.
func unquote(s string) (value, rest string, err error) {
	var b []byte // only allocated once an escape is met
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' && b == nil:
			return s[:i], s[i+1:], nil
		case c == '"':
			return string(b), s[i+1:], nil
		case c == '\\' && i+1 < len(s):
			if b == nil {
				b = append([]byte(nil), s[:i]...)
			}
			i++
			b = append(b, s[i])
		case b != nil:
			b = append(b, c)
		}
	}
	return "", "", errors.New("unterminated quoted string")
}

// covers reports whether the signature signs the header or pseudo-header h.
func (s *cavageSignature) covers(h string) bool { return slices.Contains(s.headers, h) }

// verifyCavage applies the draft-cavage policy, then the cryptography.
func verifyCavage(r *http.Request, body []byte, pub crypto.PublicKey, now time.Time) error {
	sig, err := parseCavage(r.Header)
	if err != nil {
		return err
	}
	if err := sig.checkPolicy(r, body, pub); err != nil {
		return err
	}
	created, expires, err := sig.window(r)
	if err != nil {
		return err
	}
	if err := checkWindow(created, expires, now); err != nil {
		return err
	}
	if sig.covers("digest") {
		if err := checkDigest(r.Header.Values("Digest"), body); err != nil {
			return err
		}
	}
	return sig.verify(r, pub)
}

// checkPolicy refuses algorithms and header sets Mastodon refuses.
func (s *cavageSignature) checkPolicy(r *http.Request, body []byte, pub crypto.PublicKey) error {
	if s.algorithm != "rsa-sha256" && s.algorithm != "hs2019" {
		return refuse("algorithm %.64q is not accepted", s.algorithm)
	}
	switch {
	case !s.covers("date") && !s.covers("(created)"):
		return refuse("the signature does not cover date or (created)")
	case !s.covers("(request-target)") && !s.covers("digest"):
		return refuse("the signature does not cover (request-target) or digest")
	case (r.Method == http.MethodGet || r.Method == http.MethodHead) && !s.covers("host"):
		return refuse("a GET signature must cover host")
	case hasBody(r, body) && !s.covers("digest"):
		return refuse("a POST signature must cover digest")
	case s.algorithm == "rsa-sha256" && (s.covers("(created)") || s.covers("(expires)")):
		return refuse("(created) and (expires) need algorithm hs2019")
	case s.covers("(created)") && s.created == "":
		return refuse("the signature covers (created) without a created parameter")
	case s.covers("(expires)") && s.expires == "":
		return refuse("the signature covers (expires) without an expires parameter")
	}
	switch pub.(type) {
	case *rsa.PublicKey: // rsa-sha256, and hs2019 with an RSA key: RSASSA-PKCS1-v1_5 SHA-256
	case ed25519.PublicKey:
		if s.algorithm != "hs2019" {
			return refuse("algorithm %s does not match the signer's Ed25519 key", s.algorithm)
		}
	default:
		return refuse("the signer's key type is not supported")
	}
	return nil
}

// window returns when the signature was created and when it expires (zero
// for none). Parameters count only when signed: Mastodon also trusts an
// unsigned created or expires, which would let anyone move a captured
// signature's window; Date is signed whenever (created) is not.
func (s *cavageSignature) window(r *http.Request) (created, expires time.Time, err error) {
	if s.covers("(expires)") {
		if expires, err = unixTime("expires", s.expires); err != nil {
			return created, expires, err
		}
	}
	if s.covers("(created)") {
		created, err = unixTime("created", s.created)
		return created, expires, err
	}
	date := r.Header.Get("Date")
	if date == "" {
		return created, expires, refuse("the Date header is missing")
	}
	if created, err = http.ParseTime(date); err != nil {
		return created, expires, refuse("the Date header is not an HTTP date")
	}
	return created, expires, nil
}

// checkDigest checks the SHA-256 entry of the Digest header against body;
// like Mastodon we accept no other algorithm.
func checkDigest(values []string, body []byte) error {
	if len(values) == 0 {
		return refuse("the Digest header is missing")
	}
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			alg, digest, _ := strings.Cut(strings.TrimSpace(part), "=")
			if !strings.EqualFold(alg, "SHA-256") {
				continue
			}
			got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(digest))
			if err != nil {
				return refuse("the SHA-256 digest is not valid base64")
			}
			if sum := sha256.Sum256(body); !bytes.Equal(got, sum[:]) {
				return refuse("digest does not match the body")
			}
			return nil
		}
	}
	return refuse("the Digest header has no SHA-256 digest")
}

// verify checks the signature over the signing string with the query, then,
// as Mastodon and GoToSocial do for older senders, without it.
func (s *cavageSignature) verify(r *http.Request, pub crypto.PublicKey) error {
	raw, err := base64.StdEncoding.DecodeString(s.signature)
	if err != nil {
		return refuse("the signature is not valid base64")
	}
	msg, err := s.signingString(make([]byte, 0, 512), r, true)
	if err != nil {
		return err
	}
	if verifyKey(pub, msg, raw) {
		return nil
	}
	if r.URL.RawQuery != "" && s.covers("(request-target)") {
		msg, _ = s.signingString(msg[:0], r, false)
		if verifyKey(pub, msg, raw) {
			return nil
		}
	}
	return mismatch()
}

// signingString appends the draft-cavage signing string to b.
// (request-target) is the lower-case method and the path as sent.
func (s *cavageSignature) signingString(b []byte, r *http.Request, withQuery bool) ([]byte, error) {
	for i, h := range s.headers {
		if i > 0 {
			b = append(b, '\n')
		}
		b = append(append(b, h...), ": "...)
		switch h {
		case "(request-target)":
			b = append(append(b, strings.ToLower(r.Method)...), ' ')
			b = appendPath(b, r, withQuery)
		case "(created)":
			b = append(b, s.created...)
		case "(expires)":
			b = append(b, s.expires...)
		case "host":
			b = append(b, requestHost(r)...)
		default:
			values := r.Header.Values(h)
			if len(values) == 0 {
				return nil, refuse("the signed header %.64q is missing", h)
			}
			for j, v := range values {
				if j > 0 {
					b = append(b, ", "...)
				}
				b = append(b, strings.TrimSpace(v)...)
			}
		}
	}
	return b, nil
}

// appendPath appends the escaped path, "/" when empty, and the query.
func appendPath(b []byte, r *http.Request, withQuery bool) []byte {
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	b = append(b, path...)
	if withQuery && r.URL.RawQuery != "" {
		b = append(append(b, '?'), r.URL.RawQuery...)
	}
	return b
}

// requestHost is the host the request was sent to: Go moves it from the
// header to r.Host on both client and server.
func requestHost(r *http.Request) string {
	if r.Host != "" {
		return r.Host
	}
	return r.Header.Get("Host")
}
