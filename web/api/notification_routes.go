package api

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// maxNotificationsLimit is the most notifications a page holds, as in
// Mastodon.
const maxNotificationsLimit = 80

// notificationRoutes are the member's notifications. Reading them marks
// nothing read: the site's page does that, and apps keep a marker.
func (a *API) notificationRoutes(r *mux.Router) {
	read, write := "read read:notifications", "write write:notifications"
	r.Handle("/api/v1/notifications", a.signedIn(read, a.listNotifications)).Methods(http.MethodGet)
	r.Handle("/api/v1/notifications/unread_count", a.signedIn(read, a.unreadNotificationCount)).Methods(http.MethodGet)
	r.Handle("/api/v1/notifications/clear", a.signedIn(write, a.clearNotifications)).Methods(http.MethodPost)
	r.Handle("/api/v1/notifications/{id}", a.signedIn(read, a.showNotification)).Methods(http.MethodGet)
	r.Handle("/api/v1/notifications/{id}/dismiss", a.signedIn(write, a.dismissNotification)).Methods(http.MethodPost)
}

// listNotifications answers a page of the member's notifications (GET
// /api/v1/notifications) of the types asked, and not excluded, from one
// account or all.
func (a *API) listNotifications(w http.ResponseWriter, r *http.Request, c *caller) {
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	page, err := readPage(p, maxNotificationsLimit)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	f := storage.NotificationFilter{Kinds: noticeKinds(p.strings("types"), p.strings("exclude_types")),
		ActorID: p.string("account_id")}
	list, err := a.db.NotificationsPage(r.Context(), c.Member.ID, f, page)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out, err := a.notifications(r.Context(), c.Member.ID, list.Notifications)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if n := len(list.Notifications); n > 0 {
		a.setLinks(w, r, list.Notifications[0].ID, list.Notifications[n-1].ID)
	}
	writeJSON(w, http.StatusOK, out)
}

// showNotification answers one of the member's notifications.
func (a *API) showNotification(w http.ResponseWriter, r *http.Request, c *caller) {
	n, err := a.db.NotificationByID(r.Context(), c.Member.ID, mux.Vars(r)["id"])
	if err != nil {
		a.failPost(w, r, err)
		return
	}
	out, err := a.notifications(r.Context(), c.Member.ID, []*storage.Notification{n})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if len(out) == 0 {
		writeError(w, http.StatusNotFound, recordNotFound)
		return
	}
	writeJSON(w, http.StatusOK, out[0])
}

// dismissNotification removes one of the member's notifications.
func (a *API) dismissNotification(w http.ResponseWriter, r *http.Request, c *caller) {
	if err := a.db.DismissNotification(r.Context(), c.Member.ID, mux.Vars(r)["id"]); err != nil {
		a.failPost(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

// clearNotifications removes all of the member's notifications.
func (a *API) clearNotifications(w http.ResponseWriter, r *http.Request, c *caller) {
	if err := a.db.ClearNotifications(r.Context(), c.Member.ID); err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

// unreadNotificationCount answers how many notifications the member has
// not read, as the site's badge counts them.
func (a *API) unreadNotificationCount(w http.ResponseWriter, r *http.Request, c *caller) {
	n, err := a.db.UnreadNotifications(r.Context(), c.Member.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"count": n})
}
