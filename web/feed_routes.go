package web

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// feedRoutes serves the news feeds (Atom) of the instance, of each
// subwiki and of each member. They sit outside the site's CSRF
// middleware: a feed is the same for every reader, and a cookie set on
// it would keep caches from sharing it.
func (s *Server) feedRoutes(r *mux.Router) {
	get := []string{http.MethodGet, http.MethodHead}
	r.HandleFunc("/feed.atom", s.publicAtom).Methods(get...)
	r.HandleFunc("/s/{name}/feed.atom", s.subwikiAtom).Methods(get...)
	r.HandleFunc("/@{name}/feed.atom", s.memberAtom).Methods(get...)
}

// publicAtom serves the instance's public timeline: its members' public
// posts, as a visitor's front page shows them.
func (s *Server) publicAtom(w http.ResponseWriter, r *http.Request) {
	page, err := s.db.PublicFeed(r.Context(), storage.Stranger, "", newsFeedSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newsFeed{Title: s.cfg.InstanceName, Subtitle: s.cfg.Description, Path: "/feed.atom", PagePath: "/", Posts: page.Posts}
	if len(page.Posts) == 0 {
		// A new instance's feed is dated by the instance's beginning.
		inst, err := s.db.InstanceActor(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		f.Changed = inst.Published
	}
	s.serveNewsFeed(w, r, f)
}

// subwikiAtom serves the public posts of a subwiki here.
func (s *Server) subwikiAtom(w http.ResponseWriter, r *http.Request) {
	sub, err := s.db.SubwikiByName(r.Context(), mux.Vars(r)["name"])
	if err != nil {
		s.failSubwiki(w, r, err)
		return
	}
	page, err := s.db.PublicSubwikiFeed(r.Context(), sub.ID, "", newsFeedSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.serveNewsFeed(w, r, newsFeed{
		Title:    sub.Title + " (s/" + sub.Name + ") · " + s.cfg.InstanceName,
		Subtitle: sub.Description,
		Path:     "/s/" + sub.Name + "/feed.atom",
		PagePath: "/s/" + sub.Name,
		Posts:    page.Posts,
		Changed:  later(sub.CreatedAt, sub.UpdatedAt),
	})
}

// memberAtom serves the public posts of a member here. Accounts on
// other servers have feeds of their own there; a suspended member has
// none while the suspension lasts.
func (s *Server) memberAtom(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	m, err := s.feedMember(r)
	if err != nil {
		if storage.ErrorCode(err) == storage.ENotFound {
			s.renderError(w, r, http.StatusNotFound, "There is no member with this name here.")
			return
		}
		s.fail(w, r, err)
		return
	}
	page, err := s.db.PublicPostsBy(ctx, m.ID, "", newsFeedSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.serveNewsFeed(w, r, newsFeed{
		Title:    m.DisplayName + " (@" + m.Username + "@" + s.cfg.Domain + ")",
		Subtitle: m.Bio,
		Path:     "/@" + m.Username + "/feed.atom",
		PagePath: "/@" + m.Username,
		Posts:    page.Posts,
		Changed:  later(m.CreatedAt, m.UpdatedAt),
	})
}

// feedMember is the active member the path names, by name or by their
// handle here; anyone else is not found.
func (s *Server) feedMember(r *http.Request) (*storage.Member, error) {
	ctx := r.Context()
	user, host, full := strings.Cut(mux.Vars(r)["name"], "@")
	if full && !strings.EqualFold(host, s.cfg.Domain) {
		return nil, storage.Errorf(storage.ENotFound, "No such member.")
	}
	m, err := s.db.MemberByUsername(ctx, user)
	if err != nil {
		return nil, err
	}
	if m.Status != storage.MemberActive {
		return nil, storage.Errorf(storage.ENotFound, "No such member.")
	}
	susp, err := s.db.SuspensionOf(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	if susp != nil {
		return nil, storage.Errorf(storage.ENotFound, "No such member.")
	}
	return m, nil
}
