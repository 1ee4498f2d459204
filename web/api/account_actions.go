package api

import (
	"net/http"

	"github.com/gorilla/mux"
)

// accountAction answers POST /api/v1/accounts/:id/follow, unfollow,
// block, unblock, mute and unmute with the caller's relationship to the
// account after it. Each is the storage operation the site's buttons
// call: following a subwiki joins it (or asks to), following an account
// elsewhere sends the Follow, blocking one ends the follows both ways.
func (a *API) accountAction(w http.ResponseWriter, r *http.Request, c *caller) {
	ctx, me := r.Context(), c.Member.ID
	target, err := a.db.AccountByID(ctx, mux.Vars(r)["id"])
	if err != nil {
		a.failAccount(w, r, err)
		return
	}
	switch mux.Vars(r)["action"] {
	case "follow":
		_, err = a.db.Follow(ctx, me, target.ID)
	case "unfollow":
		err = a.db.Unfollow(ctx, me, target.ID)
	case "block":
		err = a.db.Block(ctx, me, target.ID)
	case "unblock":
		err = a.db.Unblock(ctx, me, target.ID)
	case "mute":
		err = a.db.Mute(ctx, me, target.ID)
	case "unmute":
		err = a.db.Unmute(ctx, me, target.ID)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.answerRelationship(w, r, c, target.ID)
}
