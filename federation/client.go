package federation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tidings-social/tidings/storage"
)

// Defaults and transport limits of the federation client.
const (
	defaultClientTimeout = 10 * time.Second
	defaultMaxBodyBytes  = 1 << 20
	defaultMaxRedirects  = 3

	dialTimeout           = 5 * time.Second
	tlsHandshakeTimeout   = 5 * time.Second
	responseHeaderTimeout = 10 * time.Second
	idleConnTimeout       = 90 * time.Second
	// Deliveries fan out to many hosts, a few connections each. A post
	// to followers on 1,000 servers must find each server's connection
	// still open at the next post: over HTTP/1.1, a pool smaller than the
	// servers of a fan-out is emptied by it, least recently used first,
	// and every delivery pays a new TLS handshake (docs/BENCHMARKS.md,
	// "Fan-out over TLS"). An idle connection costs some 30 KB, and lives
	// idleConnTimeout at most.
	maxIdleConns        = 2048
	maxIdleConnsPerHost = 8
	// discardLimit is how much of an answer's body is read before closing
	// it, so that short answers leave their connection reusable.
	discardLimit = 4 << 10
)

// Media types the client sends and accepts.
const (
	acceptActivityHeader = `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`
	acceptXRDHeader      = "application/xrd+xml"
	deliveryContentType  = "application/activity+json"
)

// Errors of the federation client; match them with errors.Is.
var (
	// ErrInvalidURL is a target that is not an absolute URL with a host.
	ErrInvalidURL = errors.New("invalid url")
	// ErrScheme is a target whose scheme is not https (or http when
	// private addresses are allowed), or a redirect from https to http.
	ErrScheme = errors.New("scheme not allowed")
	// ErrPrivateAddress is a connection refused because the host resolved
	// to a loopback, private, link-local or otherwise non-public address.
	ErrPrivateAddress = errors.New("address is not public")
	// ErrBodyTooLarge is an answer longer than ClientConfig.MaxBodyBytes.
	ErrBodyTooLarge = errors.New("response body too large")
	// ErrContentType is an answer whose Content-Type is not the one asked for.
	ErrContentType = errors.New("unexpected content type")
	// ErrTooManyRedirects is a chain of more than ClientConfig.MaxRedirects.
	ErrTooManyRedirects = errors.New("too many redirects")
)

// errNoUserAgent is a misconfigured client: remote servers refuse or
// cannot identify requests without a User-Agent (GoToSocial answers 418).
var errNoUserAgent = errors.New("federation client has no user agent")

// Signer signs an outgoing request with the given scheme; body is nil for
// a GET. The client calls it after setting every other header, just before
// sending, for each request including each redirect hop and the retry of
// double-knocking (see ClientConfig.Schemes).
type Signer func(r *http.Request, body []byte, scheme storage.SignatureScheme) error

// ClientConfig configures the federation client.
type ClientConfig struct {
	UserAgent             string        // e.g. "Tidings/0.1.0 (+https://news.example/)"; required
	AllowPrivateAddresses bool          // allow loopback/private/link-local targets and plain http (tests, local dev)
	Timeout               time.Duration // whole request incl. redirects and body; default 10 s
	MaxBodyBytes          int64         // response size limit; default 1 MiB
	MaxRedirects          int           // default 3; negative follows none
	// Schemes remembers which signature scheme each server accepted; when
	// nil, the client remembers for its own lifetime only.
	Schemes *SchemeMemory
	// RefuseHost, when set, is asked of every request's host (and each
	// redirect's) before it is sent: domain blocks.
	RefuseHost func(ctx context.Context, host string) error
}

// Client makes the outgoing requests of federation: fetches of actors,
// objects, WebFinger and NodeInfo documents, and deliveries of activities.
// It refuses private addresses unless allowed. It is safe for concurrent use.
type Client struct {
	cfg       ClientConfig
	transport *http.Transport
	schemes   *SchemeMemory
	allowHTTP bool // take plain http to public addresses (web pages, not federation)
}

// NewClient returns a client for cfg, with defaults for its zero fields.
func NewClient(cfg ClientConfig) *Client {
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultClientTimeout
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = defaultMaxBodyBytes
	}
	cfg.MaxBodyBytes = min(cfg.MaxBodyBytes, math.MaxInt64-1) // room for the +1 probe byte
	switch {
	case cfg.MaxRedirects == 0:
		cfg.MaxRedirects = defaultMaxRedirects
	case cfg.MaxRedirects < 0:
		cfg.MaxRedirects = 0
	}
	dialer := &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}
	if !cfg.AllowPrivateAddresses {
		dialer.Control = refuseNonPublic
	}
	schemes := cfg.Schemes
	if schemes == nil {
		schemes = NewSchemeMemory(nil, nil)
	}
	return &Client{cfg: cfg, schemes: schemes, transport: &http.Transport{
		Proxy:                 nil, // a proxy would dial for us, past refuseNonPublic
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   tlsHandshakeTimeout,
		ResponseHeaderTimeout: responseHeaderTimeout,
		IdleConnTimeout:       idleConnTimeout,
		MaxIdleConns:          maxIdleConns,
		MaxIdleConnsPerHost:   maxIdleConnsPerHost,
	}}
}

