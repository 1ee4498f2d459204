package federation

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

const (
	testUserAgent = "Tidings/test (+https://news.example/)"
	testActivity  = `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://remote.example/notes/1","type":"Note"}`
)

// signatureFor is what the test signer writes: it names the method, the
// full URL and the body's hash, so a server can tell whether the signature
// was made for the request it received.
func signatureFor(method, url string, body []byte) string {
	return fmt.Sprintf("keyId=%q,target=%q,digest=\"%x\"", "https://news.example/actor#main-key", method+" "+url, sha256.Sum256(body))
}

// receivedSignature is signatureFor as the server sees the request.
func receivedSignature(r *http.Request, body []byte) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return signatureFor(r.Method, scheme+"://"+r.Host+r.URL.RequestURI(), body)
}

// testSigner counts its calls and sets a Signature header. It fails when
// the headers the client promises to set first are missing.
func testSigner(calls *atomic.Int32) Signer {
	return func(r *http.Request, body []byte, _ storage.SignatureScheme) error {
		calls.Add(1)
		if r.Header.Get("User-Agent") == "" {
			return errors.New("signed before User-Agent was set")
		}
		if r.Method == http.MethodGet && r.Header.Get("Accept") == "" {
			return errors.New("signed before Accept was set")
		}
		if r.Method == http.MethodPost && r.Header.Get("Content-Type") == "" {
			return errors.New("signed before Content-Type was set")
		}
		r.Header.Set("Signature", signatureFor(r.Method, r.URL.String(), body))
		return nil
	}
}

// newTestClient returns a client with the test User-Agent that trusts the
// certificate of httptest's TLS servers.
func newTestClient(t *testing.T, cfg ClientConfig) *Client {
	t.Helper()
	if cfg.UserAgent == "" {
		cfg.UserAgent = testUserAgent
	}
	c := NewClient(cfg)
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	srv.Close()
	// The httptest certificate names 127.0.0.1, ::1 and example.com; the
	// server name lets it pass for localhost too.
	c.transport.TLSClientConfig = &tls.Config{RootCAs: pool, ServerName: "example.com"}
	t.Cleanup(c.transport.CloseIdleConnections)
	return c
}

// countingServer starts a server on addr that counts the requests reaching
// its handler.
func countingServer(t *testing.T, addr string, useTLS bool, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("test requires a listener on %s: %v", addr, err)
	}
	var hits atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h(w, r)
	}))
	srv.Listener.Close()
	srv.Listener = l
	if useTLS {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, &hits
}

// serveActivity answers with a small ActivityPub document.
func serveActivity(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/activity+json")
	io.WriteString(w, testActivity)
}

