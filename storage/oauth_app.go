package storage

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// OAuthApp is a client app registered for the client API.
type OAuthApp struct {
	ID           string
	ClientID     string
	ClientSecret string // only right after CreateOAuthApp; stored hashed
	Name         string
	Website      string
	RedirectURIs []string
	Scopes       []string
	CreatedAt    time.Time
}

// OAuthAppCreate is what an app registers with.
type OAuthAppCreate struct {
	Name         string
	Website      string
	RedirectURIs []string // each one; a value holding several lines is split
	Scopes       string   // space-separated; "" for "read"
}

// OutOfBandRedirect is the redirect URI of an app that shows the code to
// the member to copy instead of being redirected to.
const OutOfBandRedirect = "urn:ietf:wg:oauth:2.0:oob"

// Limits on what an app registers.
const (
	maxAppNameLength   = 200
	maxRedirectURIs    = 20
	maxRedirectURILen  = 2000
	oauthSecretBytes   = 32
	oauthClientIDBytes = 24
)

// randomToken returns a fresh random token of size bytes, URL-safe.
func randomToken(size int) (string, error) {
	raw := make([]byte, size)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

// CreateOAuthApp registers an app and returns it with its client secret,
// which is shown this once.
func (db *DB) CreateOAuthApp(ctx context.Context, c OAuthAppCreate) (*OAuthApp, error) {
	app, err := newOAuthApp(c)
	if err != nil {
		return nil, err
	}
	if app.ClientID, err = randomToken(oauthClientIDBytes); err != nil {
		return nil, err
	}
	if app.ClientSecret, err = randomToken(oauthSecretBytes); err != nil {
		return nil, err
	}
	err = db.write(ctx, func(tx *Tx) error {
		app.ID, app.CreatedAt = tx.newID(), tx.now
		_, err := tx.ExecContext(ctx, `INSERT INTO oauth_apps (id, client_id, client_secret_hash, name, website, redirect_uris, scopes, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, app.ID, app.ClientID, hashToken(app.ClientSecret), app.Name, app.Website,
			strings.Join(app.RedirectURIs, "\n"), strings.Join(app.Scopes, " "), millis(tx.now))
		if err != nil {
			return fmt.Errorf("insert oauth app: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return app, nil
}

// newOAuthApp checks what an app registers with.
func newOAuthApp(c OAuthAppCreate) (*OAuthApp, error) {
	name := strings.TrimSpace(c.Name)
	if name == "" {
		return nil, Errorf(EInvalid, "client_name is missing.")
	}
	if len(name) > maxAppNameLength {
		return nil, Errorf(EInvalid, "client_name is longer than %d characters.", maxAppNameLength)
	}
	website := strings.TrimSpace(c.Website)
	if website != "" {
		if u, err := url.Parse(website); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(website) > maxURLLength {
			return nil, Errorf(EInvalid, "website is not a web address.")
		}
	}
	var uris []string
	for _, v := range c.RedirectURIs {
		for _, line := range strings.Split(v, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				uris = append(uris, line)
			}
		}
	}
	if len(uris) == 0 {
		return nil, Errorf(EInvalid, "redirect_uris is missing.")
	}
	if len(uris) > maxRedirectURIs {
		return nil, Errorf(EInvalid, "redirect_uris has more than %d addresses.", maxRedirectURIs)
	}
	for _, u := range uris {
		if err := checkRedirectURI(u); err != nil {
			return nil, err
		}
	}
	scopes, err := parseScopes(c.Scopes, defaultOAuthScopes)
	if err != nil {
		return nil, err
	}
	return &OAuthApp{Name: name, Website: website, RedirectURIs: uris, Scopes: scopes}, nil
}

// checkRedirectURI accepts an absolute URI without a fragment (an app's
// custom scheme too, like oauth2redirect://app/), or the out-of-band one.
func checkRedirectURI(s string) error {
	if s == OutOfBandRedirect {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Fragment != "" || len(s) > maxRedirectURILen || strings.ContainsAny(s, " \t\r") {
		return Errorf(EInvalid, "The redirect URI %.80q is not an absolute address without a fragment.", s)
	}
	if (u.Scheme == "http" || u.Scheme == "https") && u.Host == "" {
		return Errorf(EInvalid, "The redirect URI %.80q has no host.", s)
	}
	return nil
}

// OAuthAppByClientID returns the app with the client id.
func (db *DB) OAuthAppByClientID(ctx context.Context, clientID string) (*OAuthApp, error) {
	var app *OAuthApp
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		app, err = tx.oauthAppWhere(ctx, "client_id = ?", clientID)
		return err
	})
	return app, err
}

const oauthAppColumns = `id, client_id, name, website, redirect_uris, scopes, created_at`

// oauthAppWhere returns the one app matching cond, or ENotFound.
func (tx *Tx) oauthAppWhere(ctx context.Context, cond string, args ...any) (*OAuthApp, error) {
	var app OAuthApp
	var uris, scopes string
	var created int64
	err := tx.QueryRowContext(ctx, `SELECT `+oauthAppColumns+` FROM oauth_apps WHERE `+cond, args...).
		Scan(&app.ID, &app.ClientID, &app.Name, &app.Website, &uris, &scopes, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(ENotFound, "There is no app with this client id.")
	}
	if err != nil {
		return nil, fmt.Errorf("read oauth app: %w", err)
	}
	app.RedirectURIs = strings.Split(uris, "\n")
	app.Scopes = strings.Fields(scopes)
	app.CreatedAt = fromMillis(created)
	return &app, nil
}

// authenticApp returns the app whose client id and secret these are, or
// EUnauthorized. An empty secret is refused unless mayOmitSecret: a
// public client proves itself by PKCE instead.
func (tx *Tx) authenticApp(ctx context.Context, clientID, secret string, mayOmitSecret bool) (*OAuthApp, error) {
	refused := Errorf(EUnauthorized, "The client is unknown or its secret is wrong.")
	if clientID == "" {
		return nil, refused
	}
	var stored []byte
	err := tx.QueryRowContext(ctx, `SELECT client_secret_hash FROM oauth_apps WHERE client_id = ?`, clientID).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, refused
	}
	if err != nil {
		return nil, fmt.Errorf("read oauth app secret: %w", err)
	}
	if secret == "" && !mayOmitSecret || secret != "" && subtle.ConstantTimeCompare(stored, hashToken(secret)) != 1 {
		return nil, refused
	}
	return tx.oauthAppWhere(ctx, "client_id = ?", clientID)
}
