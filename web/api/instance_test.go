package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// jsonAt walks a decoded JSON value down the keys.
func jsonAt(v any, keys ...string) any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

func TestInstanceV2(t *testing.T) {
	ta := startAPI(t, Config{InstanceName: "Tidings Test", Description: "News.", Version: "1.2.3", Contact: "admin@news.example"})
	ctx := context.Background()
	ta.db.Registration = storage.RegistrationApproval
	if _, err := ta.db.CreateMember(ctx, storage.MemberCreate{Username: "ada", Email: "ada@example.org", Password: "correct horse", IsAdmin: true}); err != nil {
		t.Fatal(err)
	}
	ta.signedUpMember("zed")
	if _, err := ta.db.SetInstanceRules(ctx, mustAdminID(t, ta), []string{"Be kind.", "Cite sources."}); err != nil {
		t.Fatal(err)
	}
	v, host := ta.instanceAnswer("/api/v2/instance")
	tests := []struct {
		keys []string
		want any
	}{
		{[]string{"domain"}, host},
		{[]string{"title"}, "Tidings Test"},
		{[]string{"version"}, "4.2.0 (compatible; Tidings 1.2.3)"},
		{[]string{"description"}, "News."},
		{[]string{"thumbnail", "url"}, ta.URL + "/static/icon.svg"},
		{[]string{"configuration", "urls", "streaming"}, "ws://" + host},
		{[]string{"configuration", "statuses", "max_characters"}, float64(storage.MaxBodyLength)},
		{[]string{"configuration", "statuses", "max_media_attachments"}, float64(storage.MaxAttachments)},
		{[]string{"configuration", "accounts", "max_profile_fields"}, float64(storage.MaxProfileFields)},
		{[]string{"configuration", "accounts", "max_featured_tags"}, 0.0},
		{[]string{"configuration", "media_attachments", "image_size_limit"}, float64(defaultUploadBytes)},
		{[]string{"configuration", "polls", "max_options"}, 0.0},
		{[]string{"configuration", "translation", "enabled"}, false},
		{[]string{"registrations", "enabled"}, true},
		{[]string{"registrations", "approval_required"}, true},
		{[]string{"api_versions", "mastodon"}, 1.0},
		{[]string{"contact", "email"}, "admin@news.example"},
		{[]string{"contact", "account", "username"}, "ada"},
		{[]string{"usage", "users", "active_month"}, 0.0},
	}
	for _, tt := range tests {
		if got := jsonAt(v, tt.keys...); got != tt.want {
			t.Errorf("%s = %#v, want %#v", strings.Join(tt.keys, "."), got, tt.want)
		}
	}
	wantAccountShape(t, jsonAt(v, "contact", "account"))
	for _, key := range []string{"languages", "rules", "icon"} {
		if _, ok := jsonAt(v, key).([]any); !ok {
			t.Errorf("%s = %#v, want an array", key, jsonAt(v, key))
		}
	}
	for _, key := range []string{"vapid", "media_attachments", "polls", "statuses", "accounts", "urls"} {
		if _, ok := jsonAt(v, "configuration", key).(map[string]any); !ok {
			t.Errorf("configuration.%s = %#v, want an object", key, jsonAt(v, "configuration", key))
		}
	}
	rules, _ := jsonAt(v, "rules").([]any)
	if len(rules) != 2+len(storage.FlagCategories) {
		t.Fatalf("rules = %v, want the 2 rules and the flag categories", rules)
	}
	for i, want := range []string{"1", "2", storage.FlagMisleadingHeadline} {
		if got := jsonAt(rules[i], "id"); got != want {
			t.Errorf("rule %d id = %#v, want %q", i, got, want)
		}
	}
	if got := jsonAt(rules[1], "text"); got != "Cite sources." {
		t.Errorf("rule 2 = %#v, want the second rule", got)
	}
}

// mustAdminID is the id of the instance's first admin.
func mustAdminID(t *testing.T, ta *testAPI) string {
	t.Helper()
	admins, err := ta.db.Admins(context.Background())
	if err != nil || len(admins) == 0 {
		t.Fatalf("admins = %v, %v", admins, err)
	}
	return admins[0].ID
}

func TestInstanceRegistrationsFollowTheSignUpMode(t *testing.T) {
	ta := startAPI(t, Config{Scheme: "https"})
	tests := []struct {
		mode              storage.RegistrationMode
		enabled, approval bool
	}{
		{storage.RegistrationOpen, true, false},
		{storage.RegistrationApproval, true, true},
		{storage.RegistrationWaitlist, true, true},
		{storage.RegistrationInvite, false, false},
		{storage.RegistrationClosed, false, false},
	}
	for _, tt := range tests {
		ta.db.Registration = tt.mode
		var v2, v1 any
		ta.call(http.MethodGet, "/api/v2/instance", "", "", "").json(t, &v2)
		ta.call(http.MethodGet, "/api/v1/instance", "", "", "").json(t, &v1)
		if got := jsonAt(v2, "registrations", "enabled"); got != tt.enabled {
			t.Errorf("%s: v2 registrations.enabled = %v, want %v", tt.mode, got, tt.enabled)
		}
		if got := jsonAt(v2, "registrations", "approval_required"); got != tt.approval {
			t.Errorf("%s: v2 registrations.approval_required = %v, want %v", tt.mode, got, tt.approval)
		}
		if got := jsonAt(v1, "registrations"); got != tt.enabled {
			t.Errorf("%s: v1 registrations = %v, want %v", tt.mode, got, tt.enabled)
		}
	}
}