func TestClientPublicAddress(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"93.184.216.34", true},
		{"2606:2800:220:1::", true},
		{"1.1.1.1", true},
		{"2a00:1450:4001:80b::200e", true},
		{"::ffff:93.184.216.34", true},
		{"64:ff9b::5db8:d822", true}, // NAT64 of 93.184.216.34
		{"2002:5db8:d822::1", true},  // 6to4 of 93.184.216.34
		{"10.0.0.1", false},
		{"10.255.255.255", false},
		{"172.16.0.1", false},
		{"172.31.255.254", false},
		{"192.168.1.1", false},
		{"127.0.0.1", false},
		{"127.10.20.30", false},
		{"::1", false},
		{"fe80::1", false},
		{"fe80::1%eth0", false},
		{"169.254.169.254", false},
		{"100.64.0.1", false},
		{"100.127.255.254", false},
		{"::ffff:127.0.0.1", false},
		{"::ffff:10.0.0.1", false},
		{"::ffff:169.254.169.254", false},
		{"0.0.0.0", false},
		{"0.1.2.3", false},
		{"::", false},
		{"fc00::1", false},
		{"fd12:3456::1", false},
		{"224.0.0.1", false},
		{"239.255.255.250", false},
		{"ff02::1", false},
		{"255.255.255.255", false},
		{"240.0.0.1", false},
		{"192.0.0.8", false},
		{"192.0.2.1", false},
		{"198.18.0.1", false},
		{"198.51.100.7", false},
		{"203.0.113.9", false},
		{"2001:db8::1", false},
		{"2001::1", false},
		{"::127.0.0.1", false},
		{"64:ff9b::7f00:1", false}, // NAT64 of 127.0.0.1
		{"64:ff9b::a00:1", false},  // NAT64 of 10.0.0.1
		{"64:ff9b:1::1", false},
		{"2002:7f00:1::1", false}, // 6to4 of 127.0.0.1
		{"2002:a9fe:a9fe::1", false},
		{"fec0::1", false},
		{"100::1", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if got := publicAddress(netip.MustParseAddr(tt.addr)); got != tt.want {
				t.Errorf("publicAddress(%s) = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
	if publicAddress(netip.Addr{}) {
		t.Error("publicAddress(zero Addr) = true, want false")
	}
}

func TestClientRefusesPrivateAddresses(t *testing.T) {
	tests := []struct {
		name, listen, host string
	}{
		{"ipv4 loopback", "127.0.0.1:0", "127.0.0.1"},
		{"ipv6 loopback", "[::1]:0", "[::1]"},
		{"name resolving to loopback", "127.0.0.1:0", "localhost"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, hits := countingServer(t, tt.listen, true, func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPost {
					w.WriteHeader(http.StatusAccepted)
					return
				}
				serveActivity(w, r)
			})
			_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
			url := "https://" + tt.host + ":" + port + "/users/alice"
			ctx := context.Background()

			refused := newTestClient(t, ClientConfig{})
			if _, _, err := refused.GetActivity(ctx, url, nil); !errors.Is(err, ErrPrivateAddress) {
				t.Errorf("GetActivity error = %v, want ErrPrivateAddress", err)
			}
			if err := refused.PostActivity(ctx, url, []byte(testActivity), nil); !errors.Is(err, ErrPrivateAddress) {
				t.Errorf("PostActivity error = %v, want ErrPrivateAddress", err)
			}
			if got := hits.Load(); got != 0 {
				t.Fatalf("server hits after refusals = %d, want 0", got)
			}

			// The same requests go through when allowed, so the refusal
			// above came from the address check and nothing else.
			allowed := newTestClient(t, ClientConfig{AllowPrivateAddresses: true})
			if _, _, err := allowed.GetActivity(ctx, url, nil); err != nil {
				t.Errorf("allowed GetActivity: %v", err)
			}
			if err := allowed.PostActivity(ctx, url, []byte(testActivity), nil); err != nil {
				t.Errorf("allowed PostActivity: %v", err)
			}
			if got := hits.Load(); got != 2 {
				t.Errorf("server hits when allowed = %d, want 2", got)
			}
		})
	}
}

func TestClientRefusesSchemes(t *testing.T) {
	srv, hits := countingServer(t, "127.0.0.1:0", false, serveActivity)
	tests := []struct {
		url          string
		allowPrivate bool
	}{
		{srv.URL + "/users/alice", false},
		{"file:///etc/passwd", false},
		{"file:///etc/passwd", true},
		{"ftp://" + srv.Listener.Addr().String() + "/x", true},
		{"gopher://" + srv.Listener.Addr().String() + "/x", true},
		{"javascript:alert(1)", true},
		{"ws://" + srv.Listener.Addr().String() + "/x", true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s allow=%v", tt.url, tt.allowPrivate), func(t *testing.T) {
			c := newTestClient(t, ClientConfig{AllowPrivateAddresses: tt.allowPrivate})
			ctx := context.Background()
			if _, _, err := c.GetActivity(ctx, tt.url, nil); !errors.Is(err, ErrScheme) {
				t.Errorf("GetActivity error = %v, want ErrScheme", err)
			}
			if _, err := c.GetJSON(ctx, tt.url, "", nil); !errors.Is(err, ErrScheme) {
				t.Errorf("GetJSON error = %v, want ErrScheme", err)
			}
			if err := c.PostActivity(ctx, tt.url, nil, nil); !errors.Is(err, ErrScheme) {
				t.Errorf("PostActivity error = %v, want ErrScheme", err)
			}
		})
	}
	if got := hits.Load(); got != 0 {
		t.Errorf("server hits = %d, want 0", got)
	}
}

