package main

import (
	"strings"
	"testing"
)

// The waiting list's keys of [registration] are read, defaulted and
// checked, each mistake named with its key and line.
func TestAdmissionConfig(t *testing.T) {
	cfg, err := ParseConfig("test.toml", []byte("[registration]\nmode = \"waitlist\"\nadmit_per_day = 25\ninvites_per_member = 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Registration; got.AdmitPerDay != 25 || got.InvitesPerMember != 0 {
		t.Errorf("admit_per_day, invites_per_member = %d, %d; want 25, 0", got.AdmitPerDay, got.InvitesPerMember)
	}
	if cfg := DefaultConfig(); cfg.Registration.AdmitPerDay != 0 || cfg.Registration.InvitesPerMember != 5 {
		t.Errorf("defaults = %d, %d; want 0 (by hand) and 5", cfg.Registration.AdmitPerDay, cfg.Registration.InvitesPerMember)
	}
	for doc, want := range map[string]string{
		"[registration]\nadmit_per_day = -1\n":        "test.toml:2: registration.admit_per_day: -1 must be between 0",
		"[registration]\n\ninvites_per_member = -3\n": "test.toml:3: registration.invites_per_member: -3 must be between 0",
		"[registration]\nadmit_per_day = \"ten\"\n":   "test.toml:2: registration.admit_per_day: must be a whole number",
	} {
		_, err := ParseConfig("test.toml", []byte(doc))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", doc, err, want)
		}
	}
}
