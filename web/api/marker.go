package api

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// marker is Mastodon's Marker entity (entities/Marker.md).
type marker struct {
	LastReadID string `json:"last_read_id"`
	Version    int    `json:"version"`
	UpdatedAt  string `json:"updated_at"`
}

// markerTimelines are the timelines a marker is kept for.
var markerTimelines = []string{storage.MarkerHome, storage.MarkerNotifications}

// markerRoutes are where the member's apps last read home and the
// notifications.
func (a *API) markerRoutes(r *mux.Router) {
	r.Handle("/api/v1/markers", a.signedIn("read read:statuses", a.showMarkers)).Methods(http.MethodGet)
	r.Handle("/api/v1/markers", a.signedIn("write write:statuses", a.saveMarkers)).Methods(http.MethodPost)
}

// markerEntities are the markers by timeline: {} when none is set, as
// Mastodon answers, never null.
func markerEntities(list map[string]*storage.Marker) map[string]marker {
	out := map[string]marker{}
	for name, m := range list {
		out[name] = marker{LastReadID: m.LastReadID, Version: m.Version, UpdatedAt: apiTime(m.UpdatedAt)}
	}
	return out
}

// showMarkers answers the member's markers of the timelines asked (GET
// /api/v1/markers?timeline[]=home&timeline[]=notifications).
func (a *API) showMarkers(w http.ResponseWriter, r *http.Request, c *caller) {
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	list, err := a.db.Markers(r.Context(), c.Member.ID, p.strings("timeline"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, markerEntities(list))
}

// saveMarkers sets the markers sent (POST /api/v1/markers with
// home[last_read_id] and notifications[last_read_id]) and answers them.
func (a *API) saveMarkers(w http.ResponseWriter, r *http.Request, c *caller) {
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	saved := map[string]*storage.Marker{}
	for _, name := range markerTimelines {
		key := name + "[last_read_id]"
		if !p.has(key) {
			continue
		}
		m, err := a.db.SetMarker(r.Context(), c.Member.ID, name, p.string(key))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		saved[name] = m
	}
	if len(saved) == 0 {
		a.fail(w, r, unprocessable("Send home[last_read_id] or notifications[last_read_id]."))
		return
	}
	writeJSON(w, http.StatusOK, markerEntities(saved))
}
