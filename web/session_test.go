package web

import "testing"

func TestLocalPath(t *testing.T) {
	for next, want := range map[string]string{
		"/settings/profile":     "/settings/profile",
		"/@alice?tab=posts":     "/@alice?tab=posts",
		"":                      "/",
		"//evil.example/":       "/",
		"/\\evil.example":       "/",
		"https://evil.example/": "/",
		"javascript:alert(1)":   "/",
		"settings":              "/",
		"/%2F%2Fevil.example":   "/%2F%2Fevil.example",
	} {
		if got := localPath(next); got != want {
			t.Errorf("localPath(%q) = %q, want %q", next, got, want)
		}
	}
}
