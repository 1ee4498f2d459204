// Package web serves the Tidings site: routes, HTML pages rendered from
// embedded templates, forms, sign-in sessions and CSRF protection.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/gorilla/mux"
	"github.com/stripe/stripe-go/v83"

	"github.com/tidings-social/tidings/federation"
	"github.com/tidings-social/tidings/storage"
	"github.com/tidings-social/tidings/web/api"
)

// Config is what the web layer needs to know about the instance.
type Config struct {
	Domain         string // host[:port] the instance is known by, e.g. "news.example"
	Scheme         string // "https", or "http" for a local instance
	InstanceName   string
	Description    string
	Version        string
	TrustedProxies []netip.Prefix // peers whose X-Forwarded-For is believed
	Limits         Limits         // rate limits; zero fields take DefaultLimits
	Media          MediaConfig    // remote images and uploads
	DeletionGrace  time.Duration  // how long a member may take back the deletion of their account
	Mail           MailConfig     // the SMTP server; mail is off without a host
	Stripe         StripeConfig   // supporters' payments; off without a secret key
	Support        SupportConfig  // supporters' tiers and where the money goes
	Partner        PartnerConfig  // the creator pool
	// Contact (an email or web address) and PrivacyPolicy (Markdown; ""
	// for the default text) are shown at /about and /privacy.
	Contact       string
	PrivacyPolicy string
}

// secureCookies reports whether cookies must only travel over https.
func (c Config) secureCookies() bool { return c.Scheme == "https" }

// Server is the HTTP handler of the site. It holds its dependencies and
// is built once in cmd.
type Server struct {
	db      *storage.DB
	fed     *federation.Federator
	cfg     Config
	log     *slog.Logger
	pages   *pages
	csrfKey []byte
	limits  *rateLimits
	mail    *mailer
	stripe  *stripe.Client // nil when Stripe is off
	api     *api.API       // the Mastodon client API
	handler http.Handler
}

// NewServer builds the site on db, with fed's ActivityPub endpoints.
func NewServer(ctx context.Context, db *storage.DB, fed *federation.Federator, cfg Config, log *slog.Logger) (*Server, error) {
	pages, err := newPages()
	if err != nil {
		return nil, fmt.Errorf("list page templates: %w", err)
	}
	key, err := db.InstanceSecret(ctx, "csrf", 32)
	if err != nil {
		return nil, fmt.Errorf("csrf key: %w", err)
	}
	s := &Server{db: db, fed: fed, cfg: cfg, log: log, pages: pages, csrfKey: key, limits: newRateLimits(cfg.Limits),
		mail: newMailer(db, cfg, log), stripe: newStripeClient(cfg.Stripe)}
	s.api = api.New(db, fed, api.Config{Domain: cfg.Domain, Scheme: cfg.Scheme, InstanceName: cfg.InstanceName,
		Description: cfg.Description, Version: cfg.Version, Contact: cfg.Contact, ClientIP: s.clientIP,
		ProfileImages: apiProfileImages{s}, PostImages: apiPostImages{s}, Allowance: s.apiAllowance}, log)
	s.handler = s.recoverPanics(s.logRequests(api.CORS(s.secureHeaders(s.loadSession(s.routes())))))
	return s, nil
}

