package federation

import (
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"
)

// rfc9421TestKey is test-key-rsa of RFC 9421 appendix B.1.1.
const rfc9421TestKey = `-----BEGIN RSA PRIVATE KEY-----
MIIEqAIBAAKCAQEAhAKYdtoeoy8zcAcR874L8cnZxKzAGwd7v36APp7Pv6Q2jdsP
BRrwWEBnez6d0UDKDwGbc6nxfEXAy5mbhgajzrw3MOEt8uA5txSKobBpKDeBLOsd
JKFqMGmXCQvEG7YemcxDTRPxAleIAgYYRjTSd/QBwVW9OwNFhekro3RtlinV0a75
jfZgkne/YiktSvLG34lw2zqXBDTC5NHROUqGTlML4PlNZS5Ri2U4aCNx2rUPRcKI
lE0PuKxI4T+HIaFpv8+rdV6eUgOrB2xeI1dSFFn/nnv5OoZJEIB+VmuKn3DCUcCZ
SFlQPSXSfBDiUGhwOw76WuSSsf1D4b/vLoJ10wIDAQABAoIBAG/JZuSWdoVHbi56
vjgCgkjg3lkO1KrO3nrdm6nrgA9P9qaPjxuKoWaKO1cBQlE1pSWp/cKncYgD5WxE
CpAnRUXG2pG4zdkzCYzAh1i+c34L6oZoHsirK6oNcEnHveydfzJL5934egm6p8DW
+m1RQ70yUt4uRc0YSor+q1LGJvGQHReF0WmJBZHrhz5e63Pq7lE0gIwuBqL8SMaA
yRXtK+JGxZpImTq+NHvEWWCu09SCq0r838ceQI55SvzmTkwqtC+8AT2zFviMZkKR
Qo6SPsrqItxZWRty2izawTF0Bf5S2VAx7O+6t3wBsQ1sLptoSgX3QblELY5asI0J
YFz7LJECgYkAsqeUJmqXE3LP8tYoIjMIAKiTm9o6psPlc8CrLI9CH0UbuaA2JCOM
cCNq8SyYbTqgnWlB9ZfcAm/cFpA8tYci9m5vYK8HNxQr+8FS3Qo8N9RJ8d0U5Csw
DzMYfRghAfUGwmlWj5hp1pQzAuhwbOXFtxKHVsMPhz1IBtF9Y8jvgqgYHLbmyiu1
mwJ5AL0pYF0G7x81prlARURwHo0Yf52kEw1dxpx+JXER7hQRWQki5/NsUEtv+8RT
qn2m6qte5DXLyn83b1qRscSdnCCwKtKWUug5q2ZbwVOCJCtmRwmnP131lWRYfj67
B/xJ1ZA6X3GEf4sNReNAtaucPEelgR2nsN0gKQKBiGoqHWbK1qYvBxX2X3kbPDkv
9C+celgZd2PW7aGYLCHq7nPbmfDV0yHcWjOhXZ8jRMjmANVR/eLQ2EfsRLdW69bn
f3ZD7JS1fwGnO3exGmHO3HZG+6AvberKYVYNHahNFEw5TsAcQWDLRpkGybBcxqZo
81YCqlqidwfeO5YtlO7etx1xLyqa2NsCeG9A86UjG+aeNnXEIDk1PDK+EuiThIUa
/2IxKzJKWl1BKr2d4xAfR0ZnEYuRrbeDQYgTImOlfW6/GuYIxKYgEKCFHFqJATAG
IxHrq1PDOiSwXd2GmVVYyEmhZnbcp8CxaEMQoevxAta0ssMK3w6UsDtvUvYvF22m
qQKBiD5GwESzsFPy3Ga0MvZpn3D6EJQLgsnrtUPZx+z2Ep2x0xc5orneB5fGyF1P
WtP+fG5Q6Dpdz3LRfm+KwBCWFKQjg7uTxcjerhBWEYPmEMKYwTJF5PBG9/ddvHLQ
EQeNC8fHGg4UXU8mhHnSBt3EA10qQJfRDs15M38eG2cYwB1PZpDHScDnDA0=
-----END RSA PRIVATE KEY-----
`

