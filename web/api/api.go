// Package api serves the Mastodon client API, so that Mastodon's apps
// (Elk, Phanpy, Tusky, Ice Cubes, ...) work with Tidings: OAuth 2, the
// JSON entities and their endpoints. It calls the same storage
// operations as the site's pages; the entities are built here, never in
// storage. Every answer is JSON, errors included, because the apps'
// libraries refuse anything else. The package does not import web: web
// mounts it with Routes and wraps the site in CORS.
package api

import (
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/federation"
	"github.com/tidings-social/tidings/storage"
)

// Config is what the API needs to know about the instance.
type Config struct {
	Domain       string // host[:port] the instance is known by
	Scheme       string // "https", or "http" for a local instance
	InstanceName string
	Description  string
	Version      string
	Contact      string
	// ClientIP names who is asking, for rate limits of requests without a
	// token; nil takes the connection's address.
	ClientIP func(*http.Request) string
	// RateLimit requests are allowed per RateWindow to each token, or each
	// address without one; zero fields take Mastodon's 300 per 5 minutes.
	RateLimit  int
	RateWindow time.Duration
	// ProfileImages changes members' avatars and headers as the settings
	// page does; nil takes no images.
	ProfileImages ProfileImages
	// PostImages keeps the images of posts as the compose page does; nil
	// takes no media.
	PostImages PostImages
	// Allowance takes one from what the member may still do of an
	// action the site limits (ActionPost, ActionComment, ActionFlag,
	// ActionLookup), and refuses
	// (ERateLimited) when nothing is left: the site's own limits, so
	// that an app posts no faster than the compose page. nil limits
	// nothing.
	Allowance func(action, memberID string) error
}

// The actions Config.Allowance limits.
const (
	ActionPost    = "post"
	ActionComment = "comment"
	ActionFlag    = "flag"   // a report
	ActionLookup  = "lookup" // a search that fetches from another server
)

// baseURL is the instance's address, e.g. "https://news.example".
func (c Config) baseURL() string { return c.Scheme + "://" + c.Domain }

// API serves the client API. It is built once in web.NewServer.
type API struct {
	db     *storage.DB
	fed    *federation.Federator
	cfg    Config
	log    *slog.Logger
	limits *rateWindows
	// streams are the open streams of the streaming API.
	streams *streamHub
	// idempotency serializes statuses sent with the same Idempotency-Key.
	idempotency keyLocks
}

// New builds the API on db and fed.
func New(db *storage.DB, fed *federation.Federator, cfg Config, log *slog.Logger) *API {
	if cfg.RateLimit <= 0 {
		cfg.RateLimit = 300
	}
	if cfg.RateWindow <= 0 {
		cfg.RateWindow = 5 * time.Minute
	}
	if cfg.ClientIP == nil {
		cfg.ClientIP = connectionAddress
	}
	a := &API{db: db, fed: fed, cfg: cfg, log: log, limits: newRateWindows(cfg.RateLimit, cfg.RateWindow, maxRateKeys),
		streams: newStreamHub()}
	if db != nil { // a test's API without a database streams nothing
		db.OnChange(a.streams.publish)
	}
	return a
}

// Routes mounts every path of the API on the site's router r: the paths
// under /api/, /oauth/token, /oauth/revoke and the OAuth metadata. They
// share a router of their own, whose unknown paths and wrong methods
// answer JSON, behind guard. Each area adds its routes with one line.
func (a *API) Routes(r *mux.Router) {
	h := a.guard(a.router())
	r.PathPrefix("/api/").Handler(h)
	r.Path("/oauth/token").Handler(h)
	r.Path("/oauth/revoke").Handler(h)
	r.Path("/.well-known/oauth-authorization-server").Handler(h)
}

// router is the API's own router, with every path of the API; its
// unknown paths and wrong methods answer JSON.
func (a *API) router() *mux.Router {
	own := mux.NewRouter()
	own.NotFoundHandler = http.HandlerFunc(notFound)
	own.MethodNotAllowedHandler = http.HandlerFunc(methodNotAllowed)
	a.oauthRoutes(own)
	a.appRoutes(own)
	a.instanceRoutes(own)
	a.accountRoutes(own)
	a.statusRoutes(own)
	a.timelineRoutes(own)
	a.listRoutes(own)
	a.notificationRoutes(own)
	a.streamRoutes(own)
	a.markerRoutes(own)
	a.reportRoutes(own)
	a.mediaRoutes(own)
	a.searchRoutes(own)
	a.stubRoutes(own)
	return own
}

// guard is around every API request: a panic answers 500 JSON, the rate
// limit is counted, and a multipart body's temporary files are removed.
func (a *API) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.log.Error("panic in API handler", "path", r.URL.Path, "panic", v)
				writeError(w, http.StatusInternalServerError, "Something went wrong on our side.")
			}
		}()
		if !a.allow(w, r) {
			return
		}
		r, cleanup := withUploadCleanup(r)
		defer cleanup()
		next.ServeHTTP(w, r)
	})
}

// connectionAddress is the address of the connection's other end.
func connectionAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
