package federation

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-fed/httpsig"
	"github.com/yaronf/httpsign"
)

const (
	signerKeyID  = "https://remote.example/users/bob#main-key"
	testInboxURL = "https://example.org/users/alice/inbox"
	testBody     = `{"hello": "world"}`
	// testDigest is SHA-256 of testBody, as in RFC 9530's examples.
	testDigest = "X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="
	// mismatchReason is the refusal for a good-looking signature that the key did not make.
	mismatchReason = "the signature does not match the request or the key"
)

// signedAt is Tue, 14 Nov 2023 22:13:20 GMT.
var signedAt = time.Unix(1700000000, 0)

// signingTestKeys holds the keys shared by the whole test binary: RSA-2048
// generation is slow enough to do once.
var signingTestKeys struct {
	once         sync.Once
	signer, evil *rsa.PrivateKey
	ed           ed25519.PrivateKey
}

func signingKeys(tb testing.TB) (signer, evil *rsa.PrivateKey) {
	tb.Helper()
	signingTestKeys.once.Do(func() {
		signingTestKeys.signer, _ = rsa.GenerateKey(rand.Reader, 2048)
		signingTestKeys.evil, _ = rsa.GenerateKey(rand.Reader, 2048)
		_, signingTestKeys.ed, _ = ed25519.GenerateKey(rand.Reader)
	})
	if signingTestKeys.signer == nil || signingTestKeys.evil == nil {
		tb.Fatal("generate RSA keys failed")
	}
	return signingTestKeys.signer, signingTestKeys.evil
}

// outgoing builds a client request, as a delivery worker would.
func clientRequest(tb testing.TB, method, url string, body []byte) *http.Request {
	tb.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		tb.Fatal(err)
	}
	return req
}

// overTheWire serializes a client request and parses it back as a server
// sees it: origin-form URL, Host moved out of the header, no TLS.
func overTheWire(tb testing.TB, out *http.Request) *http.Request {
	tb.Helper()
	var buf bytes.Buffer
	if err := out.Write(&buf); err != nil {
		tb.Fatal(err)
	}
	in, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		tb.Fatal(err)
	}
	return in
}

// signedInbound signs a request with SignRequest at now and delivers it.
func signedInbound(tb testing.TB, method, url string, body []byte, key *rsa.PrivateKey, now time.Time) *http.Request {
	tb.Helper()
	out := clientRequest(tb, method, url, body)
	if err := SignRequest(out, body, signerKeyID, key, now); err != nil {
		tb.Fatalf("SignRequest: %v", err)
	}
	return overTheWire(tb, out)
}

// reason returns the refusal reason of err, "" for nil, and fails the test
// for an error that is not a *SignatureError.
func refusalReason(tb testing.TB, err error) string {
	tb.Helper()
	if err == nil {
		return ""
	}
	var se *SignatureError
	if !errors.As(err, &se) {
		tb.Fatalf("got %T %v, want *SignatureError", err, err)
	}
	return se.Reason
}

func digestHeaderOf(body []byte) string {
	sum := sha256.Sum256(body)
	return "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:])
}

// rawSign signs msg as draft-cavage and RFC 9421 expect for the key's type.
func rawSign(tb testing.TB, key crypto.Signer, msg []byte) string {
	tb.Helper()
	var sig []byte
	var err error
	switch k := key.(type) {
	case *rsa.PrivateKey:
		sum := sha256.Sum256(msg)
		sig, err = rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, sum[:])
	case ed25519.PrivateKey:
		sig = ed25519.Sign(k, msg)
	}
	if err != nil || sig == nil {
		tb.Fatalf("sign: %v", err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

func TestSignRequestRoundTrip(t *testing.T) {
	key, _ := signingKeys(t)
	tests := []struct {
		name, method, url string
		body              []byte
		wantHeaders       string
	}{
		{"GET", http.MethodGet, "https://example.org/users/alice", nil, "(request-target) host date"},
		{"GET without a path", http.MethodGet, "https://example.org", nil, "(request-target) host date"},
		{"GET with an escaped path", http.MethodGet, "https://example.org/tags/caf%C3%A9%20bar", nil, "(request-target) host date"},
		{"GET with query", http.MethodGet, "https://example.org/users/alice/outbox?page=true", nil, "(request-target) host date"},
		{"POST", http.MethodPost, testInboxURL, []byte(testBody), "(request-target) host date digest"},
		{"POST to a port", http.MethodPost, "https://example.org:8443/inbox", []byte(testBody), "(request-target) host date digest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := clientRequest(t, tt.method, tt.url, tt.body)
			if err := SignRequest(out, tt.body, signerKeyID, key, signedAt); err != nil {
				t.Fatalf("SignRequest: %v", err)
			}
			if got, want := out.Header.Get("Date"), "Tue, 14 Nov 2023 22:13:20 GMT"; got != want {
				t.Errorf("Date: got %q, want %q", got, want)
			}
			wantDigest := ""
			if tt.body != nil {
				wantDigest = "SHA-256=" + testDigest
			}
			if got := out.Header.Get("Digest"); got != wantDigest {
				t.Errorf("Digest: got %q, want %q", got, wantDigest)
			}
			sig := out.Header.Get("Signature")
			wantPrefix := `keyId="` + signerKeyID + `",algorithm="rsa-sha256",headers="` + tt.wantHeaders + `",signature="`
			if !strings.HasPrefix(sig, wantPrefix) {
				t.Errorf("Signature: got %q, want prefix %q", sig, wantPrefix)
			}
			in := overTheWire(t, out)
			if got := refusalReason(t, VerifyRequest(in, tt.body, &key.PublicKey, signedAt.Add(time.Minute))); got != "" {
				t.Errorf("VerifyRequest: got %q, want acceptance", got)
			}
		})
	}
}

// TestSignRequestSigningString checks SignRequest's signature against the
// signing string written out by hand, independently of VerifyRequest.
func TestSignRequestSigningString(t *testing.T) {
	key, _ := signingKeys(t)
	out := clientRequest(t, http.MethodPost, testInboxURL, []byte(testBody))
	if err := SignRequest(out, []byte(testBody), signerKeyID, key, signedAt); err != nil {
		t.Fatal(err)
	}
	const signingString = "(request-target): post /users/alice/inbox\n" +
		"host: example.org\n" +
		"date: Tue, 14 Nov 2023 22:13:20 GMT\n" +
		"digest: SHA-256=" + testDigest
	_, sig, _ := strings.Cut(out.Header.Get("Signature"), `signature="`)
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(sig, `"`))
	if err != nil {
		t.Fatalf("signature is not base64: %v", err)
	}
	sum := sha256.Sum256([]byte(signingString))
	if err := rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, sum[:], raw); err != nil {
		t.Errorf("signature does not verify over the hand-written signing string: %v", err)
	}
}

