package api

import (
	"context"
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// relationship is Mastodon's Relationship (entities/Relationship.md):
// how the caller stands towards an account. Tidings has no private
// notes, endorsements, per-account notifications or domain blocks of
// members, so those are always off.
type relationship struct {
	ID                  string   `json:"id"`
	Following           bool     `json:"following"`
	ShowingReblogs      bool     `json:"showing_reblogs"`
	Notifying           bool     `json:"notifying"`
	Languages           []string `json:"languages"` // [] for all, as no filter is kept
	FollowedBy          bool     `json:"followed_by"`
	Blocking            bool     `json:"blocking"`
	BlockedBy           bool     `json:"blocked_by"`
	Muting              bool     `json:"muting"`
	MutingNotifications bool     `json:"muting_notifications"`
	Requested           bool     `json:"requested"`
	RequestedBy         bool     `json:"requested_by"`
	DomainBlocking      bool     `json:"domain_blocking"`
	Endorsed            bool     `json:"endorsed"`
	Note                string   `json:"note"`
}

func newRelationship(id string, r storage.Relationship) relationship {
	return relationship{
		ID: id, Languages: []string{}, Following: r.Following, ShowingReblogs: r.Following || r.Requested,
		FollowedBy: r.FollowedBy, Blocking: r.Blocking, BlockedBy: r.BlockedBy,
		// A mute here hides the account's doings from notifications too.
		Muting: r.Muting, MutingNotifications: r.Muting,
		Requested: r.Requested, RequestedBy: r.RequestedBy,
	}
}

// relationshipsOf are the caller's relationships to the accounts with the
// ids, in their order; unknown ids are left out.
func (a *API) relationshipsOf(ctx context.Context, memberID string, ids []string) ([]relationship, error) {
	found, err := a.db.Relationships(ctx, memberID, ids)
	if err != nil {
		return nil, err
	}
	out := make([]relationship, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if r, ok := found[id]; ok && !seen[id] {
			seen[id] = true
			out = append(out, newRelationship(id, r))
		}
	}
	return out, nil
}

// maxRelationships bounds how many accounts one request asks about.
const maxRelationships = 100

// relationships answers GET /api/v1/accounts/relationships?id[]=.
func (a *API) relationships(w http.ResponseWriter, r *http.Request, c *caller) {
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ids := p.strings("id")
	if len(ids) > maxRelationships {
		ids = ids[:maxRelationships]
	}
	list, err := a.relationshipsOf(r.Context(), c.Member.ID, ids)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}

// answerRelationship answers the caller's relationship to the account
// after an action on it.
func (a *API) answerRelationship(w http.ResponseWriter, r *http.Request, c *caller, id string) {
	list, err := a.relationshipsOf(r.Context(), c.Member.ID, []string{id})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if len(list) == 0 {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	writeJSON(w, http.StatusOK, list[0])
}