func TestClientOddInput(t *testing.T) {
	tests := []struct {
		name, url, accept string
		wantInvalidURL    bool
	}{
		{"empty", "", "", true},
		{"space", " ", "", true},
		{"no host", "https://", "", true},
		{"no host with path", "https:///users/alice", "", true},
		{"scheme-relative", "//remote.example/users/alice", "", true},
		{"relative", "/users/alice", "", true},
		{"unclosed bracket", "https://[::1/x", "", true},
		{"nul byte", "https://remote.example/\x00", "", true},
		{"bad escape", "https://remote.example/%zz", "", true},
		{"non-utf8 host", "https://remote\xff.example/", "", true},
		{"bad port", "https://127.0.0.1:99999999999/", "", false},
		{"zero port", "https://127.0.0.1:0/", "", false},
		{"newline in accept", "https://127.0.0.1:1/", "application/json\r\nX-Evil: 1", false},
		{"non-utf8 accept", "https://127.0.0.1:1/", "application/\xffjson", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, ClientConfig{Timeout: time.Second})
			ctx := context.Background()
			_, _, err := c.GetActivity(ctx, tt.url, nil)
			if err == nil {
				t.Error("GetActivity: no error")
			}
			if tt.wantInvalidURL && !errors.Is(err, ErrInvalidURL) {
				t.Errorf("GetActivity error = %v, want ErrInvalidURL", err)
			}
			if _, err := c.GetJSON(ctx, tt.url, tt.accept, nil); err == nil {
				t.Error("GetJSON: no error")
			}
			if err := c.PostActivity(ctx, tt.url, []byte("\xff\xfe"), nil); err == nil {
				t.Error("PostActivity: no error")
			}
		})
	}
}

func TestClientNeedsUserAgent(t *testing.T) {
	srv, hits := countingServer(t, "127.0.0.1:0", false, serveActivity)
	c := NewClient(ClientConfig{AllowPrivateAddresses: true})
	if _, _, err := c.GetActivity(context.Background(), srv.URL, nil); err == nil {
		t.Error("GetActivity without a user agent: no error")
	}
	if got := hits.Load(); got != 0 {
		t.Errorf("server hits = %d, want 0", got)
	}
}

func TestClientGetActivity(t *testing.T) {
	var accept, userAgent, signature, wantSignature string
	srv, _ := countingServer(t, "127.0.0.1:0", false, func(w http.ResponseWriter, r *http.Request) {
		accept, userAgent = r.Header.Get("Accept"), r.Header.Get("User-Agent")
		signature, wantSignature = r.Header.Get("Signature"), receivedSignature(r, nil)
		serveActivity(w, r)
	})
	c := newTestClient(t, ClientConfig{AllowPrivateAddresses: true})
	var calls atomic.Int32
	url := srv.URL + "/users/alice?page=1"

	body, final, err := c.GetActivity(context.Background(), url, testSigner(&calls))
	if err != nil {
		t.Fatalf("GetActivity: %v", err)
	}
	if got, want := string(body), testActivity; got != want {
		t.Errorf("body = %q, want %q", got, want)
	}
	if got, want := final, url; got != want {
		t.Errorf("final = %q, want %q", got, want)
	}
	if got, want := accept, `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`; got != want {
		t.Errorf("Accept = %q, want %q", got, want)
	}
	if got, want := userAgent, testUserAgent; got != want {
		t.Errorf("User-Agent = %q, want %q", got, want)
	}
	if got, want := calls.Load(), int32(1); got != want {
		t.Errorf("signer calls = %d, want %d", got, want)
	}
	if got, want := signature, wantSignature; got != want {
		t.Errorf("Signature = %q, want %q", got, want)
	}
}

