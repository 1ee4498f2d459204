package api

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

func (a *API) appRoutes(r *mux.Router) {
	r.HandleFunc("/api/v1/apps", a.createApp).Methods(http.MethodPost)
	r.Handle("/api/v1/apps/verify_credentials", a.appSignedIn("", a.verifyApp)).Methods(http.MethodGet)
}

// appEntity is Mastodon's Application, with the credentials only right
// after registration.
type appEntity struct {
	ID                    string   `json:"id"`
	Name                  string   `json:"name"`
	Website               *string  `json:"website"`
	Scopes                []string `json:"scopes"`
	RedirectURI           string   `json:"redirect_uri"`
	RedirectURIs          []string `json:"redirect_uris"`
	ClientID              string   `json:"client_id,omitempty"`
	ClientSecret          string   `json:"client_secret,omitempty"`
	ClientSecretExpiresAt *int     `json:"client_secret_expires_at,omitempty"`
	VapidKey              string   `json:"vapid_key"`
}

func newAppEntity(app *storage.OAuthApp) appEntity {
	e := appEntity{ID: app.ID, Name: app.Name, Scopes: app.Scopes, RedirectURI: strings.Join(app.RedirectURIs, "\n"),
		RedirectURIs: app.RedirectURIs}
	if app.Website != "" {
		e.Website = &app.Website
	}
	return e
}

// createApp registers an app (POST /api/v1/apps).
func (a *API) createApp(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	app, err := a.db.CreateOAuthApp(r.Context(), storage.OAuthAppCreate{
		Name: p.string("client_name"), Website: p.string("website"),
		RedirectURIs: p.strings("redirect_uris"), Scopes: p.string("scopes"),
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	e := newAppEntity(app)
	never := 0
	e.ClientID, e.ClientSecret, e.ClientSecretExpiresAt = app.ClientID, app.ClientSecret, &never
	writeJSON(w, http.StatusOK, e)
}

// verifyApp answers the app of the token (GET /api/v1/apps/verify_credentials).
func (a *API) verifyApp(w http.ResponseWriter, r *http.Request, c *caller) {
	writeJSON(w, http.StatusOK, newAppEntity(c.Grant.App))
}
