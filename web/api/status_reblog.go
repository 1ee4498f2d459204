package api

import (
	"context"
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// reblogOf is the Status of a boost entry, as Mastodon shows a reblog:
// a status of its own, by the booster, at the time of the boost, with
// no content of its own and the boosted status in reblog. The viewer's
// marks (favourited, reblogged, bookmarked) are the boosted status's,
// which apps act on.
func reblogOf(b *storage.Boost, booster account, boosted status) status {
	return status{
		ID: b.ID, URI: b.ActivityURI, URL: boosted.URL, CreatedAt: apiTime(b.At), Account: booster,
		Visibility: boosted.Visibility, MediaAttachments: []mediaAttachment{}, Mentions: []statusMention{},
		Tags: []statusTag{}, Emojis: []struct{}{}, Filtered: []struct{}{}, Reblog: &boosted,
		Favourited: boosted.Favourited, Reblogged: boosted.Reblogged, Bookmarked: boosted.Bookmarked,
	}
}

// statusTarget is the post a status id names for the caller: the post
// itself, or the one a boost entry boosted (apps act on a reblog's id as
// on its status's, as Mastodon lets them). A post the caller may not
// see is ENotFound.
func (a *API) statusTarget(ctx context.Context, viewerID, id string) (string, error) {
	_, err := a.db.VisiblePost(ctx, viewerID, id)
	if storage.ErrorCode(err) != storage.ENotFound {
		return id, err
	}
	entry, boostErr := a.db.BoostEntry(ctx, viewerID, id)
	if boostErr != nil {
		return "", err
	}
	return entry.ID, nil
}

// answerBoostEntry answers a boost entry's reblog status, for the
// viewer.
func (a *API) answerBoostEntry(w http.ResponseWriter, r *http.Request, viewerID string, entry *storage.Post) {
	list, err := a.statuses(r.Context(), viewerID, []*storage.Post{entry})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[0])
}

// reblog boosts a status (POST .../reblog) and answers the reblog, as
// Mastodon does; boosting twice answers the same one.
func (a *API) reblog(ctx context.Context, w http.ResponseWriter, r *http.Request, c *caller, postID string) {
	if err := a.db.BoostPost(ctx, c.Member.ID, postID); err != nil {
		a.fail(w, r, err)
		return
	}
	entry, err := a.db.MemberBoostEntry(ctx, c.Member.ID, postID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.answerBoostEntry(w, r, c.Member.ID, entry)
}
