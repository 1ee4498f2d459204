package web

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// flagRoutes are the pages where members flag and moderators handle
// flags.
func (s *Server) flagRoutes(site *mux.Router) {
	site.Handle("/posts/{id}/flag", s.membersOnly(s.flagPost)).Methods(http.MethodPost)
	site.Handle("/flag/account", s.membersOnly(s.flagAccount)).Methods(http.MethodPost)
	site.Handle("/flags", s.membersOnly(s.myFlags)).Methods(http.MethodGet)
	site.Handle("/s/{name}/flags", s.membersOnly(s.subwikiFlags)).Methods(http.MethodGet)
	site.Handle("/s/{name}/flags/dismiss", s.membersOnly(s.dismissSubwikiFlags)).Methods(http.MethodPost)
	site.Handle("/admin/flags", s.membersOnly(s.instanceFlags)).Methods(http.MethodGet)
	site.Handle("/admin/flags/dismiss", s.membersOnly(s.dismissInstanceFlags)).Methods(http.MethodPost)
}

// flagThanks is what a member is told once a flag is stored.
const flagThanks = "Thank you: the moderators have your flag. Your flags shows what comes of it."

// flagCreateOf reads the fields of a flag form.
func flagCreateOf(r *http.Request) storage.FlagCreate {
	return storage.FlagCreate{
		ReporterID: currentMember(r).ID,
		Category:   r.PostForm.Get("category"),
		Comment:    r.PostForm.Get("comment"),
		Forward:    r.PostForm.Get("forward") != "",
	}
}

// flagPost flags a post or comment the member may see.
func (s *Server) flagPost(w http.ResponseWriter, r *http.Request) {
	c := flagCreateOf(r)
	c.PostID = mux.Vars(r)["id"]
	if err := s.allow(w, s.limits.flags, c.ReporterID); err != nil {
		s.failPost(w, r, err)
		return
	}
	f, err := s.db.FlagItem(r.Context(), c)
	if err != nil {
		s.failPost(w, r, err)
		return
	}
	s.redirect(w, r, postPath(f.Post), flagThanks)
}

// flagAccount flags an account, here or on another server.
func (s *Server) flagAccount(w http.ResponseWriter, r *http.Request) {
	c := flagCreateOf(r)
	c.AccountID = r.PostForm.Get("actor")
	if c.AccountID == "" {
		s.renderError(w, r, http.StatusBadRequest, "Say which account you flag.")
		return
	}
	if err := s.allow(w, s.limits.flags, c.ReporterID); err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.db.FlagItem(r.Context(), c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, profilePath(f.Account), flagThanks)
}

// myFlags shows the member's flags and what came of each.
func (s *Server) myFlags(w http.ResponseWriter, r *http.Request) {
	flags, err := s.db.MemberFlags(r.Context(), currentMember(r).ID, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "my_flags", "Your flags", flags)
}
