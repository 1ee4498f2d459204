package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// correctionPage is the data of the form that corrects a post's
// headline, or restores an earlier one.
type correctionPage struct {
	Post      *storage.Post
	Authority string // who decides: storage.AuthorityHere, AuthorityOrigin or AuthorityLocalOnly
	Host      string // the server of the post
	Form      correctionForm
	Restore   *storage.Revision // the revision the form restores, for a revert
	Error     string
	Yours     string // the headline the member wrote, when someone else's came first
}

// correctionForm is what the member wrote in the form.
type correctionForm struct {
	Headline     string
	Reason       string
	SourceURL    string
	BaseRevision int
	RevertTo     int
}

// correctionFormOf reads the form as sent; numbers that are not
// numbers read as 0, which storage refuses with the reason.
func correctionFormOf(v url.Values) correctionForm {
	base, _ := strconv.Atoi(v.Get("base_revision"))
	revert, _ := strconv.Atoi(v.Get("revert_to"))
	return correctionForm{
		Headline: v.Get("headline"), Reason: v.Get("reason"), SourceURL: v.Get("source_url"),
		BaseRevision: base, RevertTo: revert,
	}
}

// headlineForm shows the post's headline for correcting, and first who
// decides on it. With ?revert_to=N it restores revision N instead.
func (s *Server) headlineForm(w http.ResponseWriter, r *http.Request) {
	p, err := s.visiblePost(r, mux.Vars(r)["id"])
	if err != nil {
		s.failPost(w, r, err)
		return
	}
	form := correctionForm{Headline: p.Headline, BaseRevision: p.Revision}
	form.RevertTo, _ = strconv.Atoi(r.URL.Query().Get("revert_to"))
	s.renderCorrection(w, r, http.StatusOK, p, correctionPage{Form: form})
}

// correctHeadline applies the member's correction when this server
// decides on it (or keeps it here only when no server does), and
// proposes it to the post's origin when that server decides.
func (s *Server) correctHeadline(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := s.visiblePost(r, mux.Vars(r)["id"])
	if err != nil {
		s.failPost(w, r, err)
		return
	}
	form := correctionFormOf(r.PostForm)
	authority, err := s.db.CorrectionAuthority(ctx, p.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	edit := storage.HeadlineEdit{
		PostID: p.ID, EditorID: currentMember(r).ID, BaseRevision: form.BaseRevision,
		Headline: form.Headline, RevertTo: form.RevertTo, Reason: form.Reason, SourceURL: form.SourceURL,
	}
	if authority == storage.AuthorityOrigin {
		if _, err := s.db.ProposeHeadline(ctx, edit); err != nil {
			s.refuseCorrection(w, r, p.ID, form, err)
			return
		}
		s.redirect(w, r, "/posts/"+p.ID+"/history",
			"Proposed to "+p.Author.Host+"; you'll see its answer on the post's history page.")
		return
	}
	rev, err := s.db.ReviseHeadline(ctx, edit)
	if err != nil {
		s.refuseCorrection(w, r, p.ID, form, err)
		return
	}
	s.redirect(w, r, "/posts/"+p.ID, revisedMessage(rev))
}

// revisedMessage tells the member what their correction did.
func revisedMessage(rev *storage.Revision) string {
	msg := fmt.Sprintf("The headline is corrected: revision %d.", rev.Number)
	if rev.RevertsTo > 0 {
		msg = fmt.Sprintf("Revision %d is restored as revision %d.", rev.RevertsTo, rev.Number)
	}
	if rev.LocalOnly {
		msg += " It is kept on this instance only."
	}
	return msg
}

// refuseCorrection shows the form again with why the correction was
// refused. When someone else's correction came first, the form holds
// the headline as it is now, to check before trying again.
func (s *Server) refuseCorrection(w http.ResponseWriter, r *http.Request, postID string, form correctionForm, err error) {
	status, msg := s.failure(r, err)
	p, perr := s.visiblePost(r, postID)
	if perr != nil {
		s.failPost(w, r, perr)
		return
	}
	page := correctionPage{Form: form, Error: msg}
	if storage.ErrorCode(err) == storage.EConflict {
		if form.RevertTo == 0 && strings.TrimSpace(form.Headline) != p.Headline {
			page.Yours = form.Headline
		}
		page.Form.Headline, page.Form.BaseRevision = p.Headline, p.Revision
	}
	s.renderCorrection(w, r, status, p, page)
}

// renderCorrection shows the correction form with who decides on the
// post's headline and, for a revert, the revision it restores.
func (s *Server) renderCorrection(w http.ResponseWriter, r *http.Request, status int, p *storage.Post, page correctionPage) {
	ctx := r.Context()
	authority, err := s.db.CorrectionAuthority(ctx, p.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page.Post, page.Authority, page.Host = p, authority, p.Author.Host
	if page.Form.RevertTo > 0 {
		history, err := s.db.HeadlineHistory(ctx, p.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page.Restore = revisionNumbered(history, page.Form.RevertTo)
		if page.Restore == nil {
			s.renderError(w, r, http.StatusNotFound, fmt.Sprintf("This headline has no revision %d.", page.Form.RevertTo))
			return
		}
	}
	title := "Correct the headline"
	if page.Restore != nil {
		title = fmt.Sprintf("Restore revision %d", page.Restore.Number)
	}
	s.render(w, r, status, "headline", title, page)
}

// revisionNumbered finds revision n in a post's history, or nil.
func revisionNumbered(history []*storage.Revision, n int) *storage.Revision {
	for _, rev := range history {
		if rev.Number == n {
			return rev
		}
	}
	return nil
}

// lockHeadline lets a moderator lock the post's headline, with a reason.
func (s *Server) lockHeadline(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if err := s.db.LockHeadline(r.Context(), currentMember(r).ID, id, true, r.PostForm.Get("reason")); err != nil {
		s.failPost(w, r, err)
		return
	}
	s.redirect(w, r, "/posts/"+id, "The headline is locked: nobody can correct it until a moderator unlocks it.")
}

// unlockHeadline lets a moderator open the post's headline to
// corrections again.
func (s *Server) unlockHeadline(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if err := s.db.LockHeadline(r.Context(), currentMember(r).ID, id, false, ""); err != nil {
		s.failPost(w, r, err)
		return
	}
	s.redirect(w, r, "/posts/"+id, "The headline is unlocked: members can correct it again.")
}

// loadCorrections reads what the post's page shows of its headline's
// corrections: whether the current one is kept here only, and whether
// the viewer may lock it.
func (s *Server) loadCorrections(ctx context.Context, page *postPage, me *storage.Member) error {
	p := page.Post
	if p.Headline == "" {
		return nil
	}
	if p.Corrected() {
		history, err := s.db.HeadlineHistory(ctx, p.ID)
		if err != nil {
			return err
		}
		page.LocalCorrection = len(history) > 0 && history[len(history)-1].LocalOnly
	}
	if me == nil {
		return nil
	}
	var err error
	page.CanLock, err = s.db.MayLockHeadline(ctx, me.ID, p.ID)
	return err
}

// ruleName says whom a rule of corrections lets correct headlines.
func ruleName(who string) string {
	switch who {
	case storage.EditableAnyone:
		return "anyone with an account old enough"
	case storage.EditableMembers:
		return "members of the subwiki"
	case storage.EditableModerators:
		return "moderators only"
	}
	return who
}
