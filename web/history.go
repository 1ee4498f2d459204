package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// historyPage is the data of a post's headline history.
type historyPage struct {
	Post      *storage.Post
	Revisions []historyEntry // newest first
	Compare   *comparison    // two revisions the viewer chose, or nil
	From, To  int            // the revisions chosen in the compare form
	Proposals []proposalEntry
}

// historyEntry is a revision with what it changed.
type historyEntry struct {
	*storage.Revision
	Diff []diffPart // from the headline before it; nil for the first
	// Restorable: a member may restore this headline, which is not the
	// current one.
	Restorable bool
}

// comparison is what changed from one revision to another.
type comparison struct {
	From, To *storage.Revision
	Diff     []diffPart
}

// proposalEntry is a correction proposed to the post's origin, with
// the member who proposed it.
type proposalEntry struct {
	*storage.Proposal
	Member *storage.Member // nil when the account is gone
}

// headlineHistory lists every headline a post has had, newest first,
// with who changed it, when, why and what changed; with ?from=A&to=B it
// first compares two revisions.
func (s *Server) headlineHistory(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := s.visiblePost(r, mux.Vars(r)["id"])
	if err != nil {
		s.failPost(w, r, err)
		return
	}
	history, err := s.db.HeadlineHistory(ctx, p.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := historyPage{Post: p, Revisions: historyEntries(p, history, currentMember(r) != nil)}
	if len(history) > 0 {
		page.From, page.To = 1, history[len(history)-1].Number
	}
	if q := r.URL.Query(); q.Has("from") || q.Has("to") {
		if page.Compare, err = compareRevisions(history, q); err != nil {
			s.fail(w, r, err)
			return
		}
		page.From, page.To = page.Compare.From.Number, page.Compare.To.Number
	}
	if page.Proposals, err = s.proposalEntries(ctx, p.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "history", "Headline history", page)
}

// historyEntries orders the history newest first with each revision's
// changes. Members may restore any earlier headline that differs from
// the current one, unless the headline is locked.
func historyEntries(p *storage.Post, history []*storage.Revision, member bool) []historyEntry {
	entries := make([]historyEntry, 0, len(history))
	for _, rev := range slices.Backward(history) {
		e := historyEntry{Revision: rev}
		if rev.Number > 1 {
			e.Diff = diffWords(rev.Previous, rev.Headline)
		}
		e.Restorable = member && !p.Locked && rev.Number != p.Revision && rev.Headline != p.Headline
		entries = append(entries, e)
	}
	return entries
}

// compareRevisions reads the two revisions named by from and to.
func compareRevisions(history []*storage.Revision, q url.Values) (*comparison, error) {
	var c comparison
	for _, f := range []struct {
		name string
		rev  **storage.Revision
	}{{"from", &c.From}, {"to", &c.To}} {
		n, err := strconv.Atoi(q.Get(f.name))
		if err != nil {
			return nil, storage.Errorf(storage.EInvalid, "Choose two revisions to compare.")
		}
		if *f.rev = revisionNumbered(history, n); *f.rev == nil {
			return nil, storage.Errorf(storage.ENotFound, "This headline has no revision %d.", n)
		}
	}
	c.Diff = diffWords(c.From.Headline, c.To.Headline)
	return &c, nil
}

// proposalEntries lists the corrections members here proposed to the
// post's origin, with their proposers.
func (s *Server) proposalEntries(ctx context.Context, postID string) ([]proposalEntry, error) {
	proposals, err := s.db.Proposals(ctx, postID)
	if err != nil {
		return nil, err
	}
	members := map[string]*storage.Member{}
	entries := make([]proposalEntry, 0, len(proposals))
	for _, prop := range proposals {
		m, seen := members[prop.MemberID]
		if !seen {
			m, err = s.db.MemberByID(ctx, prop.MemberID)
			if err != nil && storage.ErrorCode(err) != storage.ENotFound {
				return nil, fmt.Errorf("proposer of %s: %w", prop.ID, err)
			}
			members[prop.MemberID] = m
		}
		entries = append(entries, proposalEntry{Proposal: prop, Member: m})
	}
	return entries, nil
}
