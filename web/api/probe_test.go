package api

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
)

// send sends one probe and fails the test on an answer no app should
// ever get: a 5xx, a hang, a body that is not JSON, or a refusal that
// changed something. It returns the state after it. A request of a
// safe method (GET, HEAD, OPTIONS) changes nothing whatever its answer,
// which its caller checks once for many: it returns before then.
func (w *probeWorld) send(t *testing.T, method, path string, req probeRequest, token, before string) string {
	t.Helper()
	target := w.ta.URL + path
	if req.query != "" {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		target += sep + req.query
	}
	what := fmt.Sprintf("%s %s with %s", method, path[:min(len(path), 80)], req.name)
	hr, err := http.NewRequest(method, target, strings.NewReader(req.body))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if req.contentType != "" {
		hr.Header.Set("Content-Type", req.contentType)
	}
	if token != "" {
		hr.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range req.headers {
		hr.Header.Set(k, v)
	}
	resp, err := w.client.Do(hr)
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return w.after(t, method, before)
	}
	defer resp.Body.Close()
	ct := resp.Header.Get("Content-Type")
	if ct == "text/event-stream" { // a stream opened: its events are not this test's
		return w.after(t, method, before)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Errorf("%s: read the answer: %v", what, err)
	}
	switch {
	case resp.StatusCode >= 500:
		t.Errorf("%s: %d %s", what, resp.StatusCode, body[:min(len(body), 300)])
	case resp.StatusCode < 200 || (resp.StatusCode >= 300 && resp.StatusCode < 400):
		t.Errorf("%s: %d, want a 2xx or a 4xx", what, resp.StatusCode)
	case method == http.MethodOptions:
		if resp.StatusCode != http.StatusNoContent {
			t.Errorf("%s: %d, want the preflight's 204", what, resp.StatusCode)
		}
	case method == http.MethodHead:
	case path == "/api/v1/streaming/health":
	case ct != "application/json; charset=utf-8" || !json.Valid(body):
		t.Errorf("%s: %d %q %.200s, want JSON", what, resp.StatusCode, ct, body)
	}
	if resp.StatusCode < 300 {
		for _, secret := range w.secrets {
			sent := strings.Contains(path+req.query+req.body, secret) // an echo of it shows nothing
			if !sent && strings.Contains(string(body), secret) {
				t.Errorf("%s: the answer shows %q, which bob may not see", what, secret)
			}
		}
	}
	after := w.after(t, method, before)
	if resp.StatusCode >= 400 && after != before {
		t.Errorf("%s: answered %d %.200s, but changed what is stored", what, resp.StatusCode, body)
	}
	return after
}

// after is the state after a request of the method: before, for a safe
// method, else a new snapshot.
func (w *probeWorld) after(t *testing.T, method, before string) string {
	t.Helper()
	if safeMethod(method) {
		return before
	}
	return w.snapshot(t)
}

func safeMethod(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// TestProbeEveryRoute sends every route of the API what a careless or
// hostile app sends: ids of every kind and of none, parameters of every
// wrong shape, bodies that are not what they say, and methods it does
// not take. Every answer must be JSON with a 2xx or a 4xx, and a 4xx
// must change nothing.
func TestProbeEveryRoute(t *testing.T) {
	w := newProbeWorld(t)
	routes := apiRoutes(t)
	// Destructive methods go last, so that what they remove is probed
	// first.
	sort.SliceStable(routes, func(i, j int) bool {
		return !destructive(routes[i]) && destructive(routes[j])
	})
	idKinds := make([]string, 0, len(w.ids))
	for kind := range w.ids {
		idKinds = append(idKinds, kind)
	}
	sort.Strings(idKinds)
	state := w.snapshot(t)
	bad := w.badRequests()
	for _, route := range routes {
		for _, method := range append(route.methods, http.MethodHead, http.MethodOptions, http.MethodPatch, "PROPFIND") {
			before := state
			if slices.Contains(route.methods, method) {
				state = w.probeRoute(t, route, method, bad, idKinds, state)
			} else {
				state = w.send(t, method, route.paths(w.ids["a post"])[0], probeRequest{name: "an unexpected method"}, w.token, state)
			}
			if safeMethod(method) && w.snapshot(t) != before {
				t.Errorf("%s %s changed what is stored", method, route.template)
			}
		}
	}
}

// probeRoute sends the route every bad request with the method.
func (w *probeWorld) probeRoute(t *testing.T, route probeRoute, method string, bad []probeRequest, idKinds []string, state string) string {
	t.Helper()
	paths := route.paths(w.ids["a post"])
	// Every variant of a request, on the path of a real post; a GET's
	// body is not read, so only the query varies there.
	for _, req := range bad {
		if req.query != "" || req.body == "" || !safeMethod(method) {
			state = w.send(t, method, paths[0], req, w.token, state)
		}
	}
	state = w.send(t, method, paths[0], probeRequest{name: "no token"}, "", state)
	state = w.send(t, method, paths[0], probeRequest{name: "a forged token"}, "forged", state)
	// Every kind of id, and what is no id, in the path and in every
	// parameter that takes an id.
	for _, kind := range idKinds {
		req := w.idRequest(kind)
		for _, path := range route.paths(w.ids[kind]) {
			state = w.send(t, method, path, req, w.token, state)
		}
	}
	return state
}

// destructive reports whether the route removes what later probes name.
func destructive(r probeRoute) bool {
	for _, m := range r.methods {
		if m == http.MethodDelete {
			return true
		}
	}
	return strings.Contains(r.template, "block") || strings.Contains(r.template, "mute") ||
		strings.Contains(r.template, "unfollow") || strings.Contains(r.template, "clear") ||
		strings.Contains(r.template, "dismiss") || strings.Contains(r.template, "revoke")
}
