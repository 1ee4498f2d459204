package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Actor kinds, as ActivityStreams names them.
const (
	KindPerson       = "Person"
	KindGroup        = "Group"
	KindApplication  = "Application"
	KindService      = "Service"
	KindOrganization = "Organization"
)

// Actor is anyone who acts in the fediverse: a member here, the
// instance itself, or a person or group on another server.
type Actor struct {
	ID                        string
	URI                       string
	Kind                      string
	Local                     bool
	Username                  string
	Host                      string
	DisplayName               string
	Summary                   string // sanitized HTML; empty for local members, whose bio is in Member
	IconURL                   string
	HeaderURL                 string // the profile's header image (the actor's image)
	URL                       string
	Inbox                     string
	SharedInbox               string
	Outbox                    string
	Followers                 string
	Following                 string
	ManuallyApprovesFollowers bool
	Discoverable              bool
	Published                 time.Time
	KeyID                     string
	PublicKeyPEM              string
	FetchedAt                 time.Time
	UpdatedAt                 time.Time
}

// Handle is the actor's address, like "@alice@news.example".
func (a *Actor) Handle() string { return "@" + a.Username + "@" + a.Host }

// DeliveryInbox is where to send activities for the actor: the shared
// inbox of its server when it has one.
func (a *Actor) DeliveryInbox() string {
	if a.SharedInbox != "" {
		return a.SharedInbox
	}
	return a.Inbox
}

// actorSelect reads actors; a local member's name, picture and follower
// setting come from members.
const actorSelect = `SELECT ` + actorFields + actorFrom

const actorFrom = ` FROM actors a LEFT JOIN members m ON m.id = a.id `

const actorFields = `a.id, a.uri, a.kind, a.local, a.username, a.host,
	CASE WHEN m.id IS NULL THEN a.display_name ELSE m.display_name END,
	a.summary,
	CASE WHEN m.id IS NULL THEN a.icon_url ELSE m.avatar_url END,
	CASE WHEN m.id IS NULL THEN a.image_url ELSE m.header_url END,
	a.url, a.inbox, a.shared_inbox, a.outbox, a.followers_uri, a.following_uri,
	CASE WHEN m.id IS NULL THEN a.manually_approves ELSE m.manually_approves_followers END,
	a.discoverable, a.published, a.key_id, a.public_key_pem, a.fetched_at, a.updated_at`

// scanActor reads a row of actorFields, after any extra leading columns.
func scanActor(row interface{ Scan(...any) error }, extra ...any) (*Actor, error) {
	var r actorRow
	if err := row.Scan(append(extra, r.targets()...)...); err != nil {
		return nil, err
	}
	return r.actor(), nil
}

// actorRow receives the columns of actorFields.
type actorRow struct {
	a                           Actor
	published, fetched, updated int64
}

func (r *actorRow) targets() []any {
	a := &r.a
	return []any{&a.ID, &a.URI, &a.Kind, &a.Local, &a.Username, &a.Host,
		&a.DisplayName, &a.Summary, &a.IconURL, &a.HeaderURL, &a.URL, &a.Inbox, &a.SharedInbox, &a.Outbox,
		&a.Followers, &a.Following, &a.ManuallyApprovesFollowers, &a.Discoverable,
		&r.published, &a.KeyID, &a.PublicKeyPEM, &r.fetched, &r.updated}
}

func (r *actorRow) actor() *Actor {
	a := r.a
	if r.published != 0 {
		a.Published = fromMillis(r.published)
	}
	if r.fetched != 0 {
		a.FetchedAt = fromMillis(r.fetched)
	}
	a.UpdatedAt = fromMillis(r.updated)
	return &a
}

