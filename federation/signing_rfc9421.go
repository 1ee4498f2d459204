package federation

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/dunglas/httpsfv"
	"github.com/yaronf/httpsign"
)

// The RFC 9421 (HTTP Message Signatures) half of the policy.

// messageSignature is the one signature of a request's Signature-Input.
// yaronf/httpsign keeps parameters and components to itself (it exposes only
// keyid and alg), so the policy reads them here with httpsfv, its own parser.
type messageSignature struct {
	name, keyID, alg string
	components       []string  // names, without their parameters
	created, expires time.Time // zero when absent
}

// parseMessageSignature reads Signature-Input and Signature, which must hold
// exactly one signature, the same one.
func parseMessageSignature(h http.Header) (*messageSignature, error) {
	inputs, sigs := h.Values("Signature-Input"), h.Values("Signature")
	if totalLen(inputs) > maxSignatureLen || totalLen(sigs) > maxSignatureLen {
		return nil, refuse("the signature headers are too long")
	}
	input, err := httpsfv.UnmarshalDictionary(inputs)
	if err != nil {
		return nil, refuse("malformed Signature-Input header")
	}
	values, err := httpsfv.UnmarshalDictionary(sigs)
	if err != nil {
		return nil, refuse("malformed Signature header")
	}
	if len(input.Names()) != 1 || len(values.Names()) != 1 {
		return nil, refuse("exactly one signature is accepted")
	}
	name := input.Names()[0]
	if v, ok := values.Get(name); !ok || !isByteSequence(v) {
		return nil, refuse("the Signature header has no byte sequence for %.64q", name)
	}
	member, _ := input.Get(name)
	list, ok := member.(httpsfv.InnerList)
	if !ok {
		return nil, refuse("Signature-Input %.64q is not a list of components", name)
	}
	sig := &messageSignature{name: name}
	for _, item := range list.Items {
		c, ok := item.Value.(string)
		if !ok {
			return nil, refuse("Signature-Input %.64q has a component that is not a string", name)
		}
		sig.components = append(sig.components, c)
	}
	if err := sig.setParams(list.Params); err != nil {
		return nil, err
	}
	if sig.keyID == "" {
		return nil, refuse("the signature has no keyid")
	}
	return sig, nil
}

// setParams reads keyid, alg, created and expires; others are ignored.
func (s *messageSignature) setParams(p *httpsfv.Params) error {
	for _, name := range p.Names() {
		v, _ := p.Get(name)
		var ok bool
		switch name {
		case "keyid":
			s.keyID, ok = v.(string)
		case "alg":
			s.alg, ok = v.(string)
		case "created":
			s.created, ok = unixParam(v)
		case "expires":
			s.expires, ok = unixParam(v)
		default:
			ok = true
		}
		if !ok {
			return refuse("the %.64q parameter has the wrong type", name)
		}
	}
	return nil
}