func TestClientSignerError(t *testing.T) {
	srv, hits := countingServer(t, "127.0.0.1:0", false, serveActivity)
	c := newTestClient(t, ClientConfig{AllowPrivateAddresses: true})
	errKey := errors.New("no key")
	sign := func(*http.Request, []byte, storage.SignatureScheme) error { return errKey }
	if _, _, err := c.GetActivity(context.Background(), srv.URL, sign); !errors.Is(err, errKey) {
		t.Errorf("GetActivity error = %v, want %v", err, errKey)
	}
	if err := c.PostActivity(context.Background(), srv.URL, nil, sign); !errors.Is(err, errKey) {
		t.Errorf("PostActivity error = %v, want %v", err, errKey)
	}
	if got := hits.Load(); got != 0 {
		t.Errorf("server hits = %d, want 0", got)
	}
}

func TestClientContentType(t *testing.T) {
	tests := []struct {
		fetch       string // activity, json or xrd
		contentType string
		wantOK      bool
	}{
		{"activity", "application/activity+json", true},
		{"activity", "application/activity+json; charset=utf-8", true},
		{"activity", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`, true},
		{"activity", `application/ld+json; profile="https://example.com/other"`, true},
		{"activity", "application/json", true},
		{"activity", "APPLICATION/ACTIVITY+JSON", true},
		{"activity", "text/html; charset=utf-8", false},
		{"activity", "application/jrd+json", false},
		{"activity", "text/plain", false},
		{"activity", "", false},
		{"activity", ";;;", false},
		{"json", "application/jrd+json", true},
		{"json", "application/json", true},
		{"json", `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"`, true},
		{"json", "application/activity+json", true},
		{"json", "application/xrd+xml", false},
		{"json", "text/html", false},
		{"json", "text/json+html", false},
		{"xrd", "application/xrd+xml; charset=utf-8", true},
		{"xrd", "application/xml", true},
		{"xrd", "application/jrd+json", false},
		{"xrd", "text/html", false},
	}
	for _, tt := range tests {
		t.Run(tt.fetch+" "+tt.contentType, func(t *testing.T) {
			srv, _ := countingServer(t, "127.0.0.1:0", false, func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Content-Type"] = []string{tt.contentType}
				io.WriteString(w, "{}")
			})
			c := newTestClient(t, ClientConfig{AllowPrivateAddresses: true})
			var err error
			switch tt.fetch {
			case "activity":
				_, _, err = c.GetActivity(context.Background(), srv.URL, nil)
			case "json":
				_, err = c.GetJSON(context.Background(), srv.URL, "application/jrd+json", nil)
			case "xrd":
				_, err = c.GetXRD(context.Background(), srv.URL, nil)
			}
			switch {
			case tt.wantOK && err != nil:
				t.Errorf("error = %v, want none", err)
			case !tt.wantOK && !errors.Is(err, ErrContentType):
				t.Errorf("error = %v, want ErrContentType", err)
			}
		})
	}
}

func TestClientGetJSONAccept(t *testing.T) {
	var accept string
	srv, _ := countingServer(t, "127.0.0.1:0", false, func(w http.ResponseWriter, r *http.Request) {
		accept = r.Header.Get("Accept")
		w.Header().Set("Content-Type", "application/jrd+json")
		io.WriteString(w, `{"subject":"acct:alice@remote.example"}`)
	})
	c := newTestClient(t, ClientConfig{AllowPrivateAddresses: true})
	for _, tt := range []struct{ accept, want string }{
		{"application/jrd+json", "application/jrd+json"},
		{"", "application/json"},
	} {
		if _, err := c.GetJSON(context.Background(), srv.URL, tt.accept, nil); err != nil {
			t.Fatalf("GetJSON: %v", err)
		}
		if accept != tt.want {
			t.Errorf("Accept = %q, want %q", accept, tt.want)
		}
	}
}

