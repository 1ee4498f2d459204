package web

import (
	"net/http"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// directoryPageSize is how many subwikis the directory lists at once.
const directoryPageSize = 50

// directoryPage is the data of the subwiki directory.
type directoryPage struct {
	Query    string
	Subwikis []*storage.SubwikiListing
	Next     string // the name to list after, for the next page
}

// directory lists the subwikis of this instance alphabetically, those
// matching the search words when there are some.
func (s *Server) directory(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page := directoryPage{Query: strings.TrimSpace(q.Get("q"))}
	list, err := s.db.Subwikis(r.Context(), storage.SubwikiFilter{
		Query: page.Query, Before: q.Get("after"), Limit: directoryPageSize,
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page.Subwikis = list
	if len(list) == directoryPageSize {
		page.Next = list[len(list)-1].Name
	}
	s.render(w, r, http.StatusOK, "subwikis", "Subwikis", page)
}

// subwikiForm is the data of the form that creates a subwiki.
type subwikiForm struct {
	Name        string
	Title       string
	Description string
	Rules       string
	MembersOnly bool
	EditableBy  string // who may correct headlines: "" for the instance's rule (settings only)
	Error       string
}

func (s *Server) newSubwikiForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "subwiki_new", "Create a subwiki", subwikiForm{})
}

// createSubwiki creates the subwiki with the member as its moderator.
func (s *Server) createSubwiki(w http.ResponseWriter, r *http.Request) {
	form := subwikiForm{
		Name:        strings.ToLower(strings.TrimSpace(r.PostForm.Get("name"))),
		Title:       r.PostForm.Get("title"),
		Description: r.PostForm.Get("description"),
		Rules:       r.PostForm.Get("rules"),
		MembersOnly: r.PostForm.Get("members_only") == "1",
	}
	sub, err := s.db.CreateSubwiki(r.Context(), storage.SubwikiCreate{
		Name: form.Name, Title: form.Title, Description: form.Description, Rules: form.Rules, MembersOnly: form.MembersOnly,
	}, currentMember(r).ID)
	if err != nil {
		status, msg := s.failure(r, err)
		form.Error = msg
		s.render(w, r, status, "subwiki_new", "Create a subwiki", form)
		return
	}
	s.redirect(w, r, "/s/"+sub.Name, "s/"+sub.Name+" is ready. You are its moderator.")
}