// GetActivity fetches an ActivityPub document, signed by sign (the instance
// actor's key; may be nil). The answer must be application/activity+json,
// application/ld+json (any profile) or application/json. It returns the body
// and the final URL after redirects.
func (c *Client) GetActivity(ctx context.Context, url string, sign Signer) (body []byte, final string, err error) {
	body, final, err = c.get(ctx, url, acceptActivityHeader, sign, isActivityMediaType)
	if err != nil {
		return nil, "", fmt.Errorf("fetch activity: %w", err)
	}
	return body, final, nil
}

// GetJSON fetches a JSON document such as WebFinger or NodeInfo with the
// given Accept header (application/json when empty). The answer must be
// application/json or application/*+json.
func (c *Client) GetJSON(ctx context.Context, url, accept string, sign Signer) (body []byte, err error) {
	if accept == "" {
		accept = "application/json"
	}
	body, _, err = c.get(ctx, url, accept, sign, isJSONMediaType)
	if err != nil {
		return nil, fmt.Errorf("fetch json: %w", err)
	}
	return body, nil
}

// GetXRD fetches an XRD document, such as host-meta, which Mastodon reads
// when WebFinger answers 404. The answer must be application/xrd+xml,
// application/xml or text/xml.
func (c *Client) GetXRD(ctx context.Context, url string, sign Signer) (body []byte, err error) {
	body, _, err = c.get(ctx, url, acceptXRDHeader, sign, isXRDMediaType)
	if err != nil {
		return nil, fmt.Errorf("fetch xrd: %w", err)
	}
	return body, nil
}

// GetHTML fetches a web page, such as a news article a member links to, and
// hands read its body as it arrives (at most MaxBodyBytes of it), the final
// URL after redirects and the Content-Type, which must be text/html or
// application/xhtml+xml. Unlike the fetches of federation it takes plain
// http, which news sites still serve, and signs nothing; as for them, the
// address of every hop is checked when dialled.
func (c *Client) GetHTML(ctx context.Context, url string, read func(body io.Reader, final, contentType string) error) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	// A copy that takes plain http; it shares the transport, whose dialer
	// still refuses private addresses at every hop.
	web := *c
	web.allowHTTP = true
	req, err := web.newRequest(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("fetch page: %w", err)
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	resp, err := web.send(req, nil, nil, storage.SignatureUnknown)
	if err != nil {
		return fmt.Errorf("fetch page: %w", err)
	}
	defer discard(resp)
	final := resp.Request.URL.String()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("fetch page: %w", newStatusError(resp, time.Now()))
	}
	ct := resp.Header.Get("Content-Type")
	if !mediaTypeIs(ct, func(t string) bool { return t == "text/html" || t == "application/xhtml+xml" }) {
		return fmt.Errorf("fetch page %s: %w %q", final, ErrContentType, ct)
	}
	if err := read(io.LimitReader(resp.Body, c.cfg.MaxBodyBytes), final, ct); err != nil {
		return fmt.Errorf("read page %s: %w", final, err)
	}
	return nil
}

// PostActivity delivers an activity body to an inbox with Content-Type
// application/activity+json, signed by sign. It returns nil for any 2xx
// status, and a *StatusError otherwise. Only redirects that keep the method
// and body (307, 308) are followed; any other is returned as a StatusError,
// since answering a POST with a GET elsewhere would deliver nothing.
func (c *Client) PostActivity(ctx context.Context, inbox string, body []byte, sign Signer) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := c.newRequest(ctx, http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("deliver: %w", err)
	}
	req.Header.Set("Content-Type", deliveryContentType)
	resp, err := c.do(req, body, sign)
	if err != nil {
		return fmt.Errorf("deliver: %w", err)
	}
	defer discard(resp)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("deliver: %w", newStatusError(resp, time.Now()))
	}
	return nil
}

// get fetches rawURL with accept, and returns the body if the answer is a 2xx
// whose media type passes acceptable.
func (c *Client) get(ctx context.Context, rawURL, accept string, sign Signer, acceptable func(string) bool) ([]byte, string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := c.newRequest(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Accept", accept)
	resp, err := c.do(req, nil, sign)
	if err != nil {
		return nil, "", err
	}
	defer discard(resp)
	final := resp.Request.URL.String()
	if resp.StatusCode/100 != 2 {
		return nil, "", newStatusError(resp, time.Now())
	}
	if ct := resp.Header.Get("Content-Type"); !mediaTypeIs(ct, acceptable) {
		return nil, "", fmt.Errorf("%s: %w %q", final, ErrContentType, ct)
	}
	body, err := c.readBody(resp)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", final, err)
	}
	return body, final, nil
}