func TestClientBodyLimit(t *testing.T) {
	const limit = 1024
	tests := []struct {
		name          string
		size          int
		contentLength bool
		stall         bool // send headers only, then wait
		wantOK        bool
	}{
		{"at the limit", limit, true, false, true},
		{"at the limit, chunked", limit, false, false, true},
		{"one byte over", limit + 1, true, false, false},
		{"one byte over, chunked", limit + 1, false, false, false},
		{"far over, chunked", 50 * limit, false, false, false},
		{"announced over, refused before reading", 50 * limit, true, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := countingServer(t, "127.0.0.1:0", false, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/activity+json")
				if tt.contentLength {
					w.Header().Set("Content-Length", strconv.Itoa(tt.size))
				}
				w.(http.Flusher).Flush() // without Content-Length: chunked
				if tt.stall {
					<-r.Context().Done()
					return
				}
				w.Write(bytes.Repeat([]byte("x"), tt.size))
			})
			c := newTestClient(t, ClientConfig{AllowPrivateAddresses: true, MaxBodyBytes: limit, Timeout: time.Second})
			start := time.Now()
			body, _, err := c.GetActivity(context.Background(), srv.URL, nil)
			if elapsed := time.Since(start); elapsed > 500*time.Millisecond {
				t.Errorf("returned after %v, want at once", elapsed)
			}
			switch {
			case tt.wantOK && err != nil:
				t.Errorf("error = %v, want none", err)
			case tt.wantOK && len(body) != tt.size:
				t.Errorf("body length = %d, want %d", len(body), tt.size)
			case !tt.wantOK && !errors.Is(err, ErrBodyTooLarge):
				t.Errorf("error = %v, want ErrBodyTooLarge", err)
			}
		})
	}
}

// hopServer redirects /hop/N to /hop/N-1 and serves an activity at /hop/0;
// /loop redirects to itself. It records the User-Agent and whether the
// signature matched the URL of each request, by path.
type hopServer struct {
	mu    sync.Mutex
	paths []string
	bad   []string
}

func (s *hopServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.paths = append(s.paths, r.URL.Path)
	if r.Header.Get("Signature") != receivedSignature(r, nil) || r.Header.Get("User-Agent") != testUserAgent {
		s.bad = append(s.bad, r.URL.Path)
	}
	s.mu.Unlock()
	if r.URL.Path == "/loop" {
		http.Redirect(w, r, "/loop", http.StatusFound)
		return
	}
	n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
	switch {
	case err != nil:
		http.NotFound(w, r)
	case n > 0:
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), []int{301, 302, 303, 307, 308}[n%5])
	default:
		serveActivity(w, r)
	}
}

func TestClientRedirects(t *testing.T) {
	tests := []struct {
		path         string
		maxRedirects int
		wantErr      error
		wantHits     int
	}{
		{"/hop/1", 0, nil, 2},
		{"/hop/3", 0, nil, 4},
		{"/hop/4", 0, ErrTooManyRedirects, 4},
		{"/hop/5", 5, nil, 6},
		{"/hop/1", -1, ErrTooManyRedirects, 1},
		{"/loop", 0, ErrTooManyRedirects, 4},
		{"/loop", 1, ErrTooManyRedirects, 2},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s max %d", tt.path, tt.maxRedirects), func(t *testing.T) {
			hops := &hopServer{}
			srv, _ := countingServer(t, "127.0.0.1:0", false, hops.ServeHTTP)
			c := newTestClient(t, ClientConfig{AllowPrivateAddresses: true, MaxRedirects: tt.maxRedirects})
			var calls atomic.Int32
			_, final, err := c.GetActivity(context.Background(), srv.URL+tt.path, testSigner(&calls))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == nil && final != srv.URL+"/hop/0" {
				t.Errorf("final = %q, want %q", final, srv.URL+"/hop/0")
			}
			if got := len(hops.paths); got != tt.wantHits {
				t.Errorf("server hits = %d %v, want %d", got, hops.paths, tt.wantHits)
			}
			if got, want := int(calls.Load()), tt.wantHits; got != want {
				t.Errorf("signer calls = %d, want %d", got, want)
			}
			if len(hops.bad) > 0 {
				t.Errorf("requests without a matching signature or User-Agent: %v", hops.bad)
			}
		})
	}
}

