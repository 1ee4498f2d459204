package web

import (
	"bytes"
	"html/template"
	"net/http"

	"github.com/yuin/goldmark"
)

// privacyPage is the data of /privacy: the instance's policy, or nil
// for the default text, which says what Tidings itself stores.
type privacyPage struct {
	Policy template.HTML
}

// privacy shows the instance's privacy policy.
func (s *Server) privacy(w http.ResponseWriter, r *http.Request) {
	var page privacyPage
	if s.cfg.PrivacyPolicy != "" {
		html, err := policyHTML(s.cfg.PrivacyPolicy)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page.Policy = html
	}
	s.render(w, r, http.StatusOK, "privacy", "Privacy", page)
}

// policyHTML renders the admin's Markdown. goldmark's defaults leave raw
// HTML out and refuse javascript: and similar links, so even a policy
// pasted from elsewhere cannot run a script on the page; the config file
// is the admin's, and CommonMark (headings included) is theirs to use.
func policyHTML(markdown string) (template.HTML, error) {
	var b bytes.Buffer
	if err := goldmark.Convert([]byte(markdown), &b); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}
