package web

import (
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// domainsPage is the data of the admins' page of blocked and limited
// servers.
type domainsPage struct {
	Blocks []*storage.DomainBlock
	Error  string
	Form   domainForm
}

// domainForm is what an admin typed to block a server, kept when the
// block is refused.
type domainForm struct {
	Host, Level, Reason string
}

func (s *Server) adminDomains(w http.ResponseWriter, r *http.Request) {
	s.renderDomains(w, r, http.StatusOK, domainForm{Level: string(storage.DomainSuspend)}, "")
}

func (s *Server) renderDomains(w http.ResponseWriter, r *http.Request, status int, form domainForm, errMsg string) {
	list, err := s.db.DomainBlocks(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "admin_domains", "Blocked servers", domainsPage{Blocks: list, Error: errMsg, Form: form})
}

func (s *Server) blockDomain(w http.ResponseWriter, r *http.Request) {
	form := domainForm{Host: r.PostFormValue("host"), Level: r.PostFormValue("level"), Reason: r.PostFormValue("reason")}
	b, err := s.db.BlockDomain(r.Context(), storage.DomainBlockCreate{ActorID: currentMember(r).ID, Host: form.Host,
		Level: storage.DomainLevel(form.Level), Reason: form.Reason})
	if err != nil {
		status, msg := s.failure(r, err)
		s.renderDomains(w, r, status, form, msg)
		return
	}
	verb := "suspended"
	if b.Level == storage.DomainLimit {
		verb = "limited"
	}
	s.redirect(w, r, "/admin/domains", b.Host+" is "+verb+".")
}

func (s *Server) unblockDomain(w http.ResponseWriter, r *http.Request) {
	host := r.PostFormValue("host")
	if err := s.db.UnblockDomain(r.Context(), currentMember(r).ID, host); err != nil {
		status, msg := s.failure(r, err)
		s.renderDomains(w, r, status, domainForm{Level: string(storage.DomainSuspend)}, msg)
		return
	}
	s.redirect(w, r, "/admin/domains", "The block of "+host+" is lifted.")
}
