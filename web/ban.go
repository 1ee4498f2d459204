package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// subwikiBansPage is the data of a subwiki's bans, which its moderators
// and the admins see.
type subwikiBansPage struct {
	Subwiki *storage.Subwiki
	Bans    []*storage.SubwikiBan
	Form    banForm
}

// banForm is what a moderator typed to ban someone.
type banForm struct {
	Account string
	Reason  string
	Until   string // a date, YYYY-MM-DD, or ""
	Error   string
}

// subwikiBans lists the bans in force, with the form for a new one.
func (s *Server) subwikiBans(w http.ResponseWriter, r *http.Request) {
	sub, _, err := s.subwikiNamed(r)
	if err != nil {
		s.failSubwiki(w, r, err)
		return
	}
	s.renderBans(w, r, http.StatusOK, sub, banForm{})
}

// renderBans shows the bans page; storage decides who may see it.
func (s *Server) renderBans(w http.ResponseWriter, r *http.Request, status int, sub *storage.Subwiki, form banForm) {
	bans, err := s.db.SubwikiBans(r.Context(), currentMember(r).ID, sub.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "subwiki_bans", "Bans in s/"+sub.Name, subwikiBansPage{Subwiki: sub, Bans: bans, Form: form})
}

// banAccount bans the account named in the form (a name here or
// @name@server elsewhere) from the subwiki, until the end of the date
// given or until lifted.
func (s *Server) banAccount(w http.ResponseWriter, r *http.Request) {
	sub, _, err := s.subwikiNamed(r)
	if err != nil {
		s.failSubwiki(w, r, err)
		return
	}
	form := banForm{Account: strings.TrimSpace(r.PostForm.Get("account")), Reason: r.PostForm.Get("reason"),
		Until: strings.TrimSpace(r.PostForm.Get("until"))}
	refuse := func(err error) {
		status, msg := s.failure(r, err)
		form.Error = msg
		s.renderBans(w, r, status, sub, form)
	}
	until, err := banEnd(form.Until)
	if err != nil {
		refuse(err)
		return
	}
	if form.Account == "" {
		refuse(storage.Errorf(storage.EInvalid, "Name the account to ban: a name here, or @name@server."))
		return
	}
	account, err := s.lookUp(r, form.Account)
	if err != nil {
		refuse(err)
		return
	}
	_, err = s.db.BanFromSubwiki(r.Context(), storage.BanCreate{ByMemberID: currentMember(r).ID, SubwikiID: sub.ID,
		AccountID: account.ID, Reason: form.Reason, Until: until})
	if err != nil {
		refuse(err)
		return
	}
	s.redirect(w, r, "/s/"+sub.Name+"/bans", account.Handle()+" is banned from s/"+sub.Name+".")
}

// liftBan ends a ban before its time.
func (s *Server) liftBan(w http.ResponseWriter, r *http.Request) {
	sub, _, err := s.subwikiNamed(r)
	if err != nil {
		s.failSubwiki(w, r, err)
		return
	}
	if err := s.db.LiftBan(r.Context(), currentMember(r).ID, sub.ID, mux.Vars(r)["id"]); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/s/"+sub.Name+"/bans", "The ban is lifted.")
}

// banEnd reads the date a ban lasts through: it ends when that day ends
// in UTC. An empty date means until lifted.
func banEnd(date string) (time.Time, error) {
	if date == "" {
		return time.Time{}, nil
	}
	day, err := time.Parse("2006-01-02", date)
	if err != nil {
		return time.Time{}, storage.Errorf(storage.EInvalid, "The end of the ban must be a date like 2027-01-31.")
	}
	return day.AddDate(0, 0, 1), nil
}