// actorWhere returns the one actor matching the condition, which must be
// fixed in the code: its statement is kept compiled.
func (tx *Tx) actorWhere(ctx context.Context, cond string, args ...any) (*Actor, error) {
	a, err := scanActor(tx.queryRowFixed(ctx, actorSelect+"WHERE "+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(ENotFound, "No such account.")
	}
	if err != nil {
		return nil, fmt.Errorf("find actor: %w", err)
	}
	return a, nil
}

func (db *DB) actorWhere(ctx context.Context, cond string, args ...any) (*Actor, error) {
	var a *Actor
	err := db.read(ctx, func(tx *Tx) (err error) {
		a, err = tx.actorWhere(ctx, cond, args...)
		return err
	})
	return a, err
}

// ActorByID returns the actor with the id.
func (db *DB) ActorByID(ctx context.Context, id string) (*Actor, error) {
	return db.actorWhere(ctx, "a.id = ?", id)
}

// ActorByURI returns the actor with the ActivityPub id. The inbox
// workers ask it for every activity, so remote actors are kept in memory
// (see actorCache).
func (db *DB) ActorByURI(ctx context.Context, uri string) (*Actor, error) {
	if a, ok := db.actors.getByURI(uri); ok {
		return a, nil
	}
	gen := db.actors.generation()
	a, err := db.actorRead(ctx, actorByURI, uri)
	if err != nil {
		return nil, err
	}
	db.actors.put(gen, a)
	return a, nil
}

// ActorByKeyID returns the actor owning the public key with the id. The
// inbox asks it for every request, so remote actors are kept in memory
// (see actorCache).
func (db *DB) ActorByKeyID(ctx context.Context, keyID string) (*Actor, error) {
	if a, ok := db.actors.get(keyID); ok {
		return a, nil
	}
	gen := db.actors.generation()
	a, err := db.actorRead(ctx, actorByKeyID, keyID)
	if err != nil {
		return nil, err
	}
	db.actors.put(gen, a)
	return a, nil
}

// The hot lookups of one actor, kept compiled.
const (
	actorByURI   = actorSelect + "WHERE a.uri = ?"
	actorByKeyID = actorSelect + "WHERE a.key_id = ?"
)

// actorRead returns the one actor a fixed query finds, in a single
// SELECT outside any transaction: one statement reads one snapshot.
func (db *DB) actorRead(ctx context.Context, query string, args ...any) (*Actor, error) {
	a, err := scanActor(db.queryRowFixed(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(ENotFound, "No such account.")
	}
	if err != nil {
		return nil, fmt.Errorf("find actor: %w", err)
	}
	return a, nil
}

// ActorByHandle returns the actor known as username@host.
func (db *DB) ActorByHandle(ctx context.Context, username, host string) (*Actor, error) {
	return db.actorWhere(ctx, "a.username = ? AND a.host = ? ORDER BY a.updated_at DESC LIMIT 1",
		username, strings.ToLower(host))
}

// InstanceActor returns the instance's own actor.
func (db *DB) InstanceActor(ctx context.Context) (*Actor, error) {
	return db.ActorByURI(ctx, db.Site.InstanceActorURI())
}

// SigningKey returns the key id and private key of a local actor.
func (db *DB) SigningKey(ctx context.Context, actorID string) (keyID string, privatePEM string, err error) {
	err = db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT key_id, private_key_pem FROM actors WHERE id = ? AND local = 1`, actorID).
			Scan(&keyID, &privatePEM)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", Errorf(ENotFound, "No such local actor.")
	}
	if err != nil {
		return "", "", fmt.Errorf("signing key of %s: %w", actorID, err)
	}
	return keyID, privatePEM, nil
}

// insertLocalActor stores the actor of a local member or of the instance.
func (tx *Tx) insertLocalActor(ctx context.Context, id, kind, username, uri, profileURL string, keys keyPair) error {
	site := tx.db.Site
	_, err := tx.ExecContext(ctx, `
		INSERT INTO actors (id, uri, kind, local, username, host, url, inbox, shared_inbox, outbox,
			followers_uri, following_uri, discoverable, published, key_id, public_key_pem, private_key_pem,
			created_at, updated_at)
		VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`,
		id, uri, kind, username, site.Domain, profileURL, uri+"/inbox", site.SharedInbox(), uri+"/outbox",
		uri+"/followers", uri+"/following", millis(tx.now), uri+"#main-key", keys.public, keys.private,
		millis(tx.now), millis(tx.now))
	if err != nil {
		return fmt.Errorf("insert actor %s: %w", uri, err)
	}
	return nil
}

// RemoteActor is what another server says about one of its actors.
type RemoteActor struct {
	URI                       string
	Kind                      string
	Username                  string
	DisplayName               string
	Summary                   string // HTML; sanitized before it is stored
	IconURL                   string
	HeaderURL                 string // the actor's image
	URL                       string
	Inbox                     string
	SharedInbox               string
	Outbox                    string
	Followers                 string
	Following                 string
	ManuallyApprovesFollowers bool
	Discoverable              bool
	Published                 time.Time
	KeyID                     string
	PublicKeyPEM              string
	Fields                    []ProfileField // name and ValueHTML; sanitized before they are stored
}

// check enforces what a remote actor must have to be stored.
func (r *RemoteActor) check(site Site) (host string, err error) {
	u, err := url.Parse(r.URI)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", Errorf(EInvalid, "The actor id %q is not an http(s) URL.", r.URI)
	}
	if site.IsLocal(r.URI) {
		return "", Errorf(EForbidden, "The actor %s belongs to this instance.", r.URI)
	}
	switch r.Kind {
	case KindPerson, KindGroup, KindApplication, KindService, KindOrganization:
	default:
		return "", Errorf(EInvalid, "Actors of type %q are not supported.", r.Kind)
	}
	switch {
	case r.Username == "":
		return "", Errorf(EInvalid, "The actor %s has no preferredUsername.", r.URI)
	case !fitsHandle(r.Username):
		return "", Errorf(EInvalid, "The preferredUsername of the actor %s cannot be part of a handle.", r.URI)
	case r.Inbox == "":
		return "", Errorf(EInvalid, "The actor %s has no inbox.", r.URI)
	case r.KeyID == "" || r.PublicKeyPEM == "":
		return "", Errorf(EInvalid, "The actor %s has no public key.", r.URI)
	}
	for _, field := range []struct{ name, value string }{
		{"inbox", r.Inbox}, {"shared inbox", r.SharedInbox}, {"outbox", r.Outbox},
		{"followers", r.Followers}, {"following", r.Following}, {"icon", r.IconURL}, {"url", r.URL},
	} {
		if err := checkWebURL(field.name+" of the actor", field.value); err != nil {
			return "", err
		}
	}
	return strings.ToLower(u.Host), nil
}

// fitsHandle reports whether a remote actor's name can be shown in
// @name@host and be a segment of a profile path: valid UTF-8 without
// control, format (bidi overrides, zero-width) or space characters, and
// none of the characters that end a name or a path segment. Servers
// differ on what else a name may hold (Mastodon takes ASCII only), so
// letters of any script stay allowed.
func fitsHandle(name string) bool {
	return utf8.ValidString(name) && !strings.ContainsFunc(name, func(r rune) bool {
		return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Z) || strings.ContainsRune(`@/\?#%`, r)
	})
}

