package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/gorilla/mux"
)

// streamEventSource serves one stream as server-sent events (GET
// /api/v1/streaming/user, /user/notification, /public, /public/local,
// /public/remote, /hashtag?tag=, /hashtag/local?tag=, /list?list=):
// "event: update\ndata: {...}\n\n", and ":thump" comments while quiet.
func (a *API) streamEventSource(w http.ResponseWriter, r *http.Request, c *caller) {
	name := strings.ReplaceAll(mux.Vars(r)["name"], "/", ":")
	q := r.URL.Query()
	sub, err := a.checkSubscription(r.Context(), c.Member.ID, name, q.Get("tag"), q.Get("list"))
	if err != nil {
		a.streamFailed(w, r, err)
		return
	}
	s, err := a.streams.open(c.Member.ID)
	if err != nil {
		a.streamFailed(w, r, err)
		return
	}
	defer a.streams.leave(s)
	s.subscribe(sub)
	keepOpen(w)
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no") // proxies must not hold events back
	w.WriteHeader(http.StatusOK)
	write := func(text string) error {
		if _, err := fmt.Fprint(w, text); err != nil {
			return err
		}
		return rc.Flush()
	}
	if write(":)\n") != nil {
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	a.runStream(ctx, s, func(e streamEvent) error {
		return write("event: " + e.Event + "\ndata: " + e.Payload + "\n\n")
	}, func() error {
		return write(":thump\n")
	})
}