// TestSignRequestVerifiedByGoFed checks that another implementation accepts
// what we send.
func TestSignRequestVerifiedByGoFed(t *testing.T) {
	key, _ := signingKeys(t)
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			var body []byte
			if method == http.MethodPost {
				body = []byte(testBody)
			}
			in := signedInbound(t, method, testInboxURL+"?x=1", body, key, time.Now())
			v, err := httpsig.NewVerifier(in)
			if err != nil {
				t.Fatalf("httpsig.NewVerifier: %v", err)
			}
			if got, want := v.KeyId(), signerKeyID; got != want {
				t.Errorf("KeyId: got %q, want %q", got, want)
			}
			if err := v.Verify(&key.PublicKey, httpsig.RSA_SHA256); err != nil {
				t.Errorf("go-fed Verify: %v", err)
			}
		})
	}
}

// TestSignatureFromGoFed checks that we accept go-fed's signatures, which
// are labelled hs2019, as GoToSocial's are.
func TestSignatureFromGoFed(t *testing.T) {
	key, _ := signingKeys(t)
	signer, _, err := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256}, httpsig.DigestSha256,
		[]string{httpsig.RequestTarget, "host", "date", "digest"}, httpsig.Signature, 0)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(testBody)
	out := clientRequest(t, http.MethodPost, testInboxURL, body)
	out.Header.Set("Host", out.Host) // go-fed reads host from the header
	out.Header.Set("Date", signedAt.UTC().Format(http.TimeFormat))
	if err := signer.SignRequest(key, signerKeyID, out, body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.Header.Get("Signature"), `algorithm="hs2019"`) {
		t.Fatalf("go-fed signature is not labelled hs2019: %s", out.Header.Get("Signature"))
	}
	in := overTheWire(t, out)
	if got := refusalReason(t, VerifyRequest(in, body, &key.PublicKey, signedAt)); got != "" {
		t.Errorf("got %q, want acceptance", got)
	}
}

