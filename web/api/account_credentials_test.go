package api

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

func TestVerifyCredentials(t *testing.T) {
	ta := startAPI(t, Config{})
	ctx := context.Background()
	alice := ta.signedUpMember("alice")
	bio, fields := "Reporter. **Bold**.", []storage.ProfileField{{Name: "Site", Value: "https://alice.example"}}
	if _, err := ta.db.UpdateProfile(ctx, alice.ID, storage.ProfileUpdate{Bio: &bio, Fields: &fields}); err != nil {
		t.Fatal(err)
	}
	for _, scope := range []string{"read", "read:accounts", "profile"} {
		a := ta.call(http.MethodGet, "/api/v1/accounts/verify_credentials", "", "", ta.tokenOf(alice, scope))
		wantJSONAnswer(t, a, http.StatusOK)
		var v any
		a.json(t, &v)
		wantAccountShape(t, v)
		tests := []struct {
			keys []string
			want any
		}{
			{[]string{"id"}, alice.ID},
			{[]string{"acct"}, "alice"},
			{[]string{"source", "privacy"}, "public"},
			{[]string{"source", "sensitive"}, false},
			{[]string{"source", "language"}, "en"},
			{[]string{"source", "note"}, bio},
			{[]string{"source", "follow_requests_count"}, 0.0},
			{[]string{"role", "id"}, "-99"},
			{[]string{"role", "permissions"}, "0"},
			{[]string{"role", "highlighted"}, false},
		}
		for _, tt := range tests {
			if got := jsonAt(v, tt.keys...); got != tt.want {
				t.Errorf("scope %s: %s = %#v, want %#v", scope, strings.Join(tt.keys, "."), got, tt.want)
			}
		}
		if f, _ := jsonAt(v, "source", "fields").([]any); len(f) != 1 || jsonAt(f[0], "value") != "https://alice.example" {
			t.Errorf("source.fields = %v, want the field as written", jsonAt(v, "source", "fields"))
		}
		if note, _ := jsonAt(v, "note").(string); !strings.Contains(note, "<strong>Bold</strong>") {
			t.Errorf("note = %q, want the bio rendered", note)
		}
	}
	for _, tt := range []struct {
		token  string
		status int
	}{
		{"", http.StatusUnauthorized},
		{"nope", http.StatusUnauthorized},
		{ta.tokenOf(alice, "write"), http.StatusForbidden},
	} {
		wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v1/accounts/verify_credentials", "", "", tt.token), tt.status)
	}
}

// credentialsForm is a multipart form of the fields, and of files given
// as name → content.
func credentialsForm(t *testing.T, fields url.Values, files map[string][]byte) (contentType, body string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for name, data := range files {
		part, err := w.CreateFormFile(name, name+".png")
		if err != nil {
			t.Fatal(err)
		}
		part.Write(data)
	}
	w.Close()
	return w.FormDataContentType(), b.String()
}