// newRequest builds a request to a checked URL, with the User-Agent set.
func (c *Client) newRequest(ctx context.Context, method, rawURL string, body io.Reader) (*http.Request, error) {
	if c.cfg.UserAgent == "" {
		return nil, errNoUserAgent
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, body)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidURL, err)
	}
	if err := c.checkURL(req.URL); err != nil {
		return nil, err
	}
	if err := c.refuseHost(req); err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	return req, nil
}

// send signs req with scheme and sends it, through a redirect policy that
// checks every hop and signs it the same way.
func (c *Client) send(req *http.Request, body []byte, sign Signer, scheme storage.SignatureScheme) (*http.Response, error) {
	header := req.Header.Clone()
	if err := signRequest(sign, req, body, scheme); err != nil {
		return nil, err
	}
	hc := &http.Client{Transport: c.transport, CheckRedirect: c.redirectPolicy(header, body, sign, scheme)}
	return hc.Do(req)
}

// redirectPolicy checks each redirect hop and re-signs it. The hop gets a
// fresh copy of header, so no signature, Referer or other header of the
// previous hop is carried to the new URL.
func (c *Client) redirectPolicy(header http.Header, body []byte, sign Signer, scheme storage.SignatureScheme) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > c.cfg.MaxRedirects {
			return fmt.Errorf("%w: more than %d", ErrTooManyRedirects, c.cfg.MaxRedirects)
		}
		if req.Method != via[0].Method {
			return http.ErrUseLastResponse
		}
		if via[len(via)-1].URL.Scheme == "https" && req.URL.Scheme != "https" {
			return fmt.Errorf("%w: redirect from https to %q", ErrScheme, req.URL.Scheme)
		}
		if err := c.checkURL(req.URL); err != nil {
			return err
		}
		if err := c.refuseHost(req); err != nil {
			return err
		}
		req.Header = header.Clone()
		return signRequest(sign, req, body, scheme)
	}
}

// checkURL refuses a URL that is not absolute, has no host or has a
// scheme other than https (and http when private addresses are allowed).
// Addresses are checked later, when dialled, since only then is the IP known.
func (c *Client) checkURL(u *url.URL) error {
	if !u.IsAbs() {
		return fmt.Errorf("%w: %q is not absolute", ErrInvalidURL, u.Redacted())
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && (c.cfg.AllowPrivateAddresses || c.allowHTTP):
	default:
		return fmt.Errorf("%w: %q", ErrScheme, u.Redacted())
	}
	if u.Hostname() == "" || !utf8.ValidString(u.Host) {
		return fmt.Errorf("%w: bad host in %q", ErrInvalidURL, u.Redacted())
	}
	return nil
}

// refuseHost asks ClientConfig.RefuseHost about the request's host.
func (c *Client) refuseHost(req *http.Request) error {
	if c.cfg.RefuseHost == nil {
		return nil
	}
	return c.cfg.RefuseHost(req.Context(), strings.ToLower(req.URL.Host))
}

// readBody reads the answer's body, refusing one longer than MaxBodyBytes.
func (c *Client) readBody(resp *http.Response) ([]byte, error) {
	limit := c.cfg.MaxBodyBytes
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrBodyTooLarge, resp.ContentLength, limit)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%w: over %d bytes", ErrBodyTooLarge, limit)
	}
	return body, nil
}

// signRequest applies sign to r with scheme, if there is a signer.
func signRequest(sign Signer, r *http.Request, body []byte, scheme storage.SignatureScheme) error {
	if sign == nil {
		return nil
	}
	if err := sign(r, body, scheme); err != nil {
		return fmt.Errorf("sign request: %w", err)
	}
	return nil
}

// discard reads what is left of a short answer's body and closes it, so
// that its connection can be reused; a long one is closed at once.
func discard(resp *http.Response) {
	if resp.ContentLength <= discardLimit {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, discardLimit))
	}
	_ = resp.Body.Close()
}

// mediaTypeIs reports whether the Content-Type value ct parses and its
// media type passes acceptable.
func mediaTypeIs(ct string, acceptable func(string) bool) bool {
	mediaType, _, err := mime.ParseMediaType(ct)
	return err == nil && acceptable(mediaType)
}

// isActivityMediaType reports a media type ActivityPub servers answer with.
func isActivityMediaType(mediaType string) bool {
	switch mediaType {
	case "application/activity+json", "application/ld+json", "application/json":
		return true
	}
	return false
}

// isJSONMediaType reports application/json and any application/*+json.
func isJSONMediaType(mediaType string) bool {
	return mediaType == "application/json" ||
		strings.HasPrefix(mediaType, "application/") && strings.HasSuffix(mediaType, "+json")
}

// isXRDMediaType reports the media types host-meta is served with.
func isXRDMediaType(mediaType string) bool {
	switch mediaType {
	case "application/xrd+xml", "application/xml", "text/xml":
		return true
	}
	return false
}