// CloseStreams ends the client API's open streams and accepts no more:
// they last for hours, so the server's shutdown ends them rather than
// waits for them.
func (s *Server) CloseStreams() { s.api.CloseStreams() }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// routes maps every path of the site to its handler.
func (s *Server) routes() http.Handler {
	r := mux.NewRouter()
	r.NotFoundHandler = http.HandlerFunc(s.notFound)
	r.MethodNotAllowedHandler = http.HandlerFunc(s.methodNotAllowed)

	r.HandleFunc("/healthz", s.health).Methods(http.MethodGet, http.MethodHead)
	r.PathPrefix("/static/").Handler(s.staticFiles()).Methods(http.MethodGet, http.MethodHead)
	s.fed.Routes(r)
	s.mediaRoutes(r)
	s.feedRoutes(r)
	s.api.Routes(r) // before the site's routes, and without CSRF: tokens, not cookies

	site := r.NewRoute().Subrouter()
	site.Use(s.checkCSRF)
	site.HandleFunc("/", s.home).Methods(http.MethodGet)
	site.HandleFunc("/signup", s.signupForm).Methods(http.MethodGet)
	site.HandleFunc("/signup", s.signup).Methods(http.MethodPost)
	site.HandleFunc("/signin", s.signinForm).Methods(http.MethodGet)
	site.HandleFunc("/signin", s.signin).Methods(http.MethodPost)
	site.HandleFunc("/signout", s.signout).Methods(http.MethodPost)
	site.HandleFunc("/@{name}", s.profile).Methods(http.MethodGet)
	site.HandleFunc("/@{name}/{list:followers|following}", s.followList).Methods(http.MethodGet)
	site.HandleFunc("/search", s.search).Methods(http.MethodGet)
	site.HandleFunc("/tags/{tag}", s.tag).Methods(http.MethodGet)
	site.Handle("/follow", s.membersOnly(s.follow)).Methods(http.MethodPost)
	site.Handle("/unfollow", s.membersOnly(s.unfollow)).Methods(http.MethodPost)
	site.Handle("/follow-requests", s.membersOnly(s.followRequests)).Methods(http.MethodGet)
	site.Handle("/follow-requests/{decision:approve|reject}", s.membersOnly(s.decideFollowRequest)).Methods(http.MethodPost)
	site.Handle("/compose", s.membersOnly(s.composeNew)).Methods(http.MethodGet)
	site.Handle("/compose", s.membersOnly(s.compose)).Methods(http.MethodPost)
	site.HandleFunc("/posts/{id}", s.post).Methods(http.MethodGet)
	site.HandleFunc("/posts/{id}/history", s.headlineHistory).Methods(http.MethodGet)
	site.Handle("/posts/{id}/headline", s.membersOnly(s.headlineForm)).Methods(http.MethodGet)
	site.Handle("/posts/{id}/headline", s.membersOnly(s.correctHeadline)).Methods(http.MethodPost)
	site.Handle("/posts/{id}/lock", s.membersOnly(s.lockHeadline)).Methods(http.MethodPost)
	site.Handle("/posts/{id}/unlock", s.membersOnly(s.unlockHeadline)).Methods(http.MethodPost)
	site.Handle("/posts/{id}/edit", s.membersOnly(s.editForm)).Methods(http.MethodGet)
	site.Handle("/posts/{id}/edit", s.membersOnly(s.editText)).Methods(http.MethodPost)
	site.Handle("/posts/{id}/delete", s.membersOnly(s.deletePost)).Methods(http.MethodPost)
	site.Handle("/posts/{id}/comments", s.membersOnly(s.comment)).Methods(http.MethodPost)
	site.Handle("/posts/{id}/like", s.membersOnly(s.like)).Methods(http.MethodPost)
	site.Handle("/posts/{id}/unlike", s.membersOnly(s.unlike)).Methods(http.MethodPost)
	site.Handle("/posts/{id}/boost", s.membersOnly(s.boost)).Methods(http.MethodPost)
	site.Handle("/posts/{id}/unboost", s.membersOnly(s.unboost)).Methods(http.MethodPost)
	site.Handle("/posts/{id}/pin", s.membersOnly(s.pin)).Methods(http.MethodPost)
	site.Handle("/posts/{id}/unpin", s.membersOnly(s.unpin)).Methods(http.MethodPost)
	site.Handle("/posts/{id}/remove", s.membersOnly(s.removePost)).Methods(http.MethodPost)
	site.HandleFunc("/s/{name}/log", s.subwikiLog).Methods(http.MethodGet)
	site.Handle("/log", s.membersOnly(s.instanceLog)).Methods(http.MethodGet)
	site.Handle("/notifications", s.membersOnly(s.notifications)).Methods(http.MethodGet)
	site.Handle("/notifications/read", s.membersOnly(s.markNotificationsRead)).Methods(http.MethodPost)
	site.HandleFunc("/s", s.directory).Methods(http.MethodGet)
	site.Handle("/s/new", s.membersOnly(s.newSubwikiForm)).Methods(http.MethodGet)
	site.Handle("/s/new", s.membersOnly(s.createSubwiki)).Methods(http.MethodPost)
	site.HandleFunc("/s/{name}", s.subwiki).Methods(http.MethodGet)
	site.Handle("/s/{name}/join", s.membersOnly(s.joinSubwiki)).Methods(http.MethodPost)
	site.Handle("/s/{name}/leave", s.membersOnly(s.leaveSubwiki)).Methods(http.MethodPost)
	site.Handle("/s/{name}/settings", s.moderatorsOnly(s.subwikiSettings)).Methods(http.MethodGet)
	site.Handle("/s/{name}/settings", s.moderatorsOnly(s.saveSubwikiSettings)).Methods(http.MethodPost)
	site.Handle("/s/{name}/settings/moderators", s.moderatorsOnly(s.addModerator)).Methods(http.MethodPost)
	site.Handle("/s/{name}/settings/moderators/remove", s.moderatorsOnly(s.removeModerator)).Methods(http.MethodPost)
	site.Handle("/s/{name}/settings/requests/{decision:approve|reject}", s.moderatorsOnly(s.decideJoin)).Methods(http.MethodPost)
	site.Handle("/s/{name}/bans", s.membersOnly(s.subwikiBans)).Methods(http.MethodGet)
	site.Handle("/s/{name}/bans", s.membersOnly(s.banAccount)).Methods(http.MethodPost)
	site.Handle("/s/{name}/bans/{id}/lift", s.membersOnly(s.liftBan)).Methods(http.MethodPost)
	site.Handle("/settings/bans", s.membersOnly(s.myBans)).Methods(http.MethodGet)
	site.Handle("/settings/apps", s.membersOnly(s.authorizedApps)).Methods(http.MethodGet)
	site.Handle("/settings/apps/{id}/revoke", s.membersOnly(s.revokeApp)).Methods(http.MethodPost)
	site.Handle("/oauth/authorize", s.membersOnly(s.authorizeForm)).Methods(http.MethodGet)
	site.Handle("/oauth/authorize", s.membersOnly(s.authorize)).Methods(http.MethodPost)
	site.HandleFunc("/about", s.about).Methods(http.MethodGet)
	site.HandleFunc("/privacy", s.privacy).Methods(http.MethodGet)
	site.Handle("/admin/members", s.adminsOnly(s.adminMembers)).Methods(http.MethodGet)
	site.Handle("/admin/members/{name}/suspend", s.adminsOnly(s.suspendMember)).Methods(http.MethodPost)
	site.Handle("/admin/members/{name}/unsuspend", s.adminsOnly(s.unsuspendMember)).Methods(http.MethodPost)
	site.Handle("/admin/members/{name}/role/{role:admin|member}", s.adminsOnly(s.setAdminRole)).Methods(http.MethodPost)
	site.Handle("/admin/rules", s.adminsOnly(s.adminRules)).Methods(http.MethodGet)
	site.Handle("/admin/rules", s.adminsOnly(s.saveAdminRules)).Methods(http.MethodPost)
	site.Handle("/settings/profile", s.membersOnly(s.profileForm)).Methods(http.MethodGet)
	site.Handle("/settings/profile", s.membersOnly(s.saveProfile)).Methods(http.MethodPost)
	site.Handle("/settings/images/{kind:avatar|header}", s.membersOnly(s.saveProfileImage)).Methods(http.MethodPost)
	site.Handle("/settings/password", s.membersOnly(s.passwordForm)).Methods(http.MethodGet)
	site.Handle("/settings/password", s.membersOnly(s.changePassword)).Methods(http.MethodPost)
	site.Handle("/settings/mutes", s.membersOnly(s.mutes)).Methods(http.MethodGet)
	site.Handle("/settings/export", s.membersOnly(s.exportInfo)).Methods(http.MethodGet)
	site.Handle("/settings/export.zip", s.membersOnly(s.exportArchive)).Methods(http.MethodGet, http.MethodPost)
	site.Handle("/settings/delete", s.membersOnly(s.deleteAccountForm)).Methods(http.MethodGet)
	site.Handle("/settings/delete", s.membersOnly(s.deleteAccount)).Methods(http.MethodPost)
	site.Handle("/settings/delete/cancel", s.membersOnly(s.cancelAccountDeletion)).Methods(http.MethodPost)
	site.Handle("/settings/mutes/words", s.membersOnly(s.muteWord)).Methods(http.MethodPost)
	site.Handle("/settings/mutes/words/remove", s.membersOnly(s.unmuteWord)).Methods(http.MethodPost)
	site.Handle("/{verb:mute|unmute|block|unblock}", s.membersOnly(s.muteAction)).Methods(http.MethodPost)
	site.Handle("/invites", s.membersOnly(s.invites)).Methods(http.MethodGet)
	site.Handle("/invites", s.membersOnly(s.createInvite)).Methods(http.MethodPost)
	site.Handle("/admin/approvals", s.adminsOnly(s.approvals)).Methods(http.MethodGet)
	site.Handle("/admin/approvals/{name}/approve", s.adminsOnly(s.approve)).Methods(http.MethodPost)
	site.Handle("/admin/approvals/{name}/reject", s.adminsOnly(s.reject)).Methods(http.MethodPost)
	site.Handle("/admin/domains", s.adminsOnly(s.adminDomains)).Methods(http.MethodGet)
	site.Handle("/admin/domains", s.adminsOnly(s.blockDomain)).Methods(http.MethodPost)
	site.Handle("/admin/domains/unblock", s.adminsOnly(s.unblockDomain)).Methods(http.MethodPost)
	s.flagRoutes(site)
	s.supportRoutes(r, site)
	s.passwordResetRoutes(site)
	s.partnerRoutes(site)
	return r
}

// health answers 200 when the database answers.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.db.Ping(r.Context()); err != nil {
		s.log.Error("health check: database does not answer", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ok")
}