func TestClientRedirectChecksEveryHop(t *testing.T) {
	plain, plainHits := countingServer(t, "127.0.0.1:0", false, serveActivity)
	tests := []struct {
		name     string
		location string
		wantErr  error
	}{
		{"https to http", plain.URL + "/users/alice", ErrScheme},
		{"to file", "file:///etc/passwd", ErrScheme},
		{"to gopher", "gopher://" + plain.Listener.Addr().String() + "/", ErrScheme},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secure, _ := countingServer(t, "127.0.0.1:0", true, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, tt.location, http.StatusFound)
			})
			c := newTestClient(t, ClientConfig{AllowPrivateAddresses: true})
			if _, _, err := c.GetActivity(context.Background(), secure.URL, nil); !errors.Is(err, tt.wantErr) {
				t.Errorf("error = %v, want %v", err, tt.wantErr)
			}
		})
	}
	if got := plainHits.Load(); got != 0 {
		t.Errorf("plain http server hits = %d, want 0", got)
	}
}

func TestClientStatusError(t *testing.T) {
	retryAt := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		code           int
		retryAfter     string
		wantGone       bool
		wantRetryable  bool
		wantRetryAfter time.Duration // give or take the second an HTTP date rounds to
	}{
		{http.StatusNotFound, "", false, false, 0},
		{http.StatusGone, "", true, false, 0},
		{http.StatusUnauthorized, "", false, false, 0},
		{http.StatusRequestTimeout, "", false, true, 0},
		{http.StatusInternalServerError, "", false, true, 0},
		{http.StatusTooManyRequests, "120", false, true, 120 * time.Second},
		{http.StatusServiceUnavailable, retryAt, false, true, time.Hour},
		{http.StatusServiceUnavailable, "soon", false, true, 0},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.code), func(t *testing.T) {
			srv, _ := countingServer(t, "127.0.0.1:0", false, func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.Header().Set("Content-Type", "application/activity+json")
				w.WriteHeader(tt.code)
				io.WriteString(w, `{"error":"no"}`)
			})
			c := newTestClient(t, ClientConfig{AllowPrivateAddresses: true})
			url := srv.URL + "/users/alice"
			_, _, err := c.GetActivity(context.Background(), url, nil)
			var se *StatusError
			if !errors.As(err, &se) {
				t.Fatalf("error = %v, want a *StatusError", err)
			}
			if se.Code != tt.code || se.URL != url {
				t.Errorf("StatusError = %d %s, want %d %s", se.Code, se.URL, tt.code, url)
			}
			if got := se.Gone(); got != tt.wantGone {
				t.Errorf("Gone() = %v, want %v", got, tt.wantGone)
			}
			if got := Retryable(err); got != tt.wantRetryable {
				t.Errorf("Retryable = %v, want %v", got, tt.wantRetryable)
			}
			if got := se.RetryAfter; got < tt.wantRetryAfter-2*time.Second || got > tt.wantRetryAfter {
				t.Errorf("RetryAfter = %v, want %v", got, tt.wantRetryAfter)
			}
		})
	}
}

func TestClientParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"30", 30 * time.Second},
		{" 30 ", 30 * time.Second},
		{"-5", 0},
		{"1.5", 0},
		{"99999999999999999999", 0},
		{"Wed, 01 Jul 2026 12:05:00 GMT", 5 * time.Minute},
		{"Wednesday, 01-Jul-26 12:00:10 GMT", 10 * time.Second},
		{"Wed Jul  1 13:00:00 2026", time.Hour},
		{"Wed, 01 Jul 2026 11:00:00 GMT", 0},
		{"tomorrow", 0},
		{"\xff\xfe", 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.value, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.value, got, tt.want)
		}
	}
}

func TestClientTimeout(t *testing.T) {
	const timeout = 200 * time.Millisecond
	tests := []struct {
		name string
		// stall is where the server stops answering.
		stall func(w http.ResponseWriter)
	}{
		{"before headers", func(http.ResponseWriter) {}},
		{"in the body", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/activity+json")
			io.WriteString(w, `{"id":`)
			w.(http.Flusher).Flush()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := countingServer(t, "127.0.0.1:0", false, func(w http.ResponseWriter, r *http.Request) {
				tt.stall(w)
				select {
				case <-r.Context().Done():
				case <-time.After(5 * timeout):
				}
			})
			c := newTestClient(t, ClientConfig{AllowPrivateAddresses: true, Timeout: timeout})
			start := time.Now()
			_, _, err := c.GetActivity(context.Background(), srv.URL, nil)
			elapsed := time.Since(start)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error = %v, want context.DeadlineExceeded", err)
			}
			if !Retryable(err) {
				t.Errorf("Retryable(%v) = false, want true", err)
			}
			if elapsed < timeout || elapsed > timeout+150*time.Millisecond {
				t.Errorf("returned after %v, want about %v", elapsed, timeout)
			}
		})
	}
}

