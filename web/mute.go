package web

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// mutesPage is the data of /settings/mutes.
type mutesPage struct {
	List  *storage.MuteList
	Error string
}

// mutes shows what the member muted and blocked, with undo buttons and
// the form for muted words.
func (s *Server) mutes(w http.ResponseWriter, r *http.Request) {
	s.renderMutes(w, r, http.StatusOK, "")
}

func (s *Server) renderMutes(w http.ResponseWriter, r *http.Request, status int, problem string) {
	list, err := s.db.Mutes(r.Context(), currentMember(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "settings_mutes", "Mutes and blocks", mutesPage{List: list, Error: problem})
}

// muteActions are the operations of /mute, /unmute, /block and
// /unblock, with what the member is told after each.
var muteActions = map[string]struct {
	op   func(*storage.DB, context.Context, string, string) error
	done string
}{
	"mute":    {(*storage.DB).Mute, "You muted %s: their posts leave your feeds."},
	"unmute":  {(*storage.DB).Unmute, "You no longer mute %s."},
	"block":   {(*storage.DB).Block, "You blocked %s: you no longer follow each other, and they cannot reach you."},
	"unblock": {(*storage.DB).Unblock, "You no longer block %s."},
}

// muteAction mutes, unmutes, blocks or unblocks the account or subwiki in
// the form's actor field.
func (s *Server) muteAction(w http.ResponseWriter, r *http.Request) {
	a := muteActions[mux.Vars(r)["verb"]]
	s.actOnActor(w, r, a.op, a.done)
}

// actOnActor runs a mute or block operation on the actor in the form and
// goes back to where the form was (the settings page, or the actor's
// page).
func (s *Server) actOnActor(w http.ResponseWriter, r *http.Request,
	op func(*storage.DB, context.Context, string, string) error, done string) {
	target, err := s.db.ActorByID(r.Context(), r.PostForm.Get("actor"))
	if err == nil {
		err = op(s.db, r.Context(), currentMember(r).ID, target.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	label := target.Handle()
	if target.Kind == storage.KindGroup {
		label = groupLabel(target)
	}
	to := profilePath(target)
	if r.PostForm.Get("from") == "settings" {
		to = "/settings/mutes"
	}
	s.redirect(w, r, to, fmt.Sprintf(done, label))
}

// muteWord adds a word to the member's muted words.
func (s *Server) muteWord(w http.ResponseWriter, r *http.Request) {
	word := r.PostForm.Get("word")
	if err := s.db.MuteWord(r.Context(), currentMember(r).ID, word); err != nil {
		if storage.ErrorCode(err) == storage.EInvalid {
			s.renderMutes(w, r, http.StatusBadRequest, storage.ErrorMessage(err))
			return
		}
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/settings/mutes", "Posts with “"+word+"” leave your feeds.")
}

// unmuteWord takes a word off the member's muted words.
func (s *Server) unmuteWord(w http.ResponseWriter, r *http.Request) {
	if err := s.db.UnmuteWord(r.Context(), currentMember(r).ID, r.PostForm.Get("word")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/settings/mutes", "You no longer mute “"+r.PostForm.Get("word")+"”.")
}
