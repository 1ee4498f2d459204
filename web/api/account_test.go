package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// list decodes an answer that is a JSON array.
func (a answer) jsonList(t *testing.T) []any {
	t.Helper()
	var v []any
	a.json(t, &v)
	return v
}

// accts are the acct fields of a list of accounts.
func accts(list []any) []string {
	out := []string{}
	for _, v := range list {
		s, _ := jsonAt(v, "acct").(string)
		out = append(out, s)
	}
	return out
}

func TestShowAndLookUpAccounts(t *testing.T) {
	ta := startAPI(t, Config{})
	ctx := context.Background()
	alice := ta.signedUpMember("alice")
	carol := ta.remoteAccount(storage.KindPerson, "carol", "remote.example", nil)
	if _, err := ta.db.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "climate", Title: "Climate"}, alice.ID); err != nil {
		t.Fatal(err)
	}
	ta.db.Registration = storage.RegistrationApproval
	waiting, err := ta.db.Register(ctx, storage.Registration{MemberCreate: storage.MemberCreate{
		Username: "wanda", Email: "wanda@example.org", Password: "correct horse", JoinReason: "I read news."}})
	if err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(ta.URL, "http://")
	tests := []struct {
		path   string
		status int
		acct   string
	}{
		{"/api/v1/accounts/" + alice.ID, http.StatusOK, "alice"},
		{"/api/v1/accounts/" + carol.ID, http.StatusOK, "carol@remote.example"},
		{"/api/v1/accounts/" + waiting.ID, http.StatusNotFound, ""},
		{"/api/v1/accounts/01ARZ3NDEKTSV4RRFFQ69G5FAV", http.StatusNotFound, ""},
		{"/api/v1/accounts/lookup?acct=alice", http.StatusOK, "alice"},
		{"/api/v1/accounts/lookup?acct=@Alice", http.StatusOK, "alice"},
		{"/api/v1/accounts/lookup?acct=alice@" + host, http.StatusOK, "alice"},
		{"/api/v1/accounts/lookup?acct=carol@remote.example", http.StatusOK, "carol@remote.example"},
		{"/api/v1/accounts/lookup?acct=climate", http.StatusOK, "climate"},
		{"/api/v1/accounts/lookup?acct=carol@REMOTE.example", http.StatusOK, "carol@remote.example"},
		{"/api/v1/accounts/lookup?acct=dave@remote.example", http.StatusNotFound, ""},
		{"/api/v1/accounts/lookup?acct=wanda", http.StatusNotFound, ""},
		{"/api/v1/accounts/lookup?acct=carol", http.StatusNotFound, ""},
		{"/api/v1/accounts/lookup", http.StatusUnprocessableEntity, ""},
	}
	for _, tt := range tests {
		a := ta.call(http.MethodGet, tt.path, "", "", "")
		wantJSONAnswer(t, a, tt.status)
		var v any
		a.json(t, &v)
		switch {
		case tt.status == http.StatusNotFound && strings.TrimSpace(a.Body) != `{"error":"Record not found"}`:
			t.Errorf("%s: body = %s, want Mastodon's 404", tt.path, a.Body)
		case tt.status != http.StatusOK && jsonAt(v, "error") == nil:
			t.Errorf("%s: body = %s, want an error", tt.path, a.Body)
		case tt.status == http.StatusOK:
			wantAccountShape(t, v)
			if got := jsonAt(v, "acct"); got != tt.acct {
				t.Errorf("%s: acct = %v, want %s", tt.path, got, tt.acct)
			}
			if got, want := jsonAt(v, "group"), tt.acct == "climate"; got != want {
				t.Errorf("%s: group = %v, want %v", tt.path, got, want)
			}
		}
	}
	wantJSONAnswer(t, ta.call(http.MethodDelete, "/api/v1/accounts/"+alice.ID, "", "", ""), http.StatusMethodNotAllowed)
	// A token sent must be good, even where none is needed.
	wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v1/accounts/"+alice.ID, "", "", "not-a-token"), http.StatusUnauthorized)
	wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v1/accounts/"+alice.ID, "", "", ta.tokenOf(alice, "write")), http.StatusForbidden)
}

func TestSearchAccounts(t *testing.T) {
	ta := startAPI(t, Config{})
	ctx := context.Background()
	alice := ta.signedUpMember("alice")
	ta.signedUpMember("alfred")
	ta.signedUpMember("bob")
	name := "Albatross News"
	bob, _ := ta.db.MemberByUsername(ctx, "bob")
	if _, err := ta.db.UpdateProfile(ctx, bob.ID, storage.ProfileUpdate{DisplayName: &name}); err != nil {
		t.Fatal(err)
	}
	ta.remoteAccount(storage.KindPerson, "alma", "remote.example", nil)
	ta.remoteAccount(storage.KindPerson, "zoe", "alpha.example", nil)
	token := ta.tokenOf(alice, "read")
	tests := []struct {
		q    string
		want []string
	}{
		{"al", []string{"bob", "alice", "alfred", "alma@remote.example"}}, // here first, short names first
		{"@alf", []string{"alfred"}},
		{"albatross", []string{"bob"}},
		{"alma@remote", []string{"alma@remote.example"}},
		{"zoe@alpha.example", []string{"zoe@alpha.example"}},
		{"%", []string{}},
		{"al_c", []string{}},
	}
	for _, tt := range tests {
		a := ta.call(http.MethodGet, "/api/v1/accounts/search?resolve=true&q="+url.QueryEscape(tt.q), "", "", token)
		wantJSONAnswer(t, a, http.StatusOK)
		list := a.jsonList(t)
		for _, v := range list {
			wantAccountShape(t, v)
		}
		got := accts(list)
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("search %q = %v, want %v", tt.q, got, tt.want)
		}
	}
	if got := accts(ta.call(http.MethodGet, "/api/v1/accounts/search?q=al&limit=1", "", "", "").jsonList(t)); len(got) != 1 {
		t.Errorf("search with limit 1 = %v, want one account", got)
	}
	if got := accts(ta.call(http.MethodGet, "/api/v1/accounts/search?q=al&offset=40", "", "", "").jsonList(t)); len(got) != 0 {
		t.Errorf("search past the first page = %v, want none", got)
	}
	for _, bad := range []string{"", "limit=x&q=al", "resolve=maybe&q=al"} {
		a := ta.call(http.MethodGet, "/api/v1/accounts/search?"+bad, "", "", token)
		wantJSONAnswer(t, a, http.StatusUnprocessableEntity)
	}
}
