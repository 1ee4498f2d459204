package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAboutAndPrivacyFromTheConfig(t *testing.T) {
	inst := startInstance(t, func(c *Config) {
		c.Server.Description = "News for the valley."
		c.Server.Contact = "admin@valley.example"
		c.Server.PrivacyPolicy = "## Our policy\n\nWe keep *nothing* we do not need.\n\n<script>alert(1)</script> [x](javascript:alert(2))"
	})
	v := newVisitor(t, inst)
	about := v.get("/about")
	wantBody(t, about, "News for the valley.", `<a href="mailto:admin@valley.example">admin@valley.example</a>`,
		`href="/privacy"`)
	privacy := v.get("/privacy")
	wantStatus(t, privacy, http.StatusOK)
	wantBody(t, privacy, "<h2>Our policy</h2>", "<em>nothing</em>")
	if strings.Contains(privacy.Body, "<script>alert") || strings.Contains(privacy.Body, "javascript:") {
		t.Errorf("the policy's raw HTML or script link reached the page")
	}

	plain := startInstance(t, nil)
	v = newVisitor(t, plain)
	privacy = v.get("/privacy")
	wantStatus(t, privacy, http.StatusOK)
	wantBody(t, privacy, "IP addresses", "There are no ads", "never sold")
	wantBody(t, v.get("/"), `<a href="/about">`, `<a href="/privacy">`)
	about = v.get("/about")
	wantBody(t, about, "Run by")
}

func TestConfigAboutAndPrivacy(t *testing.T) {
	dir := t.TempDir()
	policy := filepath.Join(dir, "privacy.md")
	if err := os.WriteFile(policy, []byte("# Privacy\n\nFrom a file."), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig("ok.toml", []byte("[server]\ncontact = \"https://valley.example/contact\"\nprivacy_policy_file = \""+policy+"\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Server.Contact, "https://valley.example/contact"; got != want {
		t.Errorf("contact = %q, want %q", got, want)
	}
	text, err := cfg.Server.privacyPolicy()
	if err != nil || text != "# Privacy\n\nFrom a file." {
		t.Errorf("privacy policy from the file = %q, %v", text, err)
	}
	cfg, err = ParseConfig("ok.toml", []byte("[server]\ncontact = \"admin@valley.example\"\nprivacy_policy = \"We keep little.\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if text, err := cfg.Server.privacyPolicy(); err != nil || text != "We keep little." {
		t.Errorf("privacy policy from the config = %q, %v", text, err)
	}

	tests := []struct {
		name, toml, wantKey, wantText string
	}{
		{"a contact that is neither", `contact = "call us"`, "server.contact", "an email address or an https address"},
		{"a contact with a script", `contact = "javascript:alert(1)"`, "server.contact", "javascript"},
		{"both policies", "privacy_policy = \"x\"\nprivacy_policy_file = \"" + policy + "\"", "server.privacy_policy_file", "not both"},
		{"a missing file", `privacy_policy_file = "` + filepath.Join(dir, "nosuch.md") + `"`, "server.privacy_policy_file", "nosuch.md"},
		{"a long policy", `privacy_policy = "` + strings.Repeat("a", 100_001) + `"`, "server.privacy_policy", "at most"},
	}
	for _, tt := range tests {
		_, err := ParseConfig("bad.toml", []byte("[server]\n"+tt.toml+"\n"))
		if err == nil || !strings.Contains(err.Error(), tt.wantKey) || !strings.Contains(err.Error(), tt.wantText) {
			t.Errorf("%s: error %v, want one naming %s and %q", tt.name, err, tt.wantKey, tt.wantText)
		}
	}
}
