package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// memberAppToken signs the instance's member in through a new app, as the
// OAuth flow ends, with the scopes apps ask for.
func memberAppToken(t *testing.T, inst *instance, name string) string {
	t.Helper()
	ctx := context.Background()
	app, err := inst.DB.CreateOAuthApp(ctx, storage.OAuthAppCreate{Name: "Phone app",
		RedirectURIs: []string{storage.OutOfBandRedirect}, Scopes: "read write follow push"})
	if err != nil {
		t.Fatal(err)
	}
	token, err := inst.DB.IssueMemberToken(ctx, app.ID, memberOf(t, inst, name).ID, "read write follow push")
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// getJSONArray calls the client API for a JSON array; token "" calls it
// as the public.
func getJSONArray(t *testing.T, inst *instance, path, token string) []map[string]any {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, inst.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var list []map[string]any
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &list) != nil {
		t.Fatalf("GET %s: %d %s, want a JSON array", path, resp.StatusCode, body)
	}
	return list
}

// wantImageAt fetches an image the API named, failing unless it is one.
func wantImageAt(t *testing.T, address string) {
	t.Helper()
	resp, err := http.Get(address)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/") {
		t.Errorf("GET %s: %d %s, want an image", address, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// TestNewAppSignsInAndFollows is what an app does first: it reads the
// instance, checks who it acts for, looks a member up, follows them (the
// site shows it) and asks how the two stand.
func TestNewAppSignsInAndFollows(t *testing.T) {
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	member(t, inst, "bob")
	token := memberAppToken(t, inst, "alice")
	domain := inst.Config.Server.Domain

	a := apiCall(t, inst, http.MethodGet, "/api/v2/instance", "", "", "")
	wantAPIStatus(t, a, http.StatusOK)
	if v := a.str("version"); !strings.HasPrefix(v, "4.2.0 (compatible; Tidings") {
		t.Errorf("version = %q, want Mastodon 4.2.0 compatible", v)
	}
	if urls, _ := a.JSON["configuration"].(map[string]any)["urls"].(map[string]any); urls["streaming"] != "ws://"+domain {
		t.Errorf("configuration.urls = %v, want streaming at ws://%s", urls, domain)
	}
	if reg, _ := a.JSON["registrations"].(map[string]any); reg["enabled"] != true {
		t.Errorf("registrations = %v, want open as the default config", reg)
	}

	me := apiCall(t, inst, http.MethodGet, "/api/v1/accounts/verify_credentials", "", "", token)
	wantAPIStatus(t, me, http.StatusOK)
	if source, _ := me.JSON["source"].(map[string]any); me.str("username") != "alice" || source["privacy"] != "public" {
		t.Errorf("verify_credentials = %s, want alice with her source", me.Body)
	}
	wantImageAt(t, me.str("avatar"))
	wantImageAt(t, me.str("header"))

	bob := apiCall(t, inst, http.MethodGet, "/api/v1/accounts/lookup?acct=bob@"+domain, "", "", "")
	wantAPIStatus(t, bob, http.StatusOK)
	if bob.str("id") != memberOf(t, inst, "bob").ID || bob.str("acct") != "bob" {
		t.Fatalf("lookup = %s, want bob", bob.Body)
	}

	f := apiCall(t, inst, http.MethodPost, "/api/v1/accounts/"+bob.str("id")+"/follow", "", "", token)
	wantAPIStatus(t, f, http.StatusOK)
	if f.JSON["following"] != true {
		t.Errorf("follow = %s, want following", f.Body)
	}
	wantBody(t, alice.get("/@alice/following"), "@bob")

	rel := getJSONArray(t, inst, "/api/v1/accounts/relationships?id[]="+bob.str("id"), token)
	if len(rel) != 1 || rel[0]["following"] != true || rel[0]["followed_by"] != false {
		t.Errorf("relationships = %v, want alice following bob", rel)
	}
	followers := getJSONArray(t, inst, "/api/v1/accounts/"+bob.str("id")+"/followers", token)
	if len(followers) != 1 || followers[0]["acct"] != "alice" {
		t.Errorf("bob's followers = %v, want alice", followers)
	}
}

func TestUpdateCredentialsTakesAnAvatar(t *testing.T) {
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	token := memberAppToken(t, inst, "alice")
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	form.WriteField("display_name", "Alice from the app")
	part, _ := form.CreateFormFile("avatar", "me.png")
	part.Write(encodePNG(t, testImage(300, 200, false, false)))
	form.Close()

	a := apiCall(t, inst, http.MethodPatch, "/api/v1/accounts/update_credentials", form.FormDataContentType(), body.String(), token)
	wantAPIStatus(t, a, http.StatusOK)
	if a.str("display_name") != "Alice from the app" || !strings.Contains(a.str("avatar"), "/media/avatar/") {
		t.Fatalf("account = %s, want the new name and avatar", a.Body)
	}
	wantImageAt(t, a.str("avatar"))
	if m := memberOf(t, inst, "alice"); !strings.Contains(m.AvatarURL, "/media/u/") {
		t.Errorf("avatar = %q, want an upload here", m.AvatarURL)
	}
	wantBody(t, alice.get("/@alice"), "Alice from the app", a.str("avatar")[len(inst.URL):])

	var bad bytes.Buffer
	form = multipart.NewWriter(&bad)
	part, _ = form.CreateFormFile("header", "notes.png")
	part.Write([]byte("these are not pixels"))
	form.Close()
	a = apiCall(t, inst, http.MethodPatch, "/api/v1/accounts/update_credentials", form.FormDataContentType(), bad.String(), token)
	wantAPIStatus(t, a, http.StatusUnprocessableEntity)
	if a.str("error") == "" {
		t.Errorf("a header that is no image: %s, want a reason", a.Body)
	}
}

func TestAppFollowsAccountOnAnotherServer(t *testing.T) {
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	member(t, a, "alice")
	member(t, b, "bob")
	token := memberAppToken(t, a, "alice")
	handle := "@bob@" + b.Config.Server.Domain

	found := getJSONArray(t, a, "/api/v1/accounts/search?resolve=true&q="+url.QueryEscape(handle), token)
	if len(found) == 0 || found[0]["acct"] != "bob@"+b.Config.Server.Domain {
		t.Fatalf("search %s = %v, want bob resolved", handle, found)
	}
	id, _ := found[0]["id"].(string)
	f := apiCall(t, a, http.MethodPost, "/api/v1/accounts/"+id+"/follow", "", "", token)
	wantAPIStatus(t, f, http.StatusOK)
	if f.JSON["requested"] != true {
		t.Errorf("follow = %s, want requested until bob's server accepts", f.Body)
	}
	waitFor(t, "alice following bob on B", 10*time.Second, func() bool { return followersOf(t, b, "bob") == 1 })
	waitFor(t, "the follow accepted on A", 10*time.Second, func() bool {
		rel := getJSONArray(t, a, "/api/v1/accounts/relationships?id[]="+id, token)
		return len(rel) == 1 && rel[0]["following"] == true
	})
}

// TestUpdateCredentialsIsWholeOrNothing sends profile changes with an
// image that is refused: the answer is 422 and nothing changes, neither
// the text sent with it nor an image that was good, and no file is left.
func TestUpdateCredentialsIsWholeOrNothing(t *testing.T) {
	inst := startInstance(t, nil)
	member(t, inst, "alice")
	token := memberAppToken(t, inst, "alice")
	before := memberOf(t, inst, "alice")
	send := func(note string, files map[string][]byte) {
		t.Helper()
		var body bytes.Buffer
		form := multipart.NewWriter(&body)
		form.WriteField("display_name", "Alice Changed")
		form.WriteField("note", note)
		for _, name := range []string{"avatar", "header"} {
			if data, ok := files[name]; ok {
				part, _ := form.CreateFormFile(name, name+".png")
				part.Write(data)
			}
		}
		form.Close()
		a := apiCall(t, inst, http.MethodPatch, "/api/v1/accounts/update_credentials", form.FormDataContentType(), body.String(), token)
		wantAPIStatus(t, a, http.StatusUnprocessableEntity)
		if a.str("error") == "" {
			t.Errorf("answer %s, want a reason", a.Body)
		}
	}
	good := encodePNG(t, testImage(300, 200, false, false))
	for _, tt := range []struct {
		note  string
		files map[string][]byte
	}{
		{"A new bio", map[string][]byte{"avatar": []byte("these are not pixels")}},
		{"A new bio", map[string][]byte{"avatar": good, "header": []byte("these are not pixels")}},
		{"A new bio", map[string][]byte{"header": good, "avatar": []byte("these are not pixels")}},
		{strings.Repeat("A bio far too long. ", 500), map[string][]byte{"avatar": good, "header": good}},
	} {
		send(tt.note, tt.files)
		after := memberOf(t, inst, "alice")
		if after.DisplayName != before.DisplayName || after.Bio != before.Bio ||
			after.AvatarURL != before.AvatarURL || after.HeaderURL != before.HeaderURL {
			t.Errorf("member after a refused update = %+v, want unchanged %+v", after, before)
		}
		if files := uploadsOn(t, inst); len(files) != 0 {
			t.Errorf("uploads after a refused update = %v, want none", files)
		}
	}
}