// SaveRemoteActor stores a remote actor, or updates the stored copy.
// A key that cannot verify signatures is never stored: a new actor with
// one is refused, and an update bringing one keeps the key it had (and
// the rest of the update), or every later request of the actor would be
// refused until its key happened to be fetched again.
func (db *DB) SaveRemoteActor(ctx context.Context, r RemoteActor) (*Actor, error) {
	host, err := r.check(db.Site)
	if err != nil {
		return nil, err
	}
	r.Summary = sanitizeHTML(r.Summary)
	r.DisplayName = cleanLine(r.DisplayName, maxDisplayNameLength*2)
	var a *Actor
	err = db.write(ctx, func(tx *Tx) error {
		if gone, err := tx.isTombstoned(ctx, r.URI); err != nil || gone {
			if gone {
				return Errorf(EConflict, "The account %s was deleted.", r.URI)
			}
			return err
		}
		if err := tx.keepUsableKey(ctx, &r); err != nil {
			return err
		}
		// The key id too: another actor may have had it.
		tx.forgetActor(r.URI)
		tx.forgetActor(r.KeyID)
		// An account dated before 1970 is stored as of unknown age (0).
		published := int64(0)
		if t := remoteTime(r.Published, tx.now); !t.IsZero() {
			published = millis(t)
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO actors (id, uri, kind, local, username, host, display_name, summary, icon_url, url,
				inbox, shared_inbox, outbox, followers_uri, following_uri, manually_approves, discoverable,
				published, key_id, public_key_pem, fetched_at, created_at, updated_at)
			VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (uri) DO UPDATE SET kind = excluded.kind, username = excluded.username,
				display_name = excluded.display_name, summary = excluded.summary, icon_url = excluded.icon_url,
				url = excluded.url, inbox = excluded.inbox, shared_inbox = excluded.shared_inbox,
				outbox = excluded.outbox, followers_uri = excluded.followers_uri,
				following_uri = excluded.following_uri, manually_approves = excluded.manually_approves,
				discoverable = excluded.discoverable, published = excluded.published, key_id = excluded.key_id,
				public_key_pem = excluded.public_key_pem, fetched_at = excluded.fetched_at,
				updated_at = excluded.updated_at
			WHERE actors.local = 0`,
			tx.newID(), r.URI, r.Kind, r.Username, host, r.DisplayName, r.Summary, r.IconURL, r.URL,
			r.Inbox, r.SharedInbox, r.Outbox, r.Followers, r.Following, r.ManuallyApprovesFollowers,
			r.Discoverable, published, r.KeyID, r.PublicKeyPEM, millis(tx.now), millis(tx.now), millis(tx.now))
		if err != nil {
			return fmt.Errorf("save actor %s: %w", r.URI, err)
		}
		if err := tx.setActorImage(ctx, r.URI, r.HeaderURL); err != nil {
			return err
		}
		if a, err = tx.actorWhere(ctx, "a.uri = ?", r.URI); err != nil {
			return err
		}
		return tx.replaceFields(ctx, a.ID, remoteFields(r.Fields))
	})
	return a, err
}

// keepUsableKey replaces a key of r that cannot verify signatures with
// the stored actor's key, or refuses r when there is none.
func (tx *Tx) keepUsableKey(ctx context.Context, r *RemoteActor) error {
	if _, err := ParsePublicKey(r.PublicKeyPEM); err == nil {
		return nil
	}
	stored, err := tx.actorWhere(ctx, "a.uri = ?", r.URI)
	if ErrorCode(err) == ENotFound {
		return Errorf(EInvalid, "The public key of %s is not usable.", r.URI)
	}
	if err != nil {
		return err
	}
	r.KeyID, r.PublicKeyPEM = stored.KeyID, stored.PublicKeyPEM
	return nil
}
