package web

import (
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// profileForm is the data of the profile settings form.
type profileForm struct {
	DisplayName               string
	Bio                       string // Markdown
	ManuallyApprovesFollowers bool
	HideNetwork               bool
	ShowOriginalHeadlines     bool
	Fields                    []storage.ProfileField // always storage.MaxProfileFields rows
	FieldLength               int
	Error                     string
}

func (s *Server) profileForm(w http.ResponseWriter, r *http.Request) {
	me := currentMember(r)
	profile, err := s.db.ProfileOf(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "settings_profile", "Edit profile", profileForm{
		DisplayName: me.DisplayName, Bio: profile.BioSource,
		ManuallyApprovesFollowers: me.ManuallyApprovesFollowers, HideNetwork: me.HideNetwork,
		ShowOriginalHeadlines: me.ShowOriginalHeadlines,
		Fields:                fieldRows(profile.Fields), FieldLength: storage.MaxFieldLength,
	})
}

func (s *Server) saveProfile(w http.ResponseWriter, r *http.Request) {
	form := profileForm{
		DisplayName: r.PostForm.Get("display_name"),
		Bio:         r.PostForm.Get("bio"),

		ManuallyApprovesFollowers: r.PostForm.Get("manually_approves_followers") == "1",
		HideNetwork:               r.PostForm.Get("hide_network") == "1",
		ShowOriginalHeadlines:     r.PostForm.Get("show_original_headlines") == "1",
		Fields:                    fieldRows(postedFields(r)),
		FieldLength:               storage.MaxFieldLength,
	}
	fields := postedFields(r)
	m, err := s.db.UpdateProfile(r.Context(), currentMember(r).ID, storage.ProfileUpdate{
		DisplayName: &form.DisplayName, Bio: &form.Bio, BioMentions: s.fed.ResolveMentions(r.Context(), form.Bio),
		Fields:                    &fields,
		ManuallyApprovesFollowers: &form.ManuallyApprovesFollowers, HideNetwork: &form.HideNetwork,
		ShowOriginalHeadlines: &form.ShowOriginalHeadlines,
	})
	if err != nil {
		status, msg := s.failure(r, err)
		form.Error = msg
		s.render(w, r, status, "settings_profile", "Edit profile", form)
		return
	}
	s.redirect(w, r, "/@"+m.Username, "Your profile is saved.")
}

// passwordForm is the data of the change-password form.
type passwordForm struct {
	Error string
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "settings_password", "Change password", passwordForm{})
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	next := r.PostForm.Get("new_password")
	if next != r.PostForm.Get("new_password_again") {
		s.render(w, r, http.StatusBadRequest, "settings_password", "Change password",
			passwordForm{Error: "The two new passwords are not the same."})
		return
	}
	err := s.db.ChangePassword(r.Context(), currentMember(r).ID, r.PostForm.Get("current_password"), next, sessionToken(r))
	if err != nil {
		status, msg := s.failure(r, err)
		s.render(w, r, status, "settings_password", "Change password", passwordForm{Error: msg})
		return
	}
	s.redirect(w, r, "/settings/password", "Your password is changed. Other devices have been signed out.")
}
