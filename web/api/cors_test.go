package api

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestCORSPreflight(t *testing.T) {
	ta := startAPI(t, Config{})
	for _, path := range []string{"/api/v1/apps", "/oauth/token", "/oauth/revoke", "/.well-known/oauth-authorization-server", "/api/v1/timelines/home"} {
		req, _ := http.NewRequest(http.MethodOptions, ta.URL+path, nil)
		req.Header.Set("Origin", "https://phanpy.example")
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if resp.StatusCode != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != "*" ||
			h.Get("Access-Control-Allow-Headers") != "authorization, content-type" || h.Get("Access-Control-Allow-Methods") == "" {
			t.Errorf("preflight %s: status %d, headers %v", path, resp.StatusCode, h)
		}
	}
}

func TestCORSAndRateLimitHeaders(t *testing.T) {
	ta := startAPI(t, Config{RateLimit: 3, RateWindow: time.Hour})
	for i := range 3 {
		a := ta.call(http.MethodGet, "/api/v1/nothing", "", "", "")
		if got := a.Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("Access-Control-Allow-Origin = %q, want *", got)
		}
		if got, want := a.Header.Get("Access-Control-Expose-Headers"), "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-Request-Id"; got != want {
			t.Errorf("Access-Control-Expose-Headers = %q, want %q", got, want)
		}
		if got := a.Header.Get("X-RateLimit-Limit"); got != "3" {
			t.Errorf("X-RateLimit-Limit = %q, want 3", got)
		}
		if got, want := a.Header.Get("X-RateLimit-Remaining"), strconv.Itoa(2-i); got != want {
			t.Errorf("X-RateLimit-Remaining = %q, want %s", got, want)
		}
		reset, err := time.Parse(time.RFC3339, a.Header.Get("X-RateLimit-Reset"))
		if err != nil || reset.Before(time.Now()) {
			t.Errorf("X-RateLimit-Reset = %q (%v), want a time to come", a.Header.Get("X-RateLimit-Reset"), err)
		}
	}
	a := ta.call(http.MethodGet, "/api/v1/nothing", "", "", "")
	wantJSONAnswer(t, a, http.StatusTooManyRequests)
	if a.Body != `{"error":"Too many requests"}`+"\n" {
		t.Errorf("body = %q", a.Body)
	}
	// Another token has its own count.
	if a := ta.call(http.MethodGet, "/api/v1/nothing", "", "", "some-token"); a.Status == http.StatusTooManyRequests {
		t.Errorf("a token's first request was refused: %s", a.Body)
	}
}

func TestRateWindowsForgetTheLeastRecent(t *testing.T) {
	l := newRateWindows(1, time.Hour, 2)
	l.take("a")
	l.take("b")
	l.take("c") // "a" goes
	if len(l.keys) != 2 {
		t.Fatalf("keys kept = %d, want 2", len(l.keys))
	}
	if remaining, _ := l.take("a"); remaining != 0 {
		t.Errorf("a forgotten key's remaining = %d, want 0", remaining)
	}
	if remaining, _ := l.take("c"); remaining != -1 {
		t.Errorf("c's second request remaining = %d, want -1", remaining)
	}
}