// TestSignRequestRFC9421Vector checks the headers SignRequestRFC9421 makes
// with RFC 9421's test key against a vector made apart from our code: the
// signature base written out by hand from RFC 9421 section 2.5, signed
// with "openssl dgst -sha256 -sign" (RSASSA-PKCS1-v1_5 is deterministic).
// RFC 9421 appendix B has no rsa-v1_5-sha256 example to take instead.
func TestSignRequestRFC9421Vector(t *testing.T) {
	block, _ := pem.Decode([]byte(rfc9421TestKey))
	if block == nil {
		t.Fatal("test key is not PEM")
	}
	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method string
		body         []byte
		want         http.Header
	}{
		{"POST", http.MethodPost, []byte(testBody), http.Header{
			"Content-Digest":  {"sha-256=:" + testDigest + ":"},
			"Signature-Input": {`sig1=("@method" "@target-uri" "content-digest");created=1700000000;keyid="test-key-rsa";alg="rsa-v1_5-sha256"`},
			"Signature":       {"sig1=:fzdHiTARF1R5e2EJz29G7/+dcl4mdzYoTvJT5FPR+XI0GqhFqBFo3v/y8n4jYwKH6yme3dJIlThqIigMpLP++OOf9v/wkC7lnRYEAPSF9B738eIif8r1r1q2QLMtvvgqZXxITLV6l/eQNrvc98Fknd3euvHROPGi2SkvlR8o4h1CHO/xi9yo3DkXnoHkl46eKScgvvI9CmCD32Eeh+6DObmIcITWvWaZYdL9kMa+KxizKYUvbGtwZm2RbQFJaX493ZJeaVBxyeKUH9g4g9Nc5MRs/BKkW9BQacTPDChnjITeuePVpOfuLTJady08bsjxQ3YZTQKONtED7zV4H4OOCw==:"},
			"Date":            {"Tue, 14 Nov 2023 22:13:20 GMT"},
		}},
		{"GET", http.MethodGet, nil, http.Header{
			"Signature-Input": {`sig1=("@method" "@target-uri");created=1700000000;keyid="test-key-rsa";alg="rsa-v1_5-sha256"`},
			"Signature":       {"sig1=:PInFtBA2wTk41TMPXAF8m2+diw4fEZBf71XE1IKqn1FbR3ZTaZ60Q/N4RXhM6+AqZt3Xusp7Yz+Dp65jNngvRgh+WmPNM6V3rkcUtZWFzOhvcSFXtxwd8pe5B07OekRLdUhf9Uwrpn1bzAdPFUYDztbSMCSZvGxBd+jgqjQhv77EYX9yNnBApFRsVEbgba/3AaGJkEOAv2akbyS09xyvK7wiQLC9RtSgga24ZEyz049Svwpzkd7ZVsO/9yWI7x20GAUBzrgtNTeoUFvnAPj7xpt0w3M895GBjNouEi3tR75dH2+NSQlEy6E0gKiwcp+sNttOeN7SgWzP37P6BGlLDw==:"},
			"Date":            {"Tue, 14 Nov 2023 22:13:20 GMT"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := testInboxURL
			if tt.body == nil {
				url = "https://example.org/users/alice"
			}
			out := clientRequest(t, tt.method, url, tt.body)
			if err := SignRequestRFC9421(out, tt.body, "test-key-rsa", key, signedAt); err != nil {
				t.Fatalf("SignRequestRFC9421: %v", err)
			}
			for name, want := range tt.want {
				if got := out.Header.Values(name); strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("%s: got %q, want %q", name, got, want)
				}
			}
			if got := out.Header.Get("Digest"); got != "" {
				t.Errorf("Digest: got %q, want none (draft-cavage only)", got)
			}
		})
	}
}

// TestSignRequestRFC9421RoundTrip checks that our verifier, which builds
// the signature base with yaronf/httpsign, accepts what we sign, as a
// server receives it, and refuses it once the request is changed.
func TestSignRequestRFC9421RoundTrip(t *testing.T) {
	key, evil := signingKeys(t)
	tests := []struct {
		name, method, url string
		body              []byte
	}{
		{"GET", http.MethodGet, "https://example.org/users/alice", nil},
		{"GET without a path", http.MethodGet, "https://example.org", nil},
		{"GET with a fragment", http.MethodGet, "https://example.org/users/alice#main-key", nil},
		{"GET with an escaped path", http.MethodGet, "https://example.org/tags/caf%C3%A9%20bar", nil},
		{"GET with query", http.MethodGet, "https://example.org/users/alice/outbox?page=true", nil},
		{"POST", http.MethodPost, testInboxURL, []byte(testBody)},
		{"POST to a port", http.MethodPost, "https://example.org:8443/inbox", []byte(testBody)},
		{"POST of an empty body", http.MethodPost, testInboxURL, []byte{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := clientRequest(t, tt.method, tt.url, tt.body)
			if err := SignRequestRFC9421(out, tt.body, signerKeyID, key, signedAt); err != nil {
				t.Fatalf("SignRequestRFC9421: %v", err)
			}
			in := overTheWire(t, out)
			now := signedAt.Add(time.Minute)
			if got := refusalReason(t, VerifyRequest(in, tt.body, &key.PublicKey, now)); got != "" {
				t.Errorf("VerifyRequest: got %q, want acceptance", got)
			}
			if keyID, err := SignatureKeyID(in); err != nil || keyID != signerKeyID {
				t.Errorf("SignatureKeyID: got %q, %v, want %q", keyID, err, signerKeyID)
			}
			if got := refusalReason(t, VerifyRequest(in, tt.body, &evil.PublicKey, now)); got != mismatchReason {
				t.Errorf("VerifyRequest with another key: got %q, want %q", got, mismatchReason)
			}
			in.Method = http.MethodPut
			if got := refusalReason(t, VerifyRequest(in, tt.body, &key.PublicKey, now)); got != mismatchReason {
				t.Errorf("VerifyRequest of another method: got %q, want %q", got, mismatchReason)
			}
		})
	}
}

func TestSignRequestRFC9421Refuses(t *testing.T) {
	key, _ := signingKeys(t)
	tests := []struct{ name, url, keyID string }{
		{"relative target", "/inbox", signerKeyID},
		{"empty key id", testInboxURL, ""},
		{"non-ASCII key id", testInboxURL, "https://example.org/café#main-key"},
		{"newline in key id", testInboxURL, "https://example.org/a\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := clientRequest(t, http.MethodPost, tt.url, []byte(testBody))
			if err := SignRequestRFC9421(out, []byte(testBody), tt.keyID, key, signedAt); err == nil {
				t.Errorf("got nil, want an error")
			}
			if got := out.Header.Get("Signature"); got != "" {
				t.Errorf("Signature: got %q, want none", got)
			}
		})
	}
}