func TestClientPostActivity(t *testing.T) {
	activity := []byte(`{"@context":"https://www.w3.org/ns/activitystreams","type":"Create","actor":"https://news.example/users/alice"}`)
	tests := []struct {
		code          int
		wantErr       bool
		wantRetryable bool
	}{
		{http.StatusAccepted, false, false},
		{http.StatusOK, false, false},
		{http.StatusNoContent, false, false},
		{http.StatusInternalServerError, true, true},
		{http.StatusServiceUnavailable, true, true},
		{http.StatusTooManyRequests, true, true},
		{http.StatusBadRequest, true, false},
		{http.StatusUnauthorized, true, false},
		{http.StatusGone, true, false},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.code), func(t *testing.T) {
			var problems []string
			srv, _ := countingServer(t, "127.0.0.1:0", false, func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				for _, check := range []struct{ what, got, want string }{
					{"method", r.Method, http.MethodPost},
					{"Content-Type", r.Header.Get("Content-Type"), "application/activity+json"},
					{"User-Agent", r.Header.Get("User-Agent"), testUserAgent},
					{"body", string(body), string(activity)},
					{"Signature", r.Header.Get("Signature"), receivedSignature(r, activity)},
				} {
					if check.got != check.want {
						problems = append(problems, fmt.Sprintf("%s = %q, want %q", check.what, check.got, check.want))
					}
				}
				w.WriteHeader(tt.code)
			})
			c := newTestClient(t, ClientConfig{AllowPrivateAddresses: true})
			var calls atomic.Int32
			err := c.PostActivity(context.Background(), srv.URL+"/inbox", activity, testSigner(&calls))
			for _, p := range problems {
				t.Error("server saw " + p)
			}
			// A 400 or 401 may refuse the signature's scheme: the client
			// signs once more with the other (see double_knock_test.go).
			wantCalls := int32(1)
			if tt.code == http.StatusBadRequest || tt.code == http.StatusUnauthorized {
				wantCalls = 2
			}
			if got := calls.Load(); got != wantCalls {
				t.Errorf("signer calls = %d, want %d", got, wantCalls)
			}
			if !tt.wantErr {
				if err != nil {
					t.Errorf("error = %v, want none", err)
				}
				return
			}
			var se *StatusError
			if !errors.As(err, &se) || se.Code != tt.code {
				t.Fatalf("error = %v, want a *StatusError with code %d", err, tt.code)
			}
			if got := Retryable(err); got != tt.wantRetryable {
				t.Errorf("Retryable = %v, want %v", got, tt.wantRetryable)
			}
			if got, want := se.Gone(), tt.code == http.StatusGone; got != want {
				t.Errorf("Gone() = %v, want %v", got, want)
			}
		})
	}
}

