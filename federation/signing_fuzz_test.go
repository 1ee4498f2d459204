package federation

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/dunglas/httpsfv"
)

// FuzzCavageSignature parses any draft-cavage Signature header. One that
// parses has what verification relies on (a key id, a signature, an
// algorithm, the signed headers), SignatureKeyID reads the same key id
// from it, and written out again it parses to the same values. A key id
// that SignRequest accepts comes back from the header it writes.
func FuzzCavageSignature(f *testing.F) {
	for _, seed := range []string{
		// Mastodon, GoToSocial (hs2019 over RSA), Pleroma, and one with (created).
		`keyId="https://mastodon.example/users/carol#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest content-type",signature="c2lnbmF0dXJl"`,
		`keyId="https://gts.example/users/erin/main-key",headers="(request-target) host date digest",algorithm="hs2019",signature="c2ln"`,
		`keyId="https://pleroma.example/users/frank#main-key",algorithm="rsa-sha256",headers="(request-target) content-length date digest host",signature="c2ln"`,
		`keyId="https://a.example/k",algorithm="hs2019",created=1700000000,expires=1700000300,headers="(request-target) (created) (expires) host digest",signature="c2ln"`,
		`keyId=unquoted , signature = "a\"b\\c" ,headers=""`,
		`keyId="k",signature="s",headers="(request-target) date",headers="host"`,
		"keyId=\"\u202e\u0000\",signature=\"\xff\"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		sig, err := parseCavage(http.Header{"Signature": {header}})
		if err != nil {
			refusalReason(t, err)
			return
		}
		if sig.keyID == "" || sig.signature == "" || sig.algorithm == "" || sig.headers == nil {
			t.Fatalf("parsed %+v: a key id, signature, algorithm or headers is missing", sig)
		}
		if sig.algorithm != lowerASCII(sig.algorithm) {
			t.Errorf("algorithm %q has ASCII capitals", sig.algorithm)
		}
		keyID, err := SignatureKeyID(&http.Request{Header: http.Header{"Signature": {header}}})
		if err != nil || keyID != sig.keyID {
			t.Errorf("SignatureKeyID = %q, %v; want %q", keyID, err, sig.keyID)
		}
		again, err := parseCavage(http.Header{"Signature": {formatCavage(sig)}})
		if err != nil || !reflect.DeepEqual(again, sig) {
			t.Errorf("written out and read again:\n got %+v, %v\nwant %+v", again, err, sig)
		}
		checkSignedKeyID(t, sig.keyID)
	})
}

// formatCavage writes a Signature header with every parameter quoted.
func formatCavage(s *cavageSignature) string {
	quote := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace
	params := []string{
		`keyId="` + quote(s.keyID) + `"`,
		`algorithm="` + quote(s.algorithm) + `"`,
		`headers="` + quote(strings.Join(s.headers, " ")) + `"`,
		`signature="` + quote(s.signature) + `"`,
	}
	if s.created != "" {
		params = append(params, `created="`+quote(s.created)+`"`)
	}
	if s.expires != "" {
		params = append(params, `expires="`+quote(s.expires)+`"`)
	}
	return strings.Join(params, ",")
}

// roundTripKey is an RSA key for the key id round trip; 1024 bits, the
// least Go signs with, since it signs once for every input that parses.
var roundTripKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 1024) })

// checkSignedKeyID signs a request as keyID when SignRequest takes the
// id, and reads the key id back from the request as a server gets it.
func checkSignedKeyID(t *testing.T, keyID string) {
	t.Helper()
	key, err := roundTripKey()
	if err != nil {
		t.Fatal(err)
	}
	r := clientRequest(t, http.MethodPost, testInboxURL, []byte(testBody))
	if err := SignRequest(r, []byte(testBody), keyID, key, signedAt); err != nil {
		return // an id with a quote, backslash or line break is refused
	}
	in := overTheWire(t, r)
	if got, err := SignatureKeyID(in); err != nil || got != keyID {
		t.Errorf("signed as %q, SignatureKeyID = %q, %v", keyID, got, err)
	}
	if err := VerifyRequest(in, []byte(testBody), &key.PublicKey, signedAt); err != nil {
		t.Errorf("signed as %q, verification: %v", keyID, err)
	}
}

