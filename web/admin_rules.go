package web

import (
	"net/http"
	"strings"
)

// adminRulesPage is the data of the page where admins write the rules.
type adminRulesPage struct {
	Rules string // one a line
	Error string
}

// adminRules shows the instance's rules for editing, one a line.
func (s *Server) adminRules(w http.ResponseWriter, r *http.Request) {
	rules, err := s.db.InstanceRules(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_rules", "The instance's rules", adminRulesPage{Rules: strings.Join(rules, "\n")})
}

// saveAdminRules replaces the rules with the lines of the form.
func (s *Server) saveAdminRules(w http.ResponseWriter, r *http.Request) {
	text := r.PostForm.Get("rules")
	_, err := s.db.SetInstanceRules(r.Context(), currentMember(r).ID, strings.Split(text, "\n"))
	if err != nil {
		status, msg := s.failure(r, err)
		s.render(w, r, status, "admin_rules", "The instance's rules", adminRulesPage{Rules: text, Error: msg})
		return
	}
	s.redirect(w, r, "/admin/rules", "The rules are saved. They are shown on sign-up and at /about.")
}
