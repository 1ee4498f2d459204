package federation

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/tidings-social/tidings/storage"
)

// Double-knocking: servers accept draft-cavage HTTP signatures, RFC 9421
// message signatures, or both, and say which only by refusing the other.
// The client signs for what a server accepted last, and after a refusal
// tries the other scheme once at once.

// firstKnock is the scheme a server we know nothing of is signed for
// first. Every ActivityPub server verifies draft-cavage; RFC 9421 only
// Mastodon 4.5+ and Fedify do, so cavage first costs no retry anywhere
// today (Mastodon chooses so too); see docs/decisions.md.
const firstKnock = storage.SignatureCavage

// do signs req and sends it, through a redirect policy that checks and
// re-signs every hop. The address of every hop is checked when dialled.
// A signed request is signed with the scheme the server is known to
// accept; when it answers 400 or 401 it is sent once more at once, signed
// with the other scheme ("double-knocking", as Fedify and Mastodon do).
func (c *Client) do(req *http.Request, body []byte, sign Signer) (*http.Response, error) {
	if sign == nil {
		return c.send(req, body, nil, storage.SignatureUnknown)
	}
	ctx := req.Context()
	scheme := c.schemes.FirstKnock(ctx, strings.ToLower(req.URL.Host))
	again, err := retryCopy(req)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(req, body, sign, scheme)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusUnauthorized {
		// A GET answered is no proof: many servers answer a public
		// document whatever its signature says.
		if resp.StatusCode/100 == 2 && req.Method == http.MethodPost {
			c.schemes.Accepted(ctx, strings.ToLower(resp.Request.URL.Host), scheme)
		}
		return resp, nil
	}
	discard(resp)
	scheme = scheme.Other()
	resp, err = c.send(again, body, sign, scheme)
	if err == nil && resp.StatusCode/100 == 2 {
		c.schemes.Accepted(ctx, strings.ToLower(resp.Request.URL.Host), scheme)
	}
	return resp, err
}

// retryCopy is a copy of the unsigned req to send again, with its body
// from the start.
func retryCopy(req *http.Request) (*http.Request, error) {
	again := req.Clone(req.Context())
	if req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("copy request body: %w", err)
		}
		again.Body = b
	}
	return again, nil
}

// SchemeMemory remembers per server which signature scheme it accepted:
// in memory, and in the database when it has one, so that it survives
// restarts. It is safe for concurrent use.
type SchemeMemory struct {
	db  *storage.DB // nil: in memory only
	log *slog.Logger

	mu    sync.Mutex
	known map[string]storage.SignatureScheme // by lowercased host[:port]; SignatureUnknown cached too
}

// NewSchemeMemory returns a memory kept in db, or in memory only when db
// is nil. Failures to read or write db are logged to log (when not nil):
// a scheme forgotten costs a retry, no more.
func NewSchemeMemory(db *storage.DB, log *slog.Logger) *SchemeMemory {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &SchemeMemory{db: db, log: log, known: map[string]storage.SignatureScheme{}}
}

// FirstKnock is the scheme to sign a request to host with first: the one
// it accepted last, or firstKnock.
func (m *SchemeMemory) FirstKnock(ctx context.Context, host string) storage.SignatureScheme {
	if s := m.accepted(ctx, host); s != storage.SignatureUnknown {
		return s
	}
	return firstKnock
}

// accepted is the scheme host accepted last, or SignatureUnknown.
func (m *SchemeMemory) accepted(ctx context.Context, host string) storage.SignatureScheme {
	m.mu.Lock()
	s, ok := m.known[host]
	m.mu.Unlock()
	if ok || m.db == nil {
		return s
	}
	s, err := m.db.HostSignatureScheme(ctx, host)
	if err != nil {
		m.log.Warn("read the signature scheme of a server", "host", host, "err", err)
		return storage.SignatureUnknown // not cached: asked again next time
	}
	m.mu.Lock()
	m.known[host] = s
	m.mu.Unlock()
	return s
}

// Accepted records that host accepted a request signed with scheme; it
// writes to the database only when that is news.
func (m *SchemeMemory) Accepted(ctx context.Context, host string, scheme storage.SignatureScheme) {
	if m.accepted(ctx, host) == scheme {
		return
	}
	m.mu.Lock()
	m.known[host] = scheme
	m.mu.Unlock()
	m.log.Info("server accepts a signature scheme", "host", host, "scheme", scheme)
	if m.db == nil {
		return
	}
	if err := m.db.HostAcceptedSignature(context.WithoutCancel(ctx), host, scheme); err != nil {
		m.log.Warn("record the signature scheme of a server", "host", host, "scheme", scheme, "err", err)
	}
}
