package api

import "net/http"

// preferences is Mastodon's Preferences (entities/Preferences.md). A
// member's posts here are public and their images shown; spoilers stay
// folded, as the site shows content warnings.
type preferences struct {
	Visibility     string  `json:"posting:default:visibility"`
	Sensitive      bool    `json:"posting:default:sensitive"`
	Language       *string `json:"posting:default:language"`
	ExpandMedia    string  `json:"reading:expand:media"`
	ExpandSpoilers bool    `json:"reading:expand:spoilers"`
}

// preferences answers GET /api/v1/preferences.
func (a *API) preferences(w http.ResponseWriter, r *http.Request, c *caller) {
	writeJSON(w, http.StatusOK, preferences{Visibility: "public", ExpandMedia: "default"})
}
