package api

import (
	"context"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// Lists are the subwikis a member joined, each one list whose id is the
// subwiki's (its group actor's) and whose timeline is the subwiki's
// feed: apps show lists as the member's own reading groups, which is
// what joined subwikis are. They are made by joining, so the API makes,
// renames and deletes none.

// listsNotMadeText answers the methods that would make or change a list.
const listsNotMadeText = "Lists are the subwikis you joined; join or leave a subwiki instead."

// maxJoinedSubwikis is how many joined subwikis are lists, as many as
// the compose page offers.
const maxJoinedSubwikis = 1000

// listEntity is Mastodon's List.
type listEntity struct {
	ID            string `json:"id"`
	Title         string `json:"title"`
	RepliesPolicy string `json:"replies_policy"`
	Exclusive     bool   `json:"exclusive"`
}

func (a *API) listRoutes(r *mux.Router) {
	get := http.MethodGet
	r.Handle("/api/v1/lists", a.signedIn("read:lists", a.lists)).Methods(get)
	r.Handle("/api/v1/lists/{id}", a.signedIn("read:lists", a.showList)).Methods(get)
	r.Handle("/api/v1/lists/{id}/accounts", a.signedIn("read:lists", a.listMembers)).Methods(get)
	r.Handle("/api/v1/accounts/{id}/lists", a.signedIn("read:lists", a.accountLists)).Methods(get)
	refuse := a.signedIn("write:lists", func(w http.ResponseWriter, r *http.Request, c *caller) {
		writeError(w, http.StatusUnprocessableEntity, listsNotMadeText)
	})
	r.Handle("/api/v1/lists", refuse).Methods(http.MethodPost)
	r.Handle("/api/v1/lists/{id}", refuse).Methods(http.MethodPut, http.MethodDelete)
	r.Handle("/api/v1/lists/{id}/accounts", refuse).Methods(http.MethodPost, http.MethodDelete)
}

// joinedSubwikis are the subwikis the member joined, here and elsewhere,
// as the compose page lists them: the groups among those they follow.
func (a *API) joinedSubwikis(ctx context.Context, memberID string) ([]*storage.Actor, error) {
	following, err := a.db.Following(ctx, memberID, "", maxJoinedSubwikis)
	if err != nil {
		return nil, err
	}
	var groups []*storage.Actor
	for _, actor := range following.Actors {
		if actor.Kind == storage.KindGroup {
			groups = append(groups, actor)
		}
	}
	return groups, nil
}

// joinedSubwiki is the subwiki with the id if the member joined it;
// otherwise it is no list of theirs, and not found.
func (a *API) joinedSubwiki(ctx context.Context, memberID, id string) (*storage.Actor, error) {
	groups, err := a.joinedSubwikis(ctx, memberID)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		if g.ID == id {
			return g, nil
		}
	}
	return nil, storage.Errorf(storage.ENotFound, recordNotFound)
}

// newList is the List a subwiki is: titled with its name.
func newList(g *storage.Actor) listEntity {
	title := g.DisplayName
	if title == "" {
		title = g.Username
	}
	return listEntity{ID: g.ID, Title: title, RepliesPolicy: "list"}
}

// lists answers the member's lists: the subwikis they joined.
func (a *API) lists(w http.ResponseWriter, r *http.Request, c *caller) {
	groups, err := a.joinedSubwikis(r.Context(), c.Member.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.answerLists(w, groups)
}

func (a *API) answerLists(w http.ResponseWriter, groups []*storage.Actor) {
	out := []listEntity{}
	for _, g := range groups {
		out = append(out, newList(g))
	}
	writeJSON(w, http.StatusOK, out)
}

// showList answers one list of the member's.
func (a *API) showList(w http.ResponseWriter, r *http.Request, c *caller) {
	g, err := a.joinedSubwiki(r.Context(), c.Member.ID, mux.Vars(r)["id"])
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(g))
}

// listMembers answers the accounts of a list: the subwiki's group
// account, whose posts the list's timeline shows.
func (a *API) listMembers(w http.ResponseWriter, r *http.Request, c *caller) {
	g, err := a.joinedSubwiki(r.Context(), c.Member.ID, mux.Vars(r)["id"])
	if err != nil {
		a.fail(w, r, err)
		return
	}
	accounts, err := a.accountEntities(r.Context(), []*storage.Actor{g})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, accounts)
}

// accountLists answers the member's lists that hold an account: the
// subwiki itself, when the account is a subwiki they joined.
func (a *API) accountLists(w http.ResponseWriter, r *http.Request, c *caller) {
	g, err := a.joinedSubwiki(r.Context(), c.Member.ID, mux.Vars(r)["id"])
	if storage.ErrorCode(err) == storage.ENotFound {
		a.answerLists(w, nil)
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.answerLists(w, []*storage.Actor{g})
}

// listTimeline is the feed of a subwiki the member joined, as its page.
func (a *API) listTimeline(w http.ResponseWriter, r *http.Request, c *caller) {
	g, err := a.joinedSubwiki(r.Context(), c.Member.ID, mux.Vars(r)["id"])
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.answerTimeline(w, r, c, func(ctx context.Context, page storage.IDPage) (*storage.Timeline, error) {
		return a.db.SubwikiTimeline(ctx, c.Member.ID, g.ID, page)
	})
}