func TestClientPostRedirect(t *testing.T) {
	activity := []byte(`{"type":"Follow"}`)
	tests := []struct {
		code     int
		wantCode int // 0 for a delivery that succeeds at the new inbox
	}{
		{http.StatusTemporaryRedirect, 0},
		{http.StatusPermanentRedirect, 0},
		{http.StatusMovedPermanently, http.StatusMovedPermanently},
		{http.StatusFound, http.StatusFound},
		{http.StatusSeeOther, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.code), func(t *testing.T) {
			var delivered atomic.Int32
			srv, _ := countingServer(t, "127.0.0.1:0", false, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/old-inbox" {
					http.Redirect(w, r, "/inbox", tt.code)
					return
				}
				body, _ := io.ReadAll(r.Body)
				if r.Method == http.MethodPost && bytes.Equal(body, activity) && r.Header.Get("Signature") == receivedSignature(r, activity) {
					delivered.Add(1)
				}
				w.WriteHeader(http.StatusAccepted)
			})
			c := newTestClient(t, ClientConfig{AllowPrivateAddresses: true})
			var calls atomic.Int32
			err := c.PostActivity(context.Background(), srv.URL+"/old-inbox", activity, testSigner(&calls))
			if tt.wantCode == 0 {
				if err != nil || delivered.Load() != 1 || calls.Load() != 2 {
					t.Errorf("error = %v, signed deliveries = %d, signer calls = %d; want none, 1, 2", err, delivered.Load(), calls.Load())
				}
				return
			}
			var se *StatusError
			if !errors.As(err, &se) || se.Code != tt.wantCode {
				t.Errorf("error = %v, want a *StatusError with code %d", err, tt.wantCode)
			}
			if got := delivered.Load(); got != 0 {
				t.Errorf("deliveries at the redirect target = %d, want 0", got)
			}
		})
	}
}

func TestClientReusesConnections(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, `{"status":"accepted, and a few words more than nothing"}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c := newTestClient(t, ClientConfig{AllowPrivateAddresses: true})
	for range 3 {
		if err := c.PostActivity(context.Background(), srv.URL+"/inbox", []byte(testActivity), nil); err != nil {
			t.Fatalf("PostActivity: %v", err)
		}
	}
	if got := conns.Load(); got != 1 {
		t.Errorf("connections = %d, want 1", got)
	}
}

func TestClientRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"network", &net.OpError{Op: "dial", Err: errors.New("connection refused")}, true},
		{"timeout", fmt.Errorf("fetch: %w", context.DeadlineExceeded), true},
		{"503", &StatusError{Code: 503}, true},
		{"408", &StatusError{Code: 408}, true},
		{"429", fmt.Errorf("deliver: %w", &StatusError{Code: 429}), true},
		{"404", &StatusError{Code: 404}, false},
		{"410", &StatusError{Code: 410}, false},
		{"302", &StatusError{Code: 302}, false},
		{"private address", fmt.Errorf("deliver: %w", ErrPrivateAddress), false},
		{"scheme", ErrScheme, false},
		{"invalid url", ErrInvalidURL, false},
		{"too large", ErrBodyTooLarge, false},
		{"content type", ErrContentType, false},
		{"redirects", ErrTooManyRedirects, false},
	}
	for _, tt := range tests {
		if got := Retryable(tt.err); got != tt.want {
			t.Errorf("Retryable(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestClientIgnoresProxyEnvironment(t *testing.T) {
	// A proxy would make the connections, out of reach of the address check;
	// ProxyFromEnvironment also skips loopback, so only the setting can be tested.
	for _, allow := range []bool{false, true} {
		if c := NewClient(ClientConfig{UserAgent: testUserAgent, AllowPrivateAddresses: allow}); c.transport.Proxy != nil {
			t.Errorf("AllowPrivateAddresses %v: transport has a proxy function, want none", allow)
		}
	}
}

// TestClientReusesConnectionsToManyHosts delivers twice to more servers
// than the client used to keep idle connections for: each server must
// see one connection, as a fan-out to many servers over TLS would, where
// a new connection costs a handshake.
func TestClientReusesConnectionsToManyHosts(t *testing.T) {
	const hosts = 300
	var conns atomic.Int32
	urls := make([]string, hosts)
	for i := range urls {
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusAccepted)
		}))
		srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
			if state == http.StateNew {
				conns.Add(1)
			}
		}
		srv.Start()
		t.Cleanup(srv.Close)
		urls[i] = srv.URL + "/inbox"
	}
	c := newTestClient(t, ClientConfig{AllowPrivateAddresses: true})
	for round := range 2 {
		for _, u := range urls {
			if err := c.PostActivity(context.Background(), u, []byte(testActivity), nil); err != nil {
				t.Fatalf("round %d: PostActivity: %v", round, err)
			}
		}
	}
	if got := conns.Load(); got != hosts {
		t.Errorf("connections = %d for two deliveries to each of %d servers, want %d", got, hosts, hosts)
	}
}
