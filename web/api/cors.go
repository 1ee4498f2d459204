package api

import (
	"net/http"
	"strings"
)

// CORS lets browser apps (Phanpy, Elk, Semaphore) call the API from any
// origin, as Mastodon's config/initializers/cors.rb does: the API, the
// token and revocation endpoints, /.well-known/ and /nodeinfo/. It
// exposes Link, or a browser app could not page past the first page, and
// answers preflight requests itself, without a token. Web wraps the
// whole site in it, since some of those paths are federation's.
func CORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !corsPath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-Request-Id")
		if r.Method != http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		h.Set("Access-Control-Allow-Methods", "POST, PUT, DELETE, GET, PATCH, OPTIONS")
		if asked := r.Header.Get("Access-Control-Request-Headers"); asked != "" {
			h.Set("Access-Control-Allow-Headers", asked)
		}
		h.Set("Access-Control-Max-Age", "7200")
		h.Add("Vary", "Access-Control-Request-Headers")
		w.WriteHeader(http.StatusNoContent)
	})
}

// corsPath reports whether the path is open to other origins.
func corsPath(path string) bool {
	switch path {
	case "/oauth/token", "/oauth/revoke":
		return true
	}
	return strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/.well-known/") || strings.HasPrefix(path, "/nodeinfo/")
}