// unixParam converts an integer parameter to a time.
func unixParam(v any) (time.Time, bool) {
	n, ok := v.(int64)
	if !ok || n < 0 || n > latestUnixTime {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}

func isByteSequence(m httpsfv.Member) bool {
	item, ok := m.(httpsfv.Item)
	if !ok {
		return false
	}
	_, ok = item.Value.([]byte)
	return ok
}

func totalLen(values []string) (n int) {
	for _, v := range values {
		n += len(v)
	}
	return n
}

// covers reports whether the signature signs the component named c.
func (s *messageSignature) covers(c string) bool { return slices.Contains(s.components, c) }

// verifyMessageSignature applies the RFC 9421 policy, then lets
// yaronf/httpsign build the signature base and check the signature.
func verifyMessageSignature(r *http.Request, body []byte, pub crypto.PublicKey, now time.Time) error {
	sig, err := parseMessageSignature(r.Header)
	if err != nil {
		return err
	}
	if err := sig.checkPolicy(r, body); err != nil {
		return err
	}
	if err := checkWindow(sig.created, sig.expires, now); err != nil {
		return err
	}
	if sig.covers("content-digest") {
		if err := checkContentDigest(r.Header.Values("Content-Digest"), body); err != nil {
			return err
		}
	}
	verifier, err := sig.verifier(pub)
	if err != nil {
		return err
	}
	if err := httpsign.VerifyRequest(sig.name, *verifier, sig.view(r)); err != nil {
		return mismatch()
	}
	return nil
}

// checkPolicy refuses what Mastodon refuses: no created, no @method or
// @target-uri, a body without content-digest, an algorithm other than
// rsa-v1_5-sha256 (or ed25519 for Ed25519 keys).
func (s *messageSignature) checkPolicy(r *http.Request, body []byte) error {
	switch {
	case s.created.IsZero():
		return refuse("the signature has no created parameter")
	case s.alg != "" && s.alg != "rsa-v1_5-sha256" && s.alg != "ed25519":
		return refuse("algorithm %.64q is not accepted", s.alg)
	case !s.covers("@method"):
		return refuse("the signature does not cover @method")
	case !s.covers("@target-uri") && !s.coversURIParts(r):
		return refuse("the signature does not cover @target-uri")
	case hasBody(r, body) && !s.covers("content-digest"):
		return refuse("a POST signature must cover content-digest")
	}
	for _, c := range s.components {
		if !strings.HasPrefix(c, "@") && c != "host" && len(r.Header.Values(c)) == 0 {
			return refuse("the signed header %.64q is missing", c)
		}
	}
	return nil
}

// coversURIParts accepts @authority, @path and, when the URL has one,
// @query in place of @target-uri: some servers sign the target that way, and
// together they name the same resource (only the scheme is left out, which
// is the instance's own).
func (s *messageSignature) coversURIParts(r *http.Request) bool {
	return s.covers("@authority") && s.covers("@path") && (r.URL.RawQuery == "" || s.covers("@query"))
}

// checkContentDigest checks every sha-256 and sha-512 entry of the RFC 9530
// Content-Digest header against body; at least one must be present. By hand
// rather than with httpsign.ValidateContentDigestHeader, which copies the
// body twice and returns errors we could tell apart only by their text.
func checkContentDigest(values []string, body []byte) error {
	dict, err := httpsfv.UnmarshalDictionary(values)
	if err != nil || len(values) == 0 {
		return refuse("the Content-Digest header is missing or malformed")
	}
	checked := false
	for _, alg := range dict.Names() {
		var sum []byte
		switch alg {
		case "sha-256":
			s := sha256.Sum256(body)
			sum = s[:]
		case "sha-512":
			s := sha512.Sum512(body)
			sum = s[:]
		default:
			continue
		}
		m, _ := dict.Get(alg)
		item, _ := m.(httpsfv.Item)
		got, ok := item.Value.([]byte)
		if !ok {
			return refuse("the Content-Digest %s value is not a byte sequence", alg)
		}
		if !bytes.Equal(got, sum) {
			return refuse("digest does not match the body")
		}
		checked = true
	}
	if !checked {
		return refuse("the Content-Digest header has no sha-256 or sha-512 digest")
	}
	return nil
}

// verifier matches the signature's alg to the key. The time checks of
// httpsign read time.Now, so they are off; checkWindow has done ours.
func (s *messageSignature) verifier(pub crypto.PublicKey) (*httpsign.Verifier, error) {
	config := httpsign.NewVerifyConfig().SetVerifyCreated(false).SetRejectExpired(false)
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if s.alg == "" || s.alg == "rsa-v1_5-sha256" {
			return httpsign.NewRSAVerifier(*k, config, *httpsign.NewFields())
		}
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize { // ed25519.Verify would panic
			return nil, refuse("the signer's key type is not supported")
		}
		if s.alg == "" || s.alg == "ed25519" {
			return httpsign.NewEd25519Verifier(k, config, *httpsign.NewFields())
		}
	default:
		return nil, refuse("the signer's key type is not supported")
	}
	return nil, refuse("algorithm %s does not match the signer's key", s.alg)
}

// view is the request as httpsign should see it. httpsign derives
// @target-uri from r.URL and fills a missing scheme and host in place, the
// scheme from r.TLS; behind our TLS-terminating proxy r.TLS is nil, so it
// would rebuild http://... and, worse, change the caller's request. It gets
// a copy with an absolute URL instead, and no body to read. Fedify signs the
// host field besides @authority, and Go's server moves Host out of the
// header, so a signed host is put back, in a copy of the header.
func (s *messageSignature) view(r *http.Request) *http.Request {
	u := *r.URL
	if u.Scheme == "" {
		u.Scheme = "https"
	}
	if u.Host == "" {
		u.Host = requestHost(r)
	}
	header := r.Header
	if s.covers("host") && header.Get("Host") == "" {
		header = header.Clone()
		header.Set("Host", requestHost(r))
	}
	return &http.Request{Method: r.Method, URL: &u, Host: requestHost(r), Header: header, TLS: r.TLS}
}