func TestSignatureTampering(t *testing.T) {
	key, evil := signingKeys(t)
	body := []byte(testBody)
	other := []byte(`{"hello": "mallory"}`)
	tests := []struct {
		name   string
		tamper func(r *http.Request) []byte // returns the body to verify
		key    *rsa.PrivateKey
		want   string
	}{
		{"untouched", func(r *http.Request) []byte { return body }, key, ""},
		{"changed body", func(r *http.Request) []byte { return other }, key, "digest does not match the body"},
		{"changed Digest header", func(r *http.Request) []byte {
			r.Header.Set("Digest", digestHeaderOf(other))
			return body
		}, key, "digest does not match the body"},
		{"changed body and Digest header", func(r *http.Request) []byte {
			r.Header.Set("Digest", digestHeaderOf(other))
			return other
		}, key, mismatchReason},
		{"Digest header removed", func(r *http.Request) []byte {
			r.Header.Del("Digest")
			return body
		}, key, "the Digest header is missing"},
		{"changed path", func(r *http.Request) []byte {
			r.URL.Path = "/users/carol/inbox"
			return body
		}, key, mismatchReason},
		{"changed method", func(r *http.Request) []byte {
			r.Method = http.MethodPut
			return body
		}, key, mismatchReason},
		{"changed Host", func(r *http.Request) []byte {
			r.Host = "evil.example"
			return body
		}, key, mismatchReason},
		{"changed Date", func(r *http.Request) []byte {
			r.Header.Set("Date", signedAt.Add(time.Second).UTC().Format(http.TimeFormat))
			return body
		}, key, mismatchReason},
		{"Date header removed", func(r *http.Request) []byte {
			r.Header.Del("Date")
			return body
		}, key, "the Date header is missing"},
		{"date removed from signed headers", func(r *http.Request) []byte {
			sig := r.Header.Get("Signature")
			r.Header.Set("Signature", strings.Replace(sig, "host date digest", "host digest", 1))
			return body
		}, key, "the signature does not cover date or (created)"},
		{"Signature removed", func(r *http.Request) []byte {
			r.Header.Del("Signature")
			return body
		}, key, "no Signature or Signature-Input header"},
		{"wrong key", func(r *http.Request) []byte { return body }, evil, mismatchReason},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := signedInbound(t, http.MethodPost, testInboxURL, body, key, signedAt)
			got := refusalReason(t, VerifyRequest(r, tt.tamper(r), &tt.key.PublicKey, signedAt.Add(time.Minute)))
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// cavageSpec describes a draft-cavage signature for signCavage; empty
// fields leave the parameter out.
type cavageSpec struct {
	algorithm, headers string
	date               time.Time
	rawDate            string // a Date header value that is not a time
	created, expires   time.Time
}

// signCavage signs an inbound request with any parameters, so that the
// policy can be tested on signatures SignRequest would never make. It uses
// the package's signing string, which TestSignatureHandMadeCavage and the
// go-fed tests check on their own.
func signCavage(tb testing.TB, r *http.Request, body []byte, key crypto.Signer, spec cavageSpec) {
	tb.Helper()
	if !spec.date.IsZero() {
		r.Header.Set("Date", spec.date.UTC().Format(http.TimeFormat))
	}
	if spec.rawDate != "" {
		r.Header.Set("Date", spec.rawDate)
	}
	if body != nil {
		r.Header.Set("Digest", digestHeaderOf(body))
	}
	params := `keyId="` + signerKeyID + `"`
	if spec.algorithm != "" {
		params += `,algorithm="` + spec.algorithm + `"`
	}
	if spec.headers != "" {
		params += `,headers="` + spec.headers + `"`
	}
	if !spec.created.IsZero() {
		params += fmt.Sprintf(",created=%d", spec.created.Unix())
	}
	if !spec.expires.IsZero() {
		params += fmt.Sprintf(",expires=%d", spec.expires.Unix())
	}
	r.Header.Set("Signature", params+`,signature="unsigned"`)
	parsed, err := parseCavage(r.Header)
	if err != nil {
		tb.Fatalf("parse own signature: %v", err)
	}
	msg, err := parsed.signingString(nil, r, true)
	if err != nil {
		tb.Fatalf("signing string: %v", err)
	}
	r.Header.Set("Signature", params+`,signature="`+rawSign(tb, key, msg)+`"`)
}

// inbound builds a server-side request to example.org.
func serverRequest(method, target string, body []byte) *http.Request {
	r, _ := http.NewRequest(method, target, bytes.NewReader(body))
	r.URL.Scheme, r.URL.Host, r.Host = "", "", "example.org"
	return r
}

func TestSignatureTimeWindow(t *testing.T) {
	key, _ := signingKeys(t)
	const (
		dated   = "(request-target) host date digest"
		created = "(request-target) host (created) digest"
	)
	tests := []struct {
		name string
		spec cavageSpec
		now  time.Time
		want string
	}{
		{"Date 2 h in the future", cavageSpec{algorithm: "rsa-sha256", headers: dated, date: signedAt.Add(2 * time.Hour)}, signedAt,
			"signature is dated more than 1 h in the future"},
		{"Date 30 min in the future", cavageSpec{algorithm: "rsa-sha256", headers: dated, date: signedAt.Add(30 * time.Minute)}, signedAt, ""},
		{"Date 10 min old", cavageSpec{algorithm: "rsa-sha256", headers: dated, date: signedAt}, signedAt.Add(10 * time.Minute), ""},
		{"Date 64 min old (5 min + 1 h margin)", cavageSpec{algorithm: "rsa-sha256", headers: dated, date: signedAt}, signedAt.Add(64 * time.Minute), ""},
		{"Date 70 min old", cavageSpec{algorithm: "rsa-sha256", headers: dated, date: signedAt}, signedAt.Add(70 * time.Minute),
			"signature has expired"},
		{"Date 11 h old", cavageSpec{algorithm: "rsa-sha256", headers: dated, date: signedAt}, signedAt.Add(11 * time.Hour),
			"signature has expired"},
		{"Date 11 h old, signed expires 12 h after it",
			cavageSpec{algorithm: "hs2019", headers: dated + " (expires)", date: signedAt, expires: signedAt.Add(12 * time.Hour)},
			signedAt.Add(11 * time.Hour), ""},
		{"Date 11 h old, unsigned expires is ignored",
			cavageSpec{algorithm: "hs2019", headers: dated, date: signedAt, expires: signedAt.Add(12 * time.Hour)},
			signedAt.Add(11 * time.Hour), "signature has expired"},
		{"Date is not an HTTP date", cavageSpec{algorithm: "rsa-sha256", headers: dated, rawDate: "yesterday"}, signedAt,
			"the Date header is not an HTTP date"},
		{"(created) 2 h in the future", cavageSpec{algorithm: "hs2019", headers: created, created: signedAt.Add(2 * time.Hour)}, signedAt,
			"signature is dated more than 1 h in the future"},
		{"(created) 10 min old", cavageSpec{algorithm: "hs2019", headers: created, created: signedAt}, signedAt.Add(10 * time.Minute), ""},
		{"(created) 70 min old", cavageSpec{algorithm: "hs2019", headers: created, created: signedAt}, signedAt.Add(70 * time.Minute),
			"signature has expired"},
		{"(expires) passed 50 min ago",
			cavageSpec{algorithm: "hs2019", headers: created + " (expires)", created: signedAt, expires: signedAt.Add(10 * time.Minute)},
			signedAt.Add(time.Hour), ""},
		{"(expires) passed 61 min ago",
			cavageSpec{algorithm: "hs2019", headers: created + " (expires)", created: signedAt, expires: signedAt.Add(10 * time.Minute)},
			signedAt.Add(71 * time.Minute), "signature has expired"},
		// expires - created > 12 h: Mastodon clamps the expiry to created + 12 h.
		{"expires 14 h after created, 13.5 h later",
			cavageSpec{algorithm: "hs2019", headers: created + " (expires)", created: signedAt, expires: signedAt.Add(14 * time.Hour)},
			signedAt.Add(13*time.Hour + 30*time.Minute), "signature has expired"},
		{"expires 13 h after created, 1 min later",
			cavageSpec{algorithm: "hs2019", headers: created + " (expires)", created: signedAt, expires: signedAt.Add(13 * time.Hour)},
			signedAt.Add(time.Minute), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(testBody)
			r := serverRequest(http.MethodPost, "/users/alice/inbox", body)
			signCavage(t, r, body, key, tt.spec)
			if got := refusalReason(t, VerifyRequest(r, body, &key.PublicKey, tt.now)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSignatureAlgorithms(t *testing.T) {
	key, _ := signingKeys(t)
	edKey := signingTestKeys.ed
	const headers = "(request-target) host date digest"
	tests := []struct {
		name      string
		algorithm string
		signer    crypto.Signer
		pub       crypto.PublicKey
		want      string
	}{
		{"rsa-sha256", "rsa-sha256", key, &key.PublicKey, ""},
		{"hs2019 with an RSA key", "hs2019", key, &key.PublicKey, ""},
		{"algorithm absent", "", key, &key.PublicKey, ""},
		{"upper case", "RSA-SHA256", key, &key.PublicKey, ""},
		{"hmac-sha256", "hmac-sha256", key, &key.PublicKey, `algorithm "hmac-sha256" is not accepted`},
		{"rsa-sha512", "rsa-sha512", key, &key.PublicKey, `algorithm "rsa-sha512" is not accepted`},
		{"hs2019 with an Ed25519 key", "hs2019", edKey, edKey.Public(), ""},
		{"rsa-sha256 with an Ed25519 key", "rsa-sha256", edKey, edKey.Public(),
			"algorithm rsa-sha256 does not match the signer's Ed25519 key"},
		{"hs2019 signed by Ed25519, checked with RSA", "hs2019", edKey, &key.PublicKey, mismatchReason},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(testBody)
			r := serverRequest(http.MethodPost, "/users/alice/inbox", body)
			signCavage(t, r, body, tt.signer, cavageSpec{algorithm: tt.algorithm, headers: headers, date: signedAt})
			if got := refusalReason(t, VerifyRequest(r, body, tt.pub, signedAt)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSignatureCavageDefaults(t *testing.T) {
	tests := []struct {
		header, wantAlgorithm string
		wantHeaders           []string
	}{
		{`keyId="k",signature="s"`, "hs2019", []string{"(created)"}},
		{`keyId="k",algorithm="rsa-sha256",signature="s"`, "rsa-sha256", []string{"date"}},
		{`keyId="k",algorithm="hs2019",signature="s"`, "hs2019", []string{"(created)"}},
		{`keyId="k",headers="",signature="s"`, "hs2019", []string{}},
		{`keyId="k", headers="(Request-Target) HOST  date" , signature="s"`, "hs2019", []string{"(request-target)", "host", "date"}},
	}
	for _, tt := range tests {
		h := http.Header{"Signature": {tt.header}}
		sig, err := parseCavage(h)
		if err != nil {
			t.Errorf("%s: %v", tt.header, err)
			continue
		}
		if sig.algorithm != tt.wantAlgorithm || !reflect.DeepEqual(sig.headers, tt.wantHeaders) {
			t.Errorf("%s: got %q %q, want %q %q", tt.header, sig.algorithm, sig.headers, tt.wantAlgorithm, tt.wantHeaders)
		}
	}
}

func TestSignatureCoverage(t *testing.T) {
	key, _ := signingKeys(t)
	tests := []struct {
		name, method, headers, algorithm string
		want                             string
	}{
		{"GET without host", http.MethodGet, "(request-target) date", "rsa-sha256", "a GET signature must cover host"},
		{"GET with host", http.MethodGet, "(request-target) host date", "rsa-sha256", ""},
		{"GET without (request-target)", http.MethodGet, "host date", "rsa-sha256",
			"the signature does not cover (request-target) or digest"},
		{"POST without digest", http.MethodPost, "(request-target) host date", "rsa-sha256", "a POST signature must cover digest"},
		{"POST with digest but no (request-target)", http.MethodPost, "host date digest", "rsa-sha256", ""},
		{"POST without date or (created)", http.MethodPost, "(request-target) host digest", "rsa-sha256",
			"the signature does not cover date or (created)"},
		{"(created) with rsa-sha256", http.MethodPost, "(request-target) host date digest (created)", "rsa-sha256",
			"(created) and (expires) need algorithm hs2019"},
		{"(created) without its parameter", http.MethodPost, "(request-target) host (created) digest", "hs2019",
			"the signature covers (created) without a created parameter"},
		{"a signed header is absent", http.MethodPost, "(request-target) host date digest x-absent", "rsa-sha256",
			`the signed header "x-absent" is missing`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body []byte
			if tt.method == http.MethodPost {
				body = []byte(testBody)
			}
			r := serverRequest(tt.method, "/users/alice/inbox", body)
			spec := cavageSpec{algorithm: tt.algorithm, headers: tt.headers, date: signedAt}
			if strings.Contains(tt.headers, "x-absent") {
				r.Header.Set("X-Absent", "signed, then dropped")
				signCavage(t, r, body, key, spec)
				r.Header.Del("X-Absent")
			} else {
				signCavage(t, r, body, key, spec)
			}
			if got := refusalReason(t, VerifyRequest(r, body, &key.PublicKey, signedAt)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSignatureDigestHeader(t *testing.T) {
	key, _ := signingKeys(t)
	body := []byte(testBody)
	sha512sum := sha512.Sum512(body)
	sha512Digest := "SHA-512=" + base64.StdEncoding.EncodeToString(sha512sum[:])
	tests := []struct {
		name, digest, want string
	}{
		{"SHA-256", "SHA-256=" + testDigest, ""},
		{"lower case", "sha-256=" + testDigest, ""},
		{"SHA-512 then SHA-256", sha512Digest + ", SHA-256=" + testDigest, ""},
		{"SHA-512 alone", sha512Digest, "the Digest header has no SHA-256 digest"},
		{"not base64", "SHA-256=???", "the SHA-256 digest is not valid base64"},
		{"another body", digestHeaderOf([]byte("{}")), "digest does not match the body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := serverRequest(http.MethodPost, "/users/alice/inbox", body)
			r.Header.Set("Digest", tt.digest) // signed as it is: signCavage sets none without a body
			signCavage(t, r, nil, key, cavageSpec{algorithm: "rsa-sha256", headers: "(request-target) host date digest", date: signedAt})
			if got := refusalReason(t, VerifyRequest(r, body, &key.PublicKey, signedAt)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSignatureHandMadeCavage verifies draft-cavage signatures made without
// this package: the signing strings are written out as in Mastodon's
// spec/security.md, with the path as sent on the wire.
func TestSignatureHandMadeCavage(t *testing.T) {
	key, _ := signingKeys(t)
	const date = "Tue, 14 Nov 2023 22:13:20 GMT"
	tests := []struct {
		name, method, target, headers, signingString string
		body                                         []byte
	}{
		{"POST", http.MethodPost, "/users/alice/inbox", "(request-target) host date digest",
			"(request-target): post /users/alice/inbox\n" +
				"host: example.org\n" +
				"date: " + date + "\n" +
				"digest: SHA-256=" + testDigest,
			[]byte(testBody)},
		{"GET with an escaped path", http.MethodGet, "/tags/caf%C3%A9%20bar?q=a%2Fb", "(request-target) host date",
			"(request-target): get /tags/caf%C3%A9%20bar?q=a%2Fb\n" +
				"host: example.org\n" +
				"date: " + date,
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := serverRequest(tt.method, tt.target, tt.body)
			r.Header.Set("Date", date)
			if tt.body != nil {
				r.Header.Set("Digest", "SHA-256="+testDigest)
			}
			r.Header.Set("Signature", `keyId="`+signerKeyID+`",algorithm="rsa-sha256",headers="`+tt.headers+`",`+
				`signature="`+rawSign(t, key, []byte(tt.signingString))+`"`)
			if got := refusalReason(t, VerifyRequest(r, tt.body, &key.PublicKey, signedAt)); got != "" {
				t.Errorf("got %q, want acceptance", got)
			}
		})
	}
}

// TestSignatureQueryCompat covers (request-target) with and without the
// query string; signing strings are written out by hand.
func TestSignatureQueryCompat(t *testing.T) {
	key, _ := signingKeys(t)
	tests := []struct {
		name, signedTarget, want string
	}{
		{"signed with the query", "/users/alice/outbox?page=true", ""},
		{"signed without the query", "/users/alice/outbox", ""},
		{"signed with another query", "/users/alice/outbox?page=false", mismatchReason},
		{"signed another path", "/users/alice/followers", mismatchReason},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signingString := "(request-target): get " + tt.signedTarget + "\n" +
				"host: example.org\n" +
				"date: Tue, 14 Nov 2023 22:13:20 GMT"
			r := serverRequest(http.MethodGet, "/users/alice/outbox?page=true", nil)
			r.Header.Set("Date", "Tue, 14 Nov 2023 22:13:20 GMT")
			r.Header.Set("Signature", `keyId="`+signerKeyID+`",algorithm="rsa-sha256",headers="(request-target) host date",`+
				`signature="`+rawSign(t, key, []byte(signingString))+`"`)
			if got := refusalReason(t, VerifyRequest(r, nil, &key.PublicKey, signedAt)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// rfc9421Spec describes a request signed with yaronf/httpsign.
type rfc9421Spec struct {
	method, url string
	body        []byte
	digests     []string // Content-Digest schemes; none when empty
	components  []string
	config      *httpsign.SignConfig // nil: created, alg and keyid
	pss         bool                 // sign with rsa-pss-sha512
}

// signRFC9421 signs a client request with yaronf/httpsign, which stamps
// created with the wall clock, and delivers it.
func signRFC9421(tb testing.TB, key *rsa.PrivateKey, spec rfc9421Spec) *http.Request {
	tb.Helper()
	out := clientRequest(tb, spec.method, spec.url, spec.body)
	if len(spec.digests) > 0 {
		digest, err := httpsign.GenerateContentDigestHeader(&out.Body, spec.digests)
		if err != nil {
			tb.Fatal(err)
		}
		out.Header.Set("Content-Digest", digest)
	}
	config := spec.config
	if config == nil {
		config = httpsign.NewSignConfig().SetKeyID(signerKeyID)
	}
	newSigner := httpsign.NewRSASigner
	if spec.pss {
		newSigner = httpsign.NewRSAPSSSigner
	}
	signer, err := newSigner(*key, config, httpsign.Headers(spec.components...))
	if err != nil {
		tb.Fatal(err)
	}
	input, sig, err := httpsign.SignRequest("sig1", *signer, out)
	if err != nil {
		tb.Fatal(err)
	}
	out.Header.Set("Signature-Input", input)
	out.Header.Set("Signature", sig)
	return overTheWire(tb, out)
}

func TestSignatureRFC9421(t *testing.T) {
	key, evil := signingKeys(t)
	body := []byte(testBody)
	post := []string{"@method", "@target-uri", "content-digest"}
	sha256Only := []string{httpsign.DigestSha256}
	tests := []struct {
		name   string
		spec   rfc9421Spec
		verify []byte // body handed to VerifyRequest; nil means spec.body
		pub    *rsa.PrivateKey
		want   string
	}{
		{"POST", rfc9421Spec{method: "POST", url: testInboxURL, body: body, digests: sha256Only, components: post}, nil, key, ""},
		{"POST with sha-512", rfc9421Spec{method: "POST", url: testInboxURL, body: body, digests: []string{httpsign.DigestSha512},
			components: post}, nil, key, ""},
		{"GET", rfc9421Spec{method: "GET", url: testInboxURL, components: []string{"@method", "@target-uri"}}, nil, key, ""},
		{"GET with a query", rfc9421Spec{method: "GET", url: testInboxURL + "?page=true",
			components: []string{"@method", "@target-uri"}}, nil, key, ""},
		{"@authority and @path for @target-uri", rfc9421Spec{method: "POST", url: testInboxURL, body: body, digests: sha256Only,
			components: []string{"@method", "@authority", "@path", "content-digest"}}, nil, key, ""},
		{"@authority, @path and @query for @target-uri", rfc9421Spec{method: "GET", url: testInboxURL + "?page=true",
			components: []string{"@method", "@authority", "@path", "@query"}}, nil, key, ""},
		{"@authority and @path without @query", rfc9421Spec{method: "GET", url: testInboxURL + "?page=true",
			components: []string{"@method", "@authority", "@path"}}, nil, key, "the signature does not cover @target-uri"},
		{"alg absent", rfc9421Spec{method: "POST", url: testInboxURL, body: body, digests: sha256Only, components: post,
			config: httpsign.NewSignConfig().SignAlg(false).SetKeyID(signerKeyID)}, nil, key, ""},
		{"created absent", rfc9421Spec{method: "POST", url: testInboxURL, body: body, digests: sha256Only, components: post,
			config: httpsign.NewSignConfig().SignCreated(false).SetKeyID(signerKeyID)}, nil, key,
			"the signature has no created parameter"},
		{"keyid absent", rfc9421Spec{method: "POST", url: testInboxURL, body: body, digests: sha256Only, components: post,
			config: httpsign.NewSignConfig()}, nil, key, "the signature has no keyid"},
		{"@method absent", rfc9421Spec{method: "POST", url: testInboxURL, body: body, digests: sha256Only,
			components: []string{"@target-uri", "content-digest"}}, nil, key, "the signature does not cover @method"},
		{"@target-uri absent", rfc9421Spec{method: "POST", url: testInboxURL, body: body, digests: sha256Only,
			components: []string{"@method", "content-digest"}}, nil, key, "the signature does not cover @target-uri"},
		{"POST without content-digest", rfc9421Spec{method: "POST", url: testInboxURL, body: body, digests: sha256Only,
			components: []string{"@method", "@target-uri"}}, nil, key, "a POST signature must cover content-digest"},
		{"Content-Digest does not match", rfc9421Spec{method: "POST", url: testInboxURL, body: body, digests: sha256Only,
			components: post}, []byte(`{"hello": "mallory"}`), key, "digest does not match the body"},
		{"rsa-pss-sha512", rfc9421Spec{method: "POST", url: testInboxURL, body: body, digests: sha256Only, components: post,
			pss: true}, nil, key, `algorithm "rsa-pss-sha512" is not accepted`},
		{"wrong key", rfc9421Spec{method: "POST", url: testInboxURL, body: body, digests: sha256Only, components: post},
			nil, evil, mismatchReason},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := signRFC9421(t, key, tt.spec)
			verify := tt.verify
			if verify == nil {
				verify = tt.spec.body
			}
			if got := refusalReason(t, VerifyRequest(r, verify, &tt.pub.PublicKey, time.Now())); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSignatureRFC9421Tampering(t *testing.T) {
	key, _ := signingKeys(t)
	spec := rfc9421Spec{method: "POST", url: testInboxURL, body: []byte(testBody), digests: []string{httpsign.DigestSha256},
		components: []string{"@method", "@target-uri", "content-digest"}}
	tests := []struct {
		name   string
		tamper func(r *http.Request)
		now    time.Duration // after signing
		want   string
	}{
		{"untouched", func(r *http.Request) {}, 0, ""},
		{"changed path", func(r *http.Request) { r.URL.Path = "/users/carol/inbox" }, 0, mismatchReason},
		{"changed Host", func(r *http.Request) { r.Host = "evil.example" }, 0, mismatchReason},
		{"served over http", func(r *http.Request) { r.URL.Scheme = "http" }, 0, mismatchReason},
		{"two signatures", func(r *http.Request) {
			r.Header.Add("Signature-Input", strings.Replace(r.Header.Get("Signature-Input"), "sig1=", "sig2=", 1))
			r.Header.Add("Signature", strings.Replace(r.Header.Get("Signature"), "sig1=", "sig2=", 1))
		}, 0, "exactly one signature is accepted"},
		{"created 2 h in the future", func(r *http.Request) {}, -2 * time.Hour, "signature is dated more than 1 h in the future"},
		{"30 min old", func(r *http.Request) {}, 30 * time.Minute, ""},
		{"70 min old", func(r *http.Request) {}, 70 * time.Minute, "signature has expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := signRFC9421(t, key, spec)
			tt.tamper(r)
			now := time.Now().Add(tt.now)
			if got := refusalReason(t, VerifyRequest(r, spec.body, &key.PublicKey, now)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSignatureHandMadeRFC9421 verifies RFC 9421 signatures made without
// yaronf/httpsign: the signature base (RFC 9421 section 2.5) is written out
// by hand and signed with rsa.SignPKCS1v15 or Ed25519.
func TestSignatureHandMadeRFC9421(t *testing.T) {
	key, _ := signingKeys(t)
	ed := signingTestKeys.ed
	const (
		components = `("@method" "@target-uri" "content-digest");created=1700000000;keyid="` + signerKeyID + `"`
		covered    = `"@method": POST` + "\n" +
			`"@target-uri": https://example.org/users/alice/inbox` + "\n" +
			`"content-digest": sha-256=:` + testDigest + `:` + "\n"
		// Fedify 2.3 signs these, host among them: Go's server keeps it in r.Host, not r.Header.
		fedifyComponents = `("@method" "@target-uri" "@authority" "host" "date" "content-digest")` +
			`;alg="rsa-v1_5-sha256";keyid="` + signerKeyID + `";created=1700000000`
		fedifyCovered = `"@method": POST` + "\n" +
			`"@target-uri": https://example.org/users/alice/inbox` + "\n" +
			`"@authority": example.org` + "\n" +
			`"host": example.org` + "\n" +
			`"date": Tue, 14 Nov 2023 22:13:20 GMT` + "\n" +
			`"content-digest": sha-256=:` + testDigest + `:` + "\n"
	)
	tests := []struct {
		name            string
		covered, params string
		signer          crypto.Signer
		pub             crypto.PublicKey
		want            string
	}{
		{"rsa-v1_5-sha256, alg absent", covered, components, key, &key.PublicKey, ""},
		{"rsa-v1_5-sha256", covered, components + `;alg="rsa-v1_5-sha256"`, key, &key.PublicKey, ""},
		{"ed25519, alg absent", covered, components, ed, ed.Public(), ""},
		{"ed25519", covered, components + `;alg="ed25519"`, ed, ed.Public(), ""},
		{"ed25519 alg, RSA key", covered, components + `;alg="ed25519"`, ed, &key.PublicKey,
			"algorithm ed25519 does not match the signer's key"},
		{"rsa-v1_5-sha256 alg, Ed25519 key", covered, components + `;alg="rsa-v1_5-sha256"`, key, ed.Public(),
			"algorithm rsa-v1_5-sha256 does not match the signer's key"},
		{"Fedify's components, host among them", fedifyCovered, fedifyComponents, key, &key.PublicKey, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := tt.covered + `"@signature-params": ` + tt.params
			r := serverRequest(http.MethodPost, "/users/alice/inbox", []byte(testBody))
			r.Header.Set("Date", "Tue, 14 Nov 2023 22:13:20 GMT")
			r.Header.Set("Content-Digest", "sha-256=:"+testDigest+":")
			r.Header.Set("Signature-Input", "sig1="+tt.params)
			r.Header.Set("Signature", "sig1=:"+rawSign(t, tt.signer, []byte(base))+":")
			header := r.Header.Clone()
			if got := refusalReason(t, VerifyRequest(r, []byte(testBody), tt.pub, signedAt.Add(time.Minute))); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if !reflect.DeepEqual(r.Header, header) {
				t.Errorf("Header: got %v, want %v", r.Header, header)
			}
			if tt.want != "" {
				return
			}
			if got, want := refusalReason(t, VerifyRequest(r, []byte(testBody), tt.pub, signedAt.Add(2*time.Hour))), "signature has expired"; got != want {
				t.Errorf("two hours later: got %q, want %q", got, want)
			}
		})
	}
}

// TestSignatureLeavesRequestIntact checks that verifying reads neither the
// body nor changes the URL or headers (yaronf/httpsign writes to the URL it
// is given).
func TestSignatureLeavesRequestIntact(t *testing.T) {
	key, _ := signingKeys(t)
	body := []byte(testBody)
	requests := map[string]*http.Request{
		"draft-cavage": signedInbound(t, http.MethodPost, testInboxURL, body, key, time.Now()),
		"RFC 9421": signRFC9421(t, key, rfc9421Spec{method: "POST", url: testInboxURL, body: body,
			digests: []string{httpsign.DigestSha256}, components: []string{"@method", "@target-uri", "content-digest"}}),
	}
	for name, r := range requests {
		t.Run(name, func(t *testing.T) {
			url, header := *r.URL, r.Header.Clone()
			if got := refusalReason(t, VerifyRequest(r, body, &key.PublicKey, time.Now())); got != "" {
				t.Fatalf("got %q, want acceptance", got)
			}
			if !reflect.DeepEqual(*r.URL, url) {
				t.Errorf("URL: got %#v, want %#v", *r.URL, url)
			}
			if !reflect.DeepEqual(r.Header, header) {
				t.Errorf("Header: got %v, want %v", r.Header, header)
			}
			got, err := io.ReadAll(r.Body)
			if err != nil || !bytes.Equal(got, body) {
				t.Errorf("Body: got %q, %v, want %q", got, err, body)
			}
		})
	}
}

// malformedSignatures is a set of malformed signature headers, also the fuzz seeds.
var malformedSignatures = []struct{ signature, input string }{
	{`keyId=`, ""},
	{`keyId="`, ""},
	{`=`, ""},
	{`,,,`, ""},
	{`keyId`, ""},
	{`keyId="a"signature="b"`, ""},
	{`keyId="a",signature="b",headers="(request-target) host date",keyId="c"`, ""},
	{`keyId="a",signature="!!!not base64!!!",algorithm="rsa-sha256",headers="(request-target) host date"`, ""},
	{`keyId="a",signature="b",algorithm="hs2019",headers="(request-target) host (created)",created=abc`, ""},
	{`keyId="a",signature="b",algorithm="hs2019",headers="(request-target) host (created)",created=99999999999999999999999`, ""},
	{`keyId="a",signature="b",algorithm="hs2019",headers="(request-target) host (created)",created=-5`, ""},
	{`keyId="a\",signature="b"`, ""},
	{`keyId="a",signature="` + strings.Repeat("A", 100000) + `"`, ""},
	{"keyId=\"\x00\x01\",signature=\"\xff\xfe\",algorithm=\"\x1b[31m\"", ""},
	{"", `sig1=(`},
	{"", `sig1=`},
	{`sig1=:AAAA:`, `sig1=("@method" "@target-uri");created=1700000000;keyid="k"`},
	{`sig1=:!!!:`, `sig1=("@method" "@target-uri");created=1700000000;keyid="k"`},
	{`sig2=:AAAA:`, `sig1=("@method" "@target-uri");created=1700000000;keyid="k"`},
	{`sig1="AAAA"`, `sig1=("@method" "@target-uri");created=1700000000;keyid="k"`},
	{`sig1=:AAAA:`, `sig1="not a list";created=1700000000;keyid="k"`},
	{`sig1=:AAAA:`, `sig1=(1 2 3);created=1700000000;keyid="k"`},
	{`sig1=:AAAA:`, `sig1=("@method" "@target-uri");created="yesterday";keyid="k"`},
	{`sig1=:AAAA:`, `sig1=("@method" "@target-uri");created=-1;keyid="k"`},
	{`sig1=:AAAA:`, `sig1=("@method" "@target-uri");created=1700000000;keyid=k`},
	{`sig1=:AAAA:`, `sig1=("@method" "@target-uri" "@query-param");created=1700000000;keyid="k"`},
	{`sig1=:AAAA:`, `sig1=("@method" "@target-uri" "content-digest";req);created=1700000000;keyid="k"`},
	{`sig1=:AAAA:`, `sig1=("@method" "@target-uri");created=1700000000;expires=1;keyid="k";alg="ed25519"`},
	{`sig1=:AAAA:`, `sig1=("@method" "@target-uri");created=1700000000;keyid="k"` + strings.Repeat(`;x="y"`, 5000)},
	{"", "sig1=(\"@method\"\x00);keyid=\"k\""},
	// These pass the policy, so that the fuzzer reaches httpsign's parsing.
	{`sig1=:AAAA:`, `sig1=("@method" "@target-uri" "content-digest" "date");created=1700000000;keyid="k"`},
	{`sig1=:AAAA:`, `sig1=("@method" "@target-uri" "content-digest" "@query-param";name="x" "date";sf);created=1700000000;keyid="k"`},
	{`sig1=:AAAA:`, `sig1=("@method" "@target-uri" "content-digest" "@status" "digest";bs;key="a");created=1700000000;keyid="k"`},
	{`keyId="k",signature="AAAA",headers="(request-target) host date digest"`, ""},
}

func TestSignatureGarbage(t *testing.T) {
	key, _ := signingKeys(t)
	for i, g := range malformedSignatures {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			r := serverRequest(method, "/users/alice/inbox?x=%zz", []byte(testBody))
			r.Header.Set("Date", signedAt.UTC().Format(http.TimeFormat))
			r.Header.Set("Digest", digestHeaderOf([]byte(testBody)))
			r.Header.Set("Signature", g.signature)
			if g.input != "" {
				r.Header.Set("Signature-Input", g.input)
			}
			got := refusalReason(t, VerifyRequest(r, []byte(testBody), &key.PublicKey, signedAt))
			if got == "" {
				t.Errorf("malformedSignatures %d, %s: accepted", i, method)
			}
			if strings.ContainsAny(got, "\x00\x01\x1b\xff") {
				t.Errorf("malformedSignatures %d, %s: reason %q carries raw input", i, method, got)
			}
			if len(got) > 200 {
				t.Errorf("malformedSignatures %d, %s: reason is %d bytes long", i, method, len(got))
			}
		}
	}
}

func TestSignatureKeyID(t *testing.T) {
	key, _ := signingKeys(t)
	cavage := signedInbound(t, http.MethodPost, testInboxURL, []byte(testBody), key, signedAt)
	message := signRFC9421(t, key, rfc9421Spec{method: "GET", url: testInboxURL, components: []string{"@method", "@target-uri"}})
	tests := []struct {
		name   string
		header http.Header
		want   string
		reason string
	}{
		{"draft-cavage", cavage.Header, signerKeyID, ""},
		{"RFC 9421", message.Header, signerKeyID, ""},
		{"RFC 9421 chosen over Signature", http.Header{
			"Signature-Input": {`sig1=("@method");created=1;keyid="https://a.example/k"`},
			"Signature":       {`sig1=:AAAA:`},
		}, "https://a.example/k", ""},
		{"no signature", http.Header{}, "", "no Signature or Signature-Input header"},
		{"no keyId", http.Header{"Signature": {`signature="AAAA"`}}, "", "the Signature header needs keyId and signature"},
		{"malformed Signature-Input", http.Header{"Signature-Input": {"sig1=("}}, "", "malformed Signature-Input header"},
		{"a control character", http.Header{"Signature": {"keyId=\"https://a.example/k\x00\",signature=\"AAAA\""}}, "",
			"the Signature header has control characters"},
		{"bytes that are not UTF-8 kept as sent", http.Header{"Signature": {"keyId=\"https://a.example/\xc5k\",signature=\"AAAA\""}},
			"https://a.example/\xc5k", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SignatureKeyID(&http.Request{Header: tt.header})
			if got != tt.want || refusalReason(t, err) != tt.reason {
				t.Errorf("got %q, %q; want %q, %q", got, refusalReason(t, err), tt.want, tt.reason)
			}
		})
	}
}

func FuzzVerifySignedRequest(f *testing.F) {
	for _, g := range malformedSignatures {
		f.Add(g.signature, g.input, "/users/alice/inbox")
	}
	key, _ := signingKeys(f)
	f.Fuzz(func(t *testing.T, signature, input, target string) {
		r := serverRequest(http.MethodPost, "/", []byte(testBody))
		r.URL.RawQuery = target // any bytes, as a hostile client may send
		r.Header.Set("Date", signedAt.UTC().Format(http.TimeFormat))
		r.Header.Set("Digest", digestHeaderOf([]byte(testBody)))
		r.Header.Set("Content-Digest", "sha-256=:"+testDigest+":")
		r.Header.Set("Signature", signature)
		if input != "" {
			r.Header.Set("Signature-Input", input)
		}
		if refusalReason(t, VerifyRequest(r, []byte(testBody), &key.PublicKey, signedAt)) == "" {
			t.Errorf("accepted a fuzzed signature %q %q", signature, input)
		}
		_, err := SignatureKeyID(r)
		refusalReason(t, err)
	})
}

func BenchmarkVerifyRequest(b *testing.B) {
	key, _ := signingKeys(b)
	body := bytes.Repeat([]byte(`{"type":"Create","object":"x"}`), 100) // a 3 KB activity
	b.Run("draft-cavage", func(b *testing.B) {
		r := signedInbound(b, http.MethodPost, testInboxURL, body, key, signedAt)
		benchmarkVerify(b, r, body, &key.PublicKey, signedAt)
	})
	b.Run("RFC 9421", func(b *testing.B) {
		r := signRFC9421(b, key, rfc9421Spec{method: "POST", url: testInboxURL, body: body,
			digests: []string{httpsign.DigestSha256}, components: []string{"@method", "@target-uri", "content-digest"}})
		benchmarkVerify(b, r, body, &key.PublicKey, time.Now())
	})
}

func benchmarkVerify(b *testing.B, r *http.Request, body []byte, pub crypto.PublicKey, now time.Time) {
	b.ReportAllocs()
	for b.Loop() {
		if err := VerifyRequest(r, body, pub, now); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verified/s")
}
