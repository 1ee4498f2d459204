package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// templateFuncs are the helpers templates may call.
var templateFuncs = template.FuncMap{
	"date": func(t time.Time) string { return t.Format("2 January 2006") },
	"datetime": func(t time.Time) string {
		return t.Format("2 Jan 2006, 15:04 MST")
	},
	"isoTime":      func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"query":        url.QueryEscape,
	"initial":      initial,
	"profilePath":  profilePath,
	"avatar":       avatarOf,
	"domain":       linkDomain,
	"excerpt":      excerpt,
	"groupPath":    groupPath,
	"groupLabel":   groupLabel,
	"postPath":     postPath,
	"threadItem":   threadItemOf,
	"feedItem":     feedItemOf,
	"diff":         diffWords,
	"ruleName":     ruleName,
	"showOriginal": showOriginal,
	"attachment":   attachmentPath,
	"imageSlots":   imageSlotsOf,
	"header":       headerPath,
	// trusted marks HTML that storage made safe: sanitized remote HTML,
	// or escaped text of local members.
	"trusted": func(html string) template.HTML { return template.HTML(html) },

	"flagCategories": func() []string { return storage.FlagCategories },
	"flagLabel":      storage.FlagCategoryLabel,
}

// feedItem is a post in a feed, with the viewer, who may want to see
// the original headline beside a corrected one.
type feedItem struct {
	Post *storage.Post
	Me   *storage.Member
}

// feedItemOf is the post p in a feed on the page v.
func feedItemOf(v view, p *storage.Post) feedItem { return feedItem{Post: p, Me: v.Me} }

// ShowOriginal reports whether the viewer chose to see the first
// headline beside a corrected one, and it differs from the current.
func (f feedItem) ShowOriginal() bool { return showOriginal(f.Me, f.Post) }

// showOriginal reports whether the member chose to see the first
// headline beside a corrected one, and the post's differs from its
// current headline (a revert may have restored it).
func showOriginal(me *storage.Member, p *storage.Post) bool {
	return me != nil && me.ShowOriginalHeadlines && p.FirstHeadline != "" && p.FirstHeadline != p.Headline
}

// avatarData is what the avatar template shows.
type avatarData struct {
	URL  string
	Name string
}

// avatarOf reads the picture and name of a member or an actor.
func avatarOf(v any) avatarData {
	switch x := v.(type) {
	case *storage.Member:
		return avatarData{URL: storage.MediaPath(storage.MediaAvatar, x.ID, 0, x.AvatarURL), Name: x.DisplayName}
	case *storage.Actor:
		name := x.DisplayName
		if name == "" {
			name = x.Username
		}
		return avatarData{URL: storage.MediaPath(storage.MediaAvatar, x.ID, 0, x.IconURL), Name: name}
	}
	return avatarData{Name: "?"}
}

// initial is the first letter of a name, for an avatar placeholder.
func initial(name string) string {
	for _, r := range name {
		return strings.ToUpper(string(r))
	}
	return "?"
}

// view is what every page template receives: the layout's data and the
// page's own in Data.
type view struct {
	Title string
	Site  Config
	Me    *storage.Member
	CSRF  string
	Flash string
	Path  string
	// Unread counts the member's unread notifications, for the nav.
	Unread int
	// Feeds are the news feeds of the page, advertised in its head.
	Feeds []feedLink
	Data  any

	// Deletion is the member's pending deletion of their account, for
	// the banner that offers to cancel it.
	Deletion *storage.AccountDeletion
}

// feedLink is a news feed (Atom) a page advertises with
// <link rel="alternate">, for news readers to find.
type feedLink struct {
	Title string
	Href  string
}

// feedAdvertiser is page data that has news feeds of its own.
type feedAdvertiser interface {
	feedLinks() []feedLink
}

// render writes the page with the status. Templates are executed into a
// buffer first, so a template error never leaves half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	t, err := s.pages.page(name)
	if err != nil {
		s.log.Error("page template", "name", name, "err", err)
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
		return
	}
	v := view{
		Title: title,
		Site:  s.cfg,
		Me:    currentMember(r),
		CSRF:  s.csrfToken(r),
		Flash: s.takeFlash(w, r),
		Path:  r.URL.Path,
		Data:  data,
	}
	if f, ok := data.(feedAdvertiser); ok {
		v.Feeds = f.feedLinks()
	}
	if v.Me != nil {
		n, err := s.db.UnreadNotifications(r.Context(), v.Me.ID)
		if err != nil {
			s.log.Error("count unread notifications", "member", v.Me.ID, "err", err)
		}
		v.Unread = n
		if v.Deletion, err = s.db.AccountDeletionOf(r.Context(), v.Me.ID); err != nil {
			s.log.Error("find pending deletion", "member", v.Me.ID, "err", err)
		}
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		s.log.Error("render page", "name", name, "err", err)
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

const flashCookie = "tidings_flash"

// setFlash leaves a short message for the next page shown, after a
// redirect.
func (s *Server) setFlash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: s.cfg.secureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

// takeFlash returns the message left by setFlash and removes it.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.secureCookies(), SameSite: http.SameSiteLaxMode,
	})
	msg, err := url.QueryUnescape(c.Value)
	if err != nil {
		return ""
	}
	return msg
}

// redirect sends the browser to a page after a successful form.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		s.setFlash(w, flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}
