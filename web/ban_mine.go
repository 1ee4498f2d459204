package web

import (
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// myBansPage is the data of the page that tells a member where they are
// banned, here and in groups elsewhere.
type myBansPage struct {
	Bans []*storage.SubwikiBan
}

// myBans shows the member the bans in force on them.
func (s *Server) myBans(w http.ResponseWriter, r *http.Request) {
	bans, err := s.db.BansOf(r.Context(), currentMember(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "my_bans", "Your bans", myBansPage{Bans: bans})
}
