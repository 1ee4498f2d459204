package web

import (
	"net/http"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// aboutPage is the data of /about: what the instance is, its rules and
// who runs it.
type aboutPage struct {
	Rules  []string
	Admins []*storage.Member
	// Contact is how to reach the people who run the instance, from
	// the config: an email or a web address; "" for none.
	Contact string
}

// ContactHref is the link of the contact: mailto: for an email address.
func (p aboutPage) ContactHref() string {
	if strings.Contains(p.Contact, "://") {
		return p.Contact
	}
	return "mailto:" + p.Contact
}

// about shows the instance's name, description, rules and admins, who
// are the ones to contact.
func (s *Server) about(w http.ResponseWriter, r *http.Request) {
	rules, err := s.db.InstanceRules(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	admins, err := s.db.Admins(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "about", "About "+s.cfg.InstanceName, aboutPage{Rules: rules, Admins: admins, Contact: s.cfg.Contact})
}

// rulesForSignUp returns the rules to show on the sign-up page; the form
// still works, without them, if they cannot be read.
func (s *Server) rulesForSignUp(r *http.Request) []string {
	rules, err := s.db.InstanceRules(r.Context())
	if err != nil {
		s.log.Error("read the instance's rules", "id", requestID(r), "err", err)
	}
	return rules
}
