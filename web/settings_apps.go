package web

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// authorizedAppsPage lists the apps with access to the member's account.
type authorizedAppsPage struct {
	Apps []authorizedApp
}

type authorizedApp struct {
	*storage.AuthorizedApp
	Scopes []scopeText
}

// authorizedApps shows the apps the member authorized (GET /settings/apps).
func (s *Server) authorizedApps(w http.ResponseWriter, r *http.Request) {
	list, err := s.db.AuthorizedApps(r.Context(), currentMember(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var page authorizedAppsPage
	for _, a := range list {
		page.Apps = append(page.Apps, authorizedApp{AuthorizedApp: a, Scopes: describeScopes(a.Scopes)})
	}
	s.render(w, r, http.StatusOK, "settings_apps", "Apps", page)
}

// revokeApp takes an app's access away (POST /settings/apps/{id}/revoke).
func (s *Server) revokeApp(w http.ResponseWriter, r *http.Request) {
	if err := s.db.RevokeAuthorizedApp(r.Context(), currentMember(r).ID, mux.Vars(r)["id"]); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "The app no longer has access to your account.")
	http.Redirect(w, r, "/settings/apps", http.StatusSeeOther)
}