// FuzzMessageSignature parses any RFC 9421 Signature-Input and Signature
// pair. One that parses has one named signature with a key id and times
// Unix arithmetic can take, SignatureKeyID reads the same key id, and
// written out again with httpsfv it parses to the same values.
func FuzzMessageSignature(f *testing.F) {
	for _, seed := range [][2]string{
		{`sig1=("@method" "@target-uri" "content-digest");created=1700000000;keyid="https://mastodon.example/users/carol#main-key"`, `sig1=:c2lnbmF0dXJl:`},
		{`sig1=("@method" "@authority" "@path" "content-digest");created=1700000000;expires=1700000300;alg="rsa-v1_5-sha256";keyid="https://fedify.example/users/ada#main-key"`, `sig1=:c2ln:`},
		{`sig1=("@method" "@target-uri" "host" "date");created=1700000000;keyid="k";nonce="abc";tag="fediverse"`, `sig1=:AAAA:`},
		{`a=("@method");keyid="k", b=("@method");keyid="l"`, `a=:AAAA:, b=:AAAA:`},
		{`sig1=("@method" "@query-param";name="x");created=0;keyid="k"`, `sig1=:AAAA:`},
		{`sig1=();created=99999999999999;keyid=""`, `sig1=:AAAA:`},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, input, signature string) {
		h := http.Header{"Signature-Input": {input}, "Signature": {signature}}
		sig, err := parseMessageSignature(h)
		if err != nil {
			refusalReason(t, err)
			return
		}
		if sig.keyID == "" || sig.name == "" {
			t.Fatalf("parsed %+v: no key id or name", sig)
		}
		for _, when := range []int64{sig.created.Unix(), sig.expires.Unix()} {
			if when > latestUnixTime {
				t.Errorf("parsed %+v: a time beyond the year 33658", sig)
			}
		}
		keyID, err := SignatureKeyID(&http.Request{Header: h})
		if err != nil || keyID != sig.keyID {
			t.Errorf("SignatureKeyID = %q, %v; want %q", keyID, err, sig.keyID)
		}
		written, err := formatMessageSignature(sig)
		if err != nil {
			t.Fatalf("write %+v: %v", sig, err)
		}
		again, err := parseMessageSignature(written)
		if err != nil || !reflect.DeepEqual(again, sig) {
			t.Errorf("written out as %q and read again:\n got %+v, %v\nwant %+v", written, again, err, sig)
		}
	})
}

// formatMessageSignature writes the Signature-Input and Signature headers
// of a parsed signature.
func formatMessageSignature(s *messageSignature) (http.Header, error) {
	params := httpsfv.NewParams()
	params.Add("keyid", s.keyID)
	if s.alg != "" {
		params.Add("alg", s.alg)
	}
	if !s.created.IsZero() {
		params.Add("created", s.created.Unix())
	}
	if !s.expires.IsZero() {
		params.Add("expires", s.expires.Unix())
	}
	list := httpsfv.InnerList{Params: params}
	for _, c := range s.components {
		list.Items = append(list.Items, httpsfv.NewItem(c))
	}
	input := httpsfv.NewDictionary()
	input.Add(s.name, list)
	sigs := httpsfv.NewDictionary()
	sigs.Add(s.name, httpsfv.NewItem([]byte("signature")))
	in, err := httpsfv.Marshal(input)
	if err != nil {
		return nil, err
	}
	out, err := httpsfv.Marshal(sigs)
	if err != nil {
		return nil, err
	}
	return http.Header{"Signature-Input": {in}, "Signature": {out}}, nil
}

// TestSignRequestKeyIDs: SignRequest refuses a key id it cannot write
// into a header that servers read (FuzzCavageSignature found one with a
// NUL), and any other comes back from the request as a server reads it.
func TestSignRequestKeyIDs(t *testing.T) {
	for _, tt := range []struct {
		keyID string
		ok    bool
	}{
		{"https://news.example/users/alice#main-key", true},
		{"https://news.example/users/ålice#main-key", true},
		{"https://news.example/a b,c=d#main-key", true},
		{"k\tey", true},
		{"", false},
		{`a"b`, false},
		{`a\b`, false},
		{"a\rb", false},
		{"a\nb", false},
		{"a\x00b", false},
		{"a\x1bb", false},
		{"a\x7fb", false},
	} {
		key, err := roundTripKey()
		if err != nil {
			t.Fatal(err)
		}
		r := clientRequest(t, http.MethodPost, testInboxURL, []byte(testBody))
		err = SignRequest(r, []byte(testBody), tt.keyID, key, signedAt)
		if (err == nil) != tt.ok {
			t.Errorf("SignRequest with key id %q: %v; want ok %v", tt.keyID, err, tt.ok)
			continue
		}
		if tt.ok {
			checkSignedKeyID(t, tt.keyID)
		}
	}
}