// rfc9421Label is the name of the one signature we send. Any name will do;
// sig1 is the one RFC 9421's examples, Fedify and Mastodon use.
const rfc9421Label = "sig1"

// SignRequestRFC9421 signs an outgoing request with an RFC 9421 HTTP
// message signature, as Mastodon 4.5 (app/lib/signed_request.rb) and Fedify
// verify it: one signature, labelled sig1, with created, keyid and
// alg="rsa-v1_5-sha256", over "@method" and "@target-uri", plus
// "content-digest" when body != nil (POST). For a body it sets the RFC 9530
// Content-Digest header "sha-256=:<base64>:". r.URL must be absolute, as it
// is for a client request: it is the signed @target-uri. The Date header is
// set too, for servers that log or check it.
func SignRequestRFC9421(r *http.Request, body []byte, keyID string, key *rsa.PrivateKey, now time.Time) error {
	// keyid is a structured-field string: printable ASCII only.
	if keyID == "" || strings.ContainsFunc(keyID, func(c rune) bool { return c < ' ' || c > '~' }) {
		return fmt.Errorf("sign request: invalid key id %q", keyID)
	}
	if !r.URL.IsAbs() || r.URL.Host == "" {
		return fmt.Errorf("sign request: target %q is not an absolute URL", r.URL.Redacted())
	}
	r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	components := []string{"@method", "@target-uri"}
	if body != nil {
		sum := sha256.Sum256(body)
		r.Header.Set("Content-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum[:])+":")
		components = append(components, "content-digest")
	}
	params, err := signatureParams(components, keyID, now)
	if err != nil {
		return fmt.Errorf("sign request: %w", err)
	}
	sum := sha256.Sum256([]byte(signatureBase(r, components, params)))
	raw, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return fmt.Errorf("sign request: %w", err)
	}
	r.Header.Set("Signature-Input", rfc9421Label+"="+params)
	r.Header.Set("Signature", rfc9421Label+"=:"+base64.StdEncoding.EncodeToString(raw)+":")
	return nil
}

// signatureParams serializes the inner list of covered components with
// its parameters: the value of Signature-Input after "sig1=", and of the
// "@signature-params" line of the signature base.
func signatureParams(components []string, keyID string, now time.Time) (string, error) {
	list := httpsfv.InnerList{Params: httpsfv.NewParams()}
	for _, c := range components {
		list.Items = append(list.Items, httpsfv.NewItem(c))
	}
	list.Params.Add("created", now.Unix())
	list.Params.Add("keyid", keyID)
	list.Params.Add("alg", "rsa-v1_5-sha256")
	dict := httpsfv.NewDictionary()
	dict.Add(rfc9421Label, list)
	s, err := httpsfv.Marshal(dict)
	if err != nil {
		return "", fmt.Errorf("signature parameters: %w", err)
	}
	return strings.TrimPrefix(s, rfc9421Label+"="), nil
}

// signatureBase is the RFC 9421 section 2.5 signature base of an outgoing
// request for the components SignRequestRFC9421 covers: one line per
// component, then the signature parameters.
func signatureBase(r *http.Request, components []string, params string) string {
	var b strings.Builder
	for _, c := range components {
		var v string
		switch c {
		case "@method":
			v = r.Method
		case "@target-uri":
			v = targetURI(r.URL)
		default:
			v = strings.Join(r.Header.Values(c), ", ")
		}
		fmt.Fprintf(&b, "%q: %s\n", c, v)
	}
	b.WriteString(`"@signature-params": ` + params)
	return b.String()
}

// targetURI is the @target-uri of a client request to u: the URI the
// server rebuilds from the request line, so with "/" for an empty path and
// without a fragment or user information, which are never sent.
func targetURI(u *url.URL) string {
	t := *u
	t.Fragment, t.RawFragment, t.User = "", "", nil
	if t.Path == "" && t.RawPath == "" {
		t.Path = "/"
	}
	return t.String()
}
