package api

import (
	"context"
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// statusAction is one thing a member does to a status by POSTing to
// its path: do is the storage operation the site's page calls, nil
// where the site has no such thing and refuses with why. The answer is
// the status as the member now sees it; a reblog's is the reblog.
type statusAction struct {
	path    string
	scope   string
	do      func(db *storage.DB, ctx context.Context, memberID, postID string) error
	refusal string
	reblog  bool
}

// noMutingText is why muting a conversation is refused.
const noMutingText = "Muting a conversation is not supported here; mute its accounts instead."

// statusActions are the actions on a status, with Mastodon's scopes.
var statusActions = []statusAction{
	{path: "favourite", scope: "write:favourites", do: (*storage.DB).LikePost},
	{path: "unfavourite", scope: "write:favourites", do: (*storage.DB).UnlikePost},
	{path: "pin", scope: "write:accounts", do: (*storage.DB).PinPost},
	{path: "unpin", scope: "write:accounts", do: (*storage.DB).UnpinPost},
	{path: "reblog", scope: "write:statuses", reblog: true},
	{path: "unreblog", scope: "write:statuses", do: (*storage.DB).UnboostPost},
	{path: "bookmark", scope: "write:bookmarks", do: (*storage.DB).Bookmark},
	{path: "unbookmark", scope: "write:bookmarks", do: (*storage.DB).Unbookmark},
	{path: "mute", scope: "write:mutes", refusal: noMutingText},
	{path: "unmute", scope: "write:mutes", refusal: noMutingText},
}

// statusAction serves one action: it is done as the site does it, and
// the status answered as the member now sees it. A status the member
// may not see is not found, whatever the action.
func (a *API) statusAction(act statusAction) func(http.ResponseWriter, *http.Request, *caller) {
	return func(w http.ResponseWriter, r *http.Request, c *caller) {
		ctx := r.Context()
		id, err := a.statusTarget(ctx, c.Member.ID, postID(r))
		if err != nil {
			a.failPost(w, r, err)
			return
		}
		if act.reblog {
			a.reblog(ctx, w, r, c, id)
			return
		}
		if act.do == nil {
			writeError(w, http.StatusUnprocessableEntity, act.refusal)
			return
		}
		if err := act.do(a.db, ctx, c.Member.ID, id); err != nil {
			a.fail(w, r, err)
			return
		}
		a.answerStatus(w, r, c.Member.ID, id)
	}
}

// favouritedBy lists who liked a status (GET .../favourited_by).
func (a *API) favouritedBy(w http.ResponseWriter, r *http.Request, c *caller) {
	a.reactors(w, r, c, storage.Like)
}

// rebloggedBy lists who boosted a status (GET .../reblogged_by), here
// and elsewhere.
func (a *API) rebloggedBy(w http.ResponseWriter, r *http.Request, c *caller) {
	a.reactors(w, r, c, storage.Announce)
}

// reactors answers the accounts who reacted to a status the caller may
// see, a page of them, with Link headers.
func (a *API) reactors(w http.ResponseWriter, r *http.Request, c *caller, kind string) {
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	page, err := readPage(p, 80)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	viewer := viewerOf(c)
	id, err := a.statusTarget(r.Context(), viewer, postID(r))
	if err != nil {
		a.failPost(w, r, err)
		return
	}
	actors, err := a.db.Reactors(r.Context(), viewer, id, kind, page)
	if err != nil {
		a.failPost(w, r, err)
		return
	}
	accounts, err := a.accountEntities(r.Context(), actors)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if len(actors) > 0 {
		a.setLinks(w, r, actors[0].ID, actors[len(actors)-1].ID)
	}
	writeJSON(w, http.StatusOK, accounts)
}

// viewerOf is the actor id the caller sees posts as: the member's, or
// storage.Stranger.
func viewerOf(c *caller) string {
	if c.Member == nil {
		return storage.Stranger
	}
	return c.Member.ID
}