func TestUpdateCredentials(t *testing.T) {
	ta := startAPI(t, Config{})
	ctx := context.Background()
	alice := ta.signedUpMember("alice")
	token := ta.tokenOf(alice, "read write")
	patch := func(contentType, body string) (answer, any) {
		a := ta.call(http.MethodPatch, "/api/v1/accounts/update_credentials", contentType, body, token)
		var v any
		a.json(t, &v)
		return a, v
	}

	a, v := patch("application/json", `{"display_name":"Alice A.","note":"Hello *there*","locked":true,
		"fields_attributes":[{"name":"Site","value":"https://alice.example"},{"name":"Pronouns","value":"she/her"}],
		"source":{"privacy":"public","language":"en"}}`)
	wantJSONAnswer(t, a, http.StatusOK)
	wantAccountShape(t, v)
	if jsonAt(v, "display_name") != "Alice A." || jsonAt(v, "locked") != true || jsonAt(v, "source", "note") != "Hello *there*" {
		t.Errorf("account after JSON update = %v", v)
	}
	m, err := ta.db.MemberByID(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	profile, err := ta.db.ProfileOf(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.DisplayName != "Alice A." || !m.ManuallyApprovesFollowers || profile.BioSource != "Hello *there*" || len(profile.Fields) != 2 {
		t.Errorf("member after update = %+v, profile %+v", m, profile)
	}

	a, v = patch("application/x-www-form-urlencoded", url.Values{"locked": {"false"}, "hide_collections": {"1"},
		"fields_attributes[0][name]": {"Site"}, "fields_attributes[0][value]": {"https://alice.example/new"}}.Encode())
	wantJSONAnswer(t, a, http.StatusOK)
	if f, _ := jsonAt(v, "fields").([]any); len(f) != 1 || !strings.Contains(jsonAt(f[0], "value").(string), "alice.example/new") {
		t.Errorf("fields after form update = %v, want the one new field", jsonAt(v, "fields"))
	}
	if jsonAt(v, "locked") != false || jsonAt(v, "hide_collections") != true || jsonAt(v, "display_name") != "Alice A." {
		t.Errorf("account after form update = %v", v)
	}

	ct, body := credentialsForm(t, url.Values{"display_name": {"Alice M."}}, nil)
	a, v = patch(ct, body)
	wantJSONAnswer(t, a, http.StatusOK)
	if jsonAt(v, "display_name") != "Alice M." {
		t.Errorf("display_name after multipart update = %v", jsonAt(v, "display_name"))
	}

	refusals := []struct {
		what, contentType, body string
		status                  int
	}{
		{"a long bio", "application/json", `{"note":"` + strings.Repeat("x", 5000) + `"}`, http.StatusUnprocessableEntity},
		{"too many fields", "application/x-www-form-urlencoded", strings.Repeat("fields_attributes[0][name]=a&", 1) +
			"fields_attributes[1][name]=b&fields_attributes[2][name]=c&fields_attributes[3][name]=d&fields_attributes[4][name]=e", http.StatusUnprocessableEntity},
		{"locked not a boolean", "application/json", `{"locked":"perhaps"}`, http.StatusUnprocessableEntity},
		{"no uploads here", "", "", http.StatusUnprocessableEntity},
		{"bad JSON", "application/json", `{"note":`, http.StatusBadRequest},
	}
	for _, tt := range refusals {
		if tt.what == "no uploads here" {
			tt.contentType, tt.body = credentialsForm(t, nil, map[string][]byte{"avatar": []byte("not an image")})
		}
		a, v := patch(tt.contentType, tt.body)
		wantJSONAnswer(t, a, tt.status)
		if msg, _ := jsonAt(v, "error").(string); msg == "" {
			t.Errorf("%s: body = %s, want a reason", tt.what, a.Body)
		}
	}
	after, _ := ta.db.ProfileOf(ctx, alice.ID)
	if after.BioSource != "Hello *there*" || len(after.Fields) != 1 {
		t.Errorf("profile after refusals = %+v, want it unchanged", after)
	}
	for _, tt := range []struct {
		token  string
		status int
	}{
		{"", http.StatusUnauthorized},
		{ta.tokenOf(alice, "read"), http.StatusForbidden},
	} {
		a := ta.call(http.MethodPatch, "/api/v1/accounts/update_credentials", "application/json", `{"display_name":"X"}`, tt.token)
		wantJSONAnswer(t, a, tt.status)
	}
}

func TestPreferences(t *testing.T) {
	ta := startAPI(t, Config{})
	alice := ta.signedUpMember("alice")
	a := ta.call(http.MethodGet, "/api/v1/preferences", "", "", ta.tokenOf(alice, "read"))
	wantJSONAnswer(t, a, http.StatusOK)
	var v any
	a.json(t, &v)
	for key, want := range map[string]any{
		"posting:default:visibility": "public", "posting:default:sensitive": false, "posting:default:language": nil,
		"reading:expand:media": "default", "reading:expand:spoilers": false,
	} {
		if got, ok := v.(map[string]any)[key]; !ok || got != want {
			t.Errorf("%s = %#v, want %#v", key, got, want)
		}
	}
	wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v1/preferences", "", "", ""), http.StatusUnauthorized)
}
