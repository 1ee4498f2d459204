// Package federation speaks ActivityPub for Tidings: actor documents,
// WebFinger and NodeInfo, the inboxes, HTTP signatures, fetching remote
// actors and objects, and delivering the outbox.
package federation

import (
	"context"
	"crypto/rsa"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// Config is what federation needs to know about the instance.
type Config struct {
	Site                  storage.Site
	Version               string
	InstanceName          string
	Description           string
	AllowPrivateAddresses bool  // let fetches and deliveries reach loopback and private networks (tests)
	MaxInboxBytes         int64 // largest inbox request body; 1 MiB when zero
	// AuthorizedFetch serves actors, objects and collections only to
	// signed requests, as Mastodon's secure mode (see authorized_fetch.go).
	AuthorizedFetch bool
}

// Federator is the ActivityPub side of an instance.
type Federator struct {
	db     *storage.DB
	cfg    Config
	client *Client
	log    *slog.Logger
	keys   keyCache
	// documents are the rendered actors, WebFinger and NodeInfo answers.
	documents *documentCache
	// receiving counts the inbox requests being answered (see
	// inboxBusyRequests).
	receiving atomic.Int64
	// inboxWake wakes the idle inbox workers when the inbox has stored
	// an activity.
	inboxWake wakeup
	// calmWake wakes the inbox workers that wait while a flood is being
	// answered, once it is over (see inboxBusyRequests).
	calmWake wakeup
	// handoff passes stored activities to the inbox workers in memory.
	handoff *inboxHandoff
	// outboxWake wakes the outbox worker when a commit queued events;
	// deliveryWake wakes the delivery loop when it made deliveries.
	outboxWake, deliveryWake wakeup

	// inboxHook, when set, is called by process before it handles a
	// stored inbound activity: tests use it to watch the worker at work
	// or to make one activity's handling panic.
	inboxHook func(ctx context.Context, in *storage.Inbound)
}

// New makes the federator of an instance.
func New(db *storage.DB, cfg Config, log *slog.Logger) *Federator {
	if cfg.MaxInboxBytes <= 0 {
		cfg.MaxInboxBytes = 1 << 20
	}
	f := &Federator{db: db, cfg: cfg, log: log, documents: newDocumentCache(documentCacheItems, documentCacheBytes),
		handoff: newInboxHandoff()}
	if db != nil { // some tests build a federator for its client alone
		db.OnOutbox(f.outboxWake.broadcast)
	}
	f.client = NewClient(ClientConfig{
		UserAgent:             f.UserAgent(),
		AllowPrivateAddresses: cfg.AllowPrivateAddresses,
		Schemes:               NewSchemeMemory(db, log),
		RefuseHost:            f.refuseSuspended,
	})
	return f
}

// UserAgent names Tidings, its version and the instance on every
// outgoing request (GoToSocial refuses requests without one).
func (f *Federator) UserAgent() string {
	return fmt.Sprintf("Tidings/%s (+%s/)", f.cfg.Version, f.cfg.Site.Base())
}

// signingKey is a local actor's parsed private key.
type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

// keyCache keeps parsed private keys: parsing a PEM key costs more than
// signing with it.
type keyCache struct {
	mu   sync.RWMutex
	byID map[string]signingKey
}

// signer returns a Signer that signs as the local actor with the id.
func (f *Federator) signer(ctx context.Context, actorID string) (Signer, error) {
	f.keys.mu.RLock()
	k, ok := f.keys.byID[actorID]
	f.keys.mu.RUnlock()
	if !ok {
		keyID, pemText, err := f.db.SigningKey(ctx, actorID)
		if err != nil {
			return nil, err
		}
		key, err := storage.ParsePrivateKey(pemText)
		if err != nil {
			return nil, fmt.Errorf("key of %s: %w", actorID, err)
		}
		k = signingKey{id: keyID, key: key}
		f.keys.mu.Lock()
		if f.keys.byID == nil {
			f.keys.byID = map[string]signingKey{}
		}
		f.keys.byID[actorID] = k
		f.keys.mu.Unlock()
	}
	return func(r *http.Request, body []byte, scheme storage.SignatureScheme) error {
		return signWith(scheme, r, body, k.id, k.key, f.now())
	}, nil
}

// instanceSigner signs as the instance actor, as fetches are signed.
func (f *Federator) instanceSigner(ctx context.Context) (Signer, error) {
	inst, err := f.db.InstanceActor(ctx)
	if err != nil {
		return nil, err
	}
	return f.signer(ctx, inst.ID)
}

func (f *Federator) now() time.Time { return f.db.Now() }
