package api

import (
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// maxAncestors bounds how far up a thread a context walks: no thread on
// the site is that deep, and a loop of remote replies cannot hold it.
const maxAncestors = 100

// statusContextEntity is Mastodon's Context: the statuses above and
// below one in its thread.
type statusContextEntity struct {
	Ancestors   []status `json:"ancestors"`
	Descendants []status `json:"descendants"`
}

// statusContext answers the thread around a status (GET .../context):
// the posts it replies to, up to the thread's post, and the comments
// below it, oldest first; only those the caller may see, as the site's
// thread page shows them.
func (a *API) statusContext(w http.ResponseWriter, r *http.Request, c *caller) {
	p, ok := a.visiblePost(w, r, c)
	if !ok {
		return
	}
	ctx, viewer := r.Context(), viewerOf(c)
	var ancestors []*storage.Post
	for parent := p.ParentID; parent != "" && len(ancestors) < maxAncestors; {
		q, err := a.db.VisiblePost(ctx, viewer, parent)
		if storage.ErrorCode(err) == storage.ENotFound {
			break
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		ancestors = append([]*storage.Post{q}, ancestors...)
		parent = q.ParentID
	}
	root := p.RootID
	if root == "" {
		root = p.ID
	}
	thread, err := a.db.Thread(ctx, viewer, root)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var out statusContextEntity
	if out.Ancestors, err = a.statuses(ctx, viewer, ancestors); err != nil {
		a.fail(w, r, err)
		return
	}
	if out.Descendants, err = a.statuses(ctx, viewer, descendantsOf(p.ID, thread)); err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// descendantsOf keeps the comments of a thread (oldest first) that are
// below the post with the id: its replies, their replies, and so on.
func descendantsOf(id string, thread []*storage.Post) []*storage.Post {
	below := map[string]bool{id: true}
	for grew := true; grew; {
		grew = false
		for _, p := range thread {
			if !below[p.ID] && below[p.ParentID] {
				below[p.ID], grew = true, true
			}
		}
	}
	var out []*storage.Post
	for _, p := range thread {
		if p.ID != id && below[p.ID] {
			out = append(out, p)
		}
	}
	return out
}
