package main

import (
	"strings"
	"testing"
)

func TestConfigDomains(t *testing.T) {
	cfg, err := ParseConfig("ok.toml", []byte("[federation]\nblocked_domains = [\"spam.example\", \"*.worse.example\"]\n"+
		"limited_domains = [\"Loud.Example\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Federation.BlockedDomains) != 2 || cfg.Federation.LimitedDomains[0] != "Loud.Example" {
		t.Errorf("federation = %+v", cfg.Federation)
	}
	tests := []struct {
		name, toml, wantKey, wantText string
	}{
		{"a URL", `blocked_domains = ["https://spam.example/"]`, "federation.blocked_domains", "https://spam.example/"},
		{"not a host", `limited_domains = ["fine.example", "two words"]`, "federation.limited_domains", "two words"},
		{"in both lists", "blocked_domains = [\"x.example\"]\nlimited_domains = [\"X.example\"]", "federation.limited_domains", "X.example"},
		{"our own domain", `blocked_domains = ["localhost"]`, "federation.blocked_domains", "own domain"},
	}
	for _, tt := range tests {
		_, err := ParseConfig("bad.toml", []byte("[federation]\n"+tt.toml+"\n"))
		if err == nil || !strings.Contains(err.Error(), tt.wantKey) || !strings.Contains(err.Error(), tt.wantText) {
			t.Errorf("%s: error %v, want one naming %s and %q", tt.name, err, tt.wantKey, tt.wantText)
		}
	}
}
