package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// errStreamEnded is why a stream stopped that the hub ended: its queue
// overflowed, or the server is stopping.
var errStreamEnded = errors.New("stream ended")

// streamScopes are the scopes any one of which lets a token stream.
const streamScopes = "read read:statuses read:notifications"

func (a *API) streamRoutes(r *mux.Router) {
	get := http.MethodGet
	r.HandleFunc("/api/v1/streaming/health", streamHealth).Methods(get, http.MethodHead)
	r.Handle("/api/v1/streaming", tokenFromProtocol(a.signedIn(streamScopes, a.streamWebSocket))).Methods(get)
	r.Handle("/api/v1/streaming/{name:.+}", a.signedIn(streamScopes, a.streamEventSource)).Methods(get)
}

// streamHealth answers "OK" as plain text, as Mastodon's streaming
// server does: load balancers and apps probe it.
func streamHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("OK"))
}

// tokenFromProtocol takes the access token from Sec-WebSocket-Protocol
// when the request has none of its own: browsers cannot set headers on a
// WebSocket, so masto.js and Mastodon's web app send it there.
func tokenFromProtocol(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token := offeredProtocol(r); token != "" && bearerToken(r) == "" {
			r = r.Clone(r.Context())
			r.Header.Set("Authorization", "Bearer "+token)
		}
		next.ServeHTTP(w, r)
	})
}

// offeredProtocol is the first subprotocol the client offered, "" for
// none.
func offeredProtocol(r *http.Request) string {
	first, _, _ := strings.Cut(r.Header.Get("Sec-WebSocket-Protocol"), ",")
	return strings.TrimSpace(first)
}

// checkSubscription reads a subscription and refuses a list that is not
// one of the member's (a subwiki they have not joined).
func (a *API) checkSubscription(ctx context.Context, memberID, name, tag, list string) (subscription, error) {
	sub, err := parseSubscription(name, tag, list)
	if err != nil {
		return sub, err
	}
	if sub.List != "" {
		if _, err := a.joinedSubwiki(ctx, memberID, sub.List); err != nil {
			return sub, err
		}
	}
	return sub, nil
}

// keepOpen lifts the server's read and write timeouts for this request:
// a stream stays open for hours, and is bounded by its pings instead.
func keepOpen(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Time{})
	rc.SetWriteDeadline(time.Time{})
}

// runStream sends the events of the changes queued for s with send,
// and pings with ping when nothing was sent for streamPing, until the
// stream ends, ctx is done or sending fails.
func (a *API) runStream(ctx context.Context, s *stream, send func(streamEvent) error, ping func() error) error {
	ticker := time.NewTicker(streamPing)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.done:
			return errStreamEnded
		case <-ticker.C:
			if err := ping(); err != nil {
				return err
			}
		case c := <-s.changes:
			for _, e := range a.streamEvents(ctx, s, c, s.subscriptions()) {
				if err := send(e); err != nil {
					return err
				}
			}
		}
	}
}

// streamFailed answers a stream that cannot be opened, before it is.
func (a *API) streamFailed(w http.ResponseWriter, r *http.Request, err error) {
	var re *requestError
	if errors.As(err, &re) {
		writeError(w, re.status, re.msg)
		return
	}
	if storage.ErrorCode(err) == storage.ENotFound {
		writeError(w, http.StatusNotFound, recordNotFound)
		return
	}
	a.fail(w, r, err)
}
