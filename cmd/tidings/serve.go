package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/tidings-social/tidings/federation"
	"github.com/tidings-social/tidings/storage"
	"github.com/tidings-social/tidings/web"
)

// Main is a running Tidings instance: its database and its web server.
// Tests start the real thing with Run and stop it with Close.
type Main struct {
	Config Config
	Logger *slog.Logger

	// Listener, when set, is served instead of listening on
	// Config.Server.Listen; tests pass one bound to port 0.
	Listener net.Listener

	DB        *storage.DB
	Federator *federation.Federator
	server    *http.Server
	errc      chan error
	stopWork  context.CancelFunc
	workDone  chan struct{}
	lock      *dataLock
}

// Run locks the database for this server, opens it, builds the site and
// starts serving. It returns once the instance accepts connections; if it
// fails, it leaves nothing open and the database unlocked.
func (m *Main) Run(ctx context.Context) (err error) {
	if m.Logger == nil {
		m.Logger = slog.New(slog.DiscardHandler)
	}
	listen := m.Config.Server.Listen
	if m.Listener != nil {
		listen = m.Listener.Addr().String()
	}
	if m.lock, err = lockData(m.Config.Storage.Path, listen); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			if m.DB != nil {
				m.DB.Close()
				m.DB = nil
			}
			m.lock.release()
			m.lock = nil
		}
	}()
	db, err := storage.Open(ctx, m.Config.Storage.Path, m.Config.site())
	if err != nil {
		return err
	}
	db.Registration = storage.RegistrationMode(m.Config.Registration.Mode)
	db.StarterSubwikis = m.Config.Registration.StarterSubwikis
	db.Corrections = m.Config.correctionPolicy()
	m.Config.applyAdmission(db)
	m.Config.applyMail(db)
	m.DB = db
	if err := db.ApplyConfigDomains(ctx, m.Config.Federation.BlockedDomains, m.Config.Federation.LimitedDomains); err != nil {
		return fmt.Errorf("apply the config's domain blocks: %w", err)
	}

	m.Federator = federation.New(db, federation.Config{
		Site:                  m.Config.site(),
		Version:               version,
		InstanceName:          m.Config.Server.InstanceName,
		Description:           m.Config.Server.Description,
		AllowPrivateAddresses: m.Config.Federation.AllowPrivateAddresses,
		MaxInboxBytes:         m.Config.Federation.MaxInboxBytes,
		AuthorizedFetch:       m.Config.Federation.AuthorizedFetch,
	}, m.Logger)
	media, err := m.Federator.NewMediaCache(m.Config.mediaCache())
	if err != nil {
		return err
	}
	policy, err := m.Config.Server.privacyPolicy()
	if err != nil {
		return fmt.Errorf("server.privacy_policy_file: %w", err)
	}
	site, err := web.NewServer(ctx, db, m.Federator, web.Config{
		Domain:         m.Config.Server.Domain,
		Scheme:         m.Config.Server.Scheme,
		InstanceName:   m.Config.Server.InstanceName,
		Description:    m.Config.Server.Description,
		Version:        version,
		TrustedProxies: m.Config.trustedProxies(),
		Limits:         web.Limits(m.Config.Limits),
		Media:          m.Config.webMedia(media),
		DeletionGrace:  m.Config.deletionGrace(),
		Mail:           m.Config.webMail(),
		Stripe:         m.Config.webStripe(),
		Support:        m.Config.webSupport(),
		Partner:        m.Config.webPartner(),
		Contact:        m.Config.Server.Contact,
		PrivacyPolicy:  policy,
	}, m.Logger)
	if err != nil {
		return err
	}

	if m.Listener == nil {
		m.Listener, err = net.Listen("tcp", m.Config.Server.Listen)
		if err != nil {
			return fmt.Errorf("listen on %s: %w", m.Config.Server.Listen, err)
		}
	}
	m.server = &http.Server{
		Handler:           site,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	m.server.RegisterOnShutdown(site.CloseStreams)
	workCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	m.stopWork, m.workDone = stop, make(chan struct{})
	go func() {
		defer close(m.workDone)
		var wg sync.WaitGroup
		wg.Go(func() { m.Federator.Run(workCtx) })
		wg.Go(func() { runJanitor(workCtx, db, m.Config.retention(), m.Logger) })
		wg.Go(func() { runDailyAdmission(workCtx, db, m.Logger) })
		wg.Go(func() { runMediaExpiry(workCtx, media, m.Logger) })
		wg.Go(func() { runUploadSweep(workCtx, site, m.Logger) })
		wg.Go(func() { site.RunMail(workCtx) })
		wg.Wait()
	}()
	m.errc = make(chan error, 1)
	go func() {
		if err := m.server.Serve(m.Listener); !errors.Is(err, http.ErrServerClosed) {
			m.errc <- err
		}
		close(m.errc)
	}()
	return nil
}

// Done returns a channel that yields an error if serving fails.
func (m *Main) Done() <-chan error { return m.errc }

// Close stops accepting requests, lets those under way finish for up to
// ten seconds, stops the federation workers and the janitor (what they
// had not finished stays in the database for the next start), closes the
// database and unlocks it.
func (m *Main) Close() error {
	var errs []error
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		errs = append(errs, m.server.Shutdown(ctx))
	}
	if m.stopWork != nil {
		m.stopWork()
		<-m.workDone
	}
	if m.DB != nil {
		errs = append(errs, m.DB.Close())
	}
	errs = append(errs, m.lock.release())
	m.lock = nil
	return errors.Join(errs...)
}

// Addr is the address the instance listens on.
func (m *Main) Addr() string { return m.Listener.Addr().String() }
