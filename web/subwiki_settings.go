package web

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// subwikiSettingsPage is the data of a subwiki's settings, which only
// its moderators see.
type subwikiSettingsPage struct {
	Subwiki     *storage.Subwiki
	Form        subwikiForm // the description being edited
	Moderators  []*storage.Member
	Requests    []*storage.Actor // waiting to join a members-only subwiki
	Moderator   string           // the username typed in the add form
	MemberError string           // why adding or removing a moderator failed
	// InstanceRule is who may correct headlines by the instance's rule,
	// which the subwiki follows unless it chooses another.
	InstanceRule string
}

// moderatorsOnly lets only moderators of the subwiki in the path through,
// and hands them the subwiki.
func (s *Server) moderatorsOnly(h func(http.ResponseWriter, *http.Request, *storage.Subwiki)) http.Handler {
	return s.membersOnly(func(w http.ResponseWriter, r *http.Request) {
		sub, _, err := s.subwikiNamed(r)
		if err != nil {
			s.failSubwiki(w, r, err)
			return
		}
		ok, err := s.db.IsModerator(r.Context(), currentMember(r).ID, sub.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !ok {
			s.renderError(w, r, http.StatusForbidden, "Only moderators of s/"+sub.Name+" can open its settings.")
			return
		}
		h(w, r, sub)
	})
}

// renderSubwikiSettings shows the settings with the moderators and the
// requests to join as they are now.
func (s *Server) renderSubwikiSettings(w http.ResponseWriter, r *http.Request, status int, sub *storage.Subwiki, page subwikiSettingsPage) {
	var err error
	page.Subwiki, page.InstanceRule = sub, s.db.Corrections.Who
	if page.Moderators, err = s.db.Moderators(r.Context(), sub.ID); err == nil {
		page.Requests, err = s.db.FollowRequests(r.Context(), sub.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "subwiki_settings", "Settings of s/"+sub.Name, page)
}

func (s *Server) subwikiSettings(w http.ResponseWriter, r *http.Request, sub *storage.Subwiki) {
	s.renderSubwikiSettings(w, r, http.StatusOK, sub, subwikiSettingsPage{Form: subwikiFormOf(sub)})
}

// subwikiFormOf is the settings form filled in with the subwiki as it is.
func subwikiFormOf(sub *storage.Subwiki) subwikiForm {
	return subwikiForm{Name: sub.Name, Title: sub.Title, Description: sub.Description, Rules: sub.Rules, MembersOnly: sub.MembersOnly,
		EditableBy: sub.EditableBy}
}

// saveSubwikiSettings changes the title, description, rules, whether
// joining needs approval and who may correct headlines.
func (s *Server) saveSubwikiSettings(w http.ResponseWriter, r *http.Request, sub *storage.Subwiki) {
	form := subwikiForm{
		Name:        sub.Name,
		Title:       r.PostForm.Get("title"),
		Description: r.PostForm.Get("description"),
		Rules:       r.PostForm.Get("rules"),
		MembersOnly: r.PostForm.Get("members_only") == "1",
		EditableBy:  r.PostForm.Get("editable_by"),
	}
	_, err := s.db.UpdateSubwiki(r.Context(), currentMember(r).ID, sub.ID, storage.SubwikiUpdate{
		Title: &form.Title, Description: &form.Description, Rules: &form.Rules, MembersOnly: &form.MembersOnly,
		EditableBy: &form.EditableBy,
	})
	if err != nil {
		status, msg := s.failure(r, err)
		form.Error = msg
		s.renderSubwikiSettings(w, r, status, sub, subwikiSettingsPage{Form: form})
		return
	}
	s.redirect(w, r, "/s/"+sub.Name+"/settings", "The settings of s/"+sub.Name+" are saved.")
}

// addModerator makes the member named in the form a moderator too.
func (s *Server) addModerator(w http.ResponseWriter, r *http.Request, sub *storage.Subwiki) {
	name := s.normalizeUsername(r.PostForm.Get("username"))
	if err := s.db.AddModerator(r.Context(), currentMember(r).ID, sub.ID, name); err != nil {
		s.refuseModerator(w, r, sub, name, err)
		return
	}
	s.redirect(w, r, "/s/"+sub.Name+"/settings", "@"+name+" moderates s/"+sub.Name+" now.")
}

// removeModerator removes a moderator; the last one stays.
func (s *Server) removeModerator(w http.ResponseWriter, r *http.Request, sub *storage.Subwiki) {
	name := strings.TrimSpace(r.PostForm.Get("username"))
	if err := s.db.RemoveModerator(r.Context(), currentMember(r).ID, sub.ID, name); err != nil {
		s.refuseModerator(w, r, sub, "", err)
		return
	}
	s.redirect(w, r, "/s/"+sub.Name+"/settings", "@"+name+" no longer moderates s/"+sub.Name+".")
}

// refuseModerator shows the settings again with why a change of the
// moderators was refused.
func (s *Server) refuseModerator(w http.ResponseWriter, r *http.Request, sub *storage.Subwiki, typed string, err error) {
	status, msg := s.failure(r, err)
	s.renderSubwikiSettings(w, r, status, sub, subwikiSettingsPage{
		Form: subwikiFormOf(sub), Moderator: typed, MemberError: msg,
	})
}

// decideJoin lets the one who asked to join in, or not.
func (s *Server) decideJoin(w http.ResponseWriter, r *http.Request, sub *storage.Subwiki) {
	ctx := r.Context()
	asker, err := s.db.ActorByID(ctx, r.PostForm.Get("actor"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	approve := mux.Vars(r)["decision"] == "approve"
	if err := s.db.DecideJoin(ctx, currentMember(r).ID, sub.ID, asker.ID, approve); err != nil {
		s.fail(w, r, err)
		return
	}
	msg := asker.Handle() + " is a member of s/" + sub.Name + " now."
	if !approve {
		msg = "You declined the request of " + asker.Handle() + "."
	}
	s.redirect(w, r, "/s/"+sub.Name+"/settings", msg)
}