// instanceAnswer reads an instance entity, which must be JSON, and
// gives it with the host it names itself by.
func (ta *testAPI) instanceAnswer(path string) (any, string) {
	ta.t.Helper()
	a := ta.call(http.MethodGet, path, "", "", "")
	wantJSONAnswer(ta.t, a, http.StatusOK)
	var v any
	a.json(ta.t, &v)
	return v, strings.TrimPrefix(ta.URL, "http://")
}

func TestInstanceV1(t *testing.T) {
	ta := startAPI(t, Config{InstanceName: "Tidings Test", Contact: "https://news.example/contact"})
	ta.remoteAccount(storage.KindPerson, "carol", "remote.example", nil)
	v, host := ta.instanceAnswer("/api/v1/instance")
	tests := []struct {
		keys []string
		want any
	}{
		{[]string{"uri"}, host},
		{[]string{"title"}, "Tidings Test"},
		{[]string{"version"}, "4.2.0 (compatible; Tidings)"},
		{[]string{"urls", "streaming_api"}, "ws://" + host},
		{[]string{"email"}, ""}, // the contact is no email address
		{[]string{"contact_account"}, nil},
		{[]string{"max_toot_chars"}, float64(storage.MaxBodyLength)},
		{[]string{"stats", "domain_count"}, 1.0},
		{[]string{"thumbnail"}, ta.URL + "/static/icon.svg"},
		{[]string{"configuration", "statuses", "characters_reserved_per_url"}, 23.0},
	}
	for _, tt := range tests {
		if got := jsonAt(v, tt.keys...); got != tt.want {
			t.Errorf("%s = %#v, want %#v", strings.Join(tt.keys, "."), got, tt.want)
		}
	}
	if rules, ok := jsonAt(v, "rules").([]any); !ok || len(rules) != len(storage.FlagCategories) {
		t.Errorf("rules = %#v, want the flag categories", jsonAt(v, "rules"))
	}
}

func TestInstanceListsAndStubs(t *testing.T) {
	ta := startAPI(t, Config{})
	ta.remoteAccount(storage.KindPerson, "carol", "remote.example", nil)
	ta.remoteAccount(storage.KindGroup, "rust", "lemmy.example", nil)
	alice := ta.signedUpMember("alice")
	token := ta.tokenOf(alice, "read")
	tests := []struct {
		path, token string
		status      int
		body        string
	}{
		{"/api/v1/instance/peers", "", http.StatusOK, `["lemmy.example","remote.example"]`},
		{"/api/v1/instance/activity", "", http.StatusOK, `[]`},
		{"/api/v1/instance/rules", "", http.StatusOK, ""},
		{"/api/v1/custom_emojis", "", http.StatusOK, `[]`},
		{"/api/v1/trends/tags", "", http.StatusOK, `[]`},
		{"/api/v1/trends/statuses", "", http.StatusOK, `[]`},
		{"/api/v1/trends/links", "", http.StatusOK, `[]`},
		{"/api/v1/accounts/" + alice.ID + "/featured_tags", "", http.StatusOK, `[]`},
		{"/api/v1/announcements", token, http.StatusOK, `[]`},
		{"/api/v1/announcements", "", http.StatusUnauthorized, ""},
		{"/api/v1/suggestions", token, http.StatusOK, `[]`},
		{"/api/v2/suggestions", token, http.StatusOK, `[]`},
		{"/api/v1/featured_tags", token, http.StatusOK, `[]`},
		{"/api/v1/followed_tags", token, http.StatusOK, `[]`},
		{"/api/v1/filters", token, http.StatusOK, `[]`},
		{"/api/v2/filters", token, http.StatusOK, `[]`},
		{"/api/v1/scheduled_statuses", token, http.StatusOK, `[]`},
		{"/api/v1/domain_blocks", token, http.StatusOK, `[]`},
		{"/api/v1/endorsements", token, http.StatusOK, `[]`},
		{"/api/v1/accounts/familiar_followers?id[]=" + alice.ID, token, http.StatusOK, `[]`},
		{"/api/v1/push/subscription", token, http.StatusForbidden, ""},
		{"/api/v1/push/subscription", ta.tokenOf(alice, "push"), http.StatusNotFound, `{"error":"Record not found"}`},
	}
	for _, tt := range tests {
		a := ta.call(http.MethodGet, tt.path, "", "", tt.token)
		wantJSONAnswer(t, a, tt.status)
		if tt.body != "" && strings.TrimSpace(a.Body) != tt.body {
			t.Errorf("%s: body = %s, want %s", tt.path, a.Body, tt.body)
		}
	}
}
