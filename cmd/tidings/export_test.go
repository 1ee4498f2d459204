package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// The archive a member downloads is a ZIP with their posts, comments,
// likes, follows, flags and corrections, a readable index, and nothing
// private of anyone else.
func TestExportArchiveDownload(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, func(c *Config) { c.Corrections.MinAccountAgeDays = 0 })
	alice := member(t, a, "alice")
	bob := member(t, a, "bob")
	bob.get("/")
	wantStatus(t, bob.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"Council meets tonight"},
		"text": {"Agenda inside."}, "action": {"publish"}}), http.StatusSeeOther)
	bobs := latestPost(t, a, "bob")
	aliceID, bobID := actorOf(t, a, "alice").ID, actorOf(t, a, "bob").ID

	alice.get("/")
	wantStatus(t, alice.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"Library hours extended"},
		"text": {"From Monday."}, "action": {"publish"}}), http.StatusSeeOther)
	alice.get("/posts/" + bobs.ID)
	wantStatus(t, alice.post("/posts/"+bobs.ID+"/comments", url.Values{"text": {"Which room?"}}), http.StatusSeeOther)
	wantStatus(t, alice.post("/posts/"+bobs.ID+"/like", nil), http.StatusSeeOther)
	if _, err := a.DB.Follow(ctx, aliceID, bobID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.FlagItem(ctx, storage.FlagCreate{ReporterID: aliceID, PostID: bobs.ID, Category: storage.FlagSpam, Comment: "too many caps"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.ReviseHeadline(ctx, storage.HeadlineEdit{PostID: bobs.ID, EditorID: aliceID, BaseRevision: 1,
		Headline: "Council meets tonight at seven", Reason: "The time."}); err != nil {
		t.Fatal(err)
	}

	// Boosts, alice's and bob's: only alice's are hers.
	if err := a.DB.BoostPost(ctx, aliceID, bobs.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.DB.BoostPost(ctx, bobID, bobs.ID); err != nil {
		t.Fatal(err)
	}

	// Bookmarks and apps, alice's and bob's: only alice's are hers.
	if err := a.DB.Bookmark(ctx, aliceID, bobs.ID); err != nil {
		t.Fatal(err)
	}
	alicesPost := latestPost(t, a, "alice")
	if err := a.DB.Bookmark(ctx, bobID, alicesPost.ID); err != nil {
		t.Fatal(err)
	}
	app, err := a.DB.CreateOAuthApp(ctx, storage.OAuthAppCreate{Name: "Harbour Reader", Website: "https://reader.example",
		RedirectURIs: []string{storage.OutOfBandRedirect}, Scopes: "read write"})
	if err != nil {
		t.Fatal(err)
	}
	token, err := a.DB.IssueMemberToken(ctx, app.ID, aliceID, "read")
	if err != nil {
		t.Fatal(err)
	}
	bobsApp, err := a.DB.CreateOAuthApp(ctx, storage.OAuthAppCreate{Name: "Bob's Phone",
		RedirectURIs: []string{storage.OutOfBandRedirect}, Scopes: "read"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.IssueMemberToken(ctx, bobsApp.ID, bobID, "read"); err != nil {
		t.Fatal(err)
	}

	alice.get("/settings/export")
	req, _ := http.NewRequest(http.MethodGet, a.URL+"/settings/export.zip", nil)
	resp, err := alice.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="tidings-`) {
		t.Fatalf("download: %d %v", resp.StatusCode, resp.Header)
	}
	files := unzip(t, body)
	for _, name := range []string{"profile.json", "posts.json", "corrections.json", "likes.json", "boosts.json", "bookmarks.json", "follows.json",
		"flags.json", "apps.json", "index.html"} {
		if _, ok := files[name]; !ok {
			t.Errorf("the archive has no %s", name)
		}
	}
	var posts []struct{ URI, Kind, Headline string }
	decode(t, files["posts.json"], &posts)
	if len(posts) != 2 || posts[0].Headline != "Library hours extended" || posts[1].Kind != storage.KindComment {
		t.Errorf("posts.json = %+v", posts)
	}
	var likes []struct {
		PostURI string `json:"post_uri"`
	}
	decode(t, files["likes.json"], &likes)
	if len(likes) != 1 || likes[0].PostURI != bobs.URI {
		t.Errorf("likes.json = %+v", likes)
	}
	var boosts []struct {
		PostURI   string    `json:"post_uri"`
		BoostedAt time.Time `json:"boosted_at"`
	}
	decode(t, files["boosts.json"], &boosts)
	if len(boosts) != 1 || boosts[0].PostURI != bobs.URI || boosts[0].BoostedAt.IsZero() {
		t.Errorf("boosts.json = %+v, want alice's one boost", boosts)
	}
	var bookmarks []struct {
		PostURI      string    `json:"post_uri"`
		PostURL      string    `json:"post_url"`
		Headline     string    `json:"headline"`
		BookmarkedAt time.Time `json:"bookmarked_at"`
	}
	decode(t, files["bookmarks.json"], &bookmarks)
	if len(bookmarks) != 1 || bookmarks[0].PostURI != bobs.URI || bookmarks[0].PostURL != bobs.URL ||
		bookmarks[0].Headline != "Council meets tonight at seven" || bookmarks[0].BookmarkedAt.IsZero() {
		t.Errorf("bookmarks.json = %+v, want alice's bookmark of bob's post", bookmarks)
	}
	var apps []struct {
		Name         string    `json:"name"`
		Website      string    `json:"website"`
		Scopes       []string  `json:"scopes"`
		AuthorizedAt time.Time `json:"authorized_at"`
	}
	decode(t, files["apps.json"], &apps)
	if len(apps) != 1 || apps[0].Name != "Harbour Reader" || apps[0].Website != "https://reader.example" ||
		len(apps[0].Scopes) != 1 || apps[0].Scopes[0] != "read" || apps[0].AuthorizedAt.IsZero() {
		t.Errorf("apps.json = %+v, want the app alice authorized", apps)
	}
	var follows struct{ Following, Followers []struct{ Handle string } }
	decode(t, files["follows.json"], &follows)
	if len(follows.Following) != 1 || follows.Following[0].Handle != "@bob@"+a.Config.Server.Domain || len(follows.Followers) != 0 {
		t.Errorf("follows.json = %+v", follows)
	}
	var flags []struct{ Comment string }
	decode(t, files["flags.json"], &flags)
	if len(flags) != 1 || flags[0].Comment != "too many caps" {
		t.Errorf("flags.json = %+v", flags)
	}
	var corrections []struct{ Headline, Previous string }
	decode(t, files["corrections.json"], &corrections)
	if len(corrections) != 1 || corrections[0].Headline != "Council meets tonight at seven" {
		t.Errorf("corrections.json = %+v", corrections)
	}
	index := string(files["index.html"])
	for _, want := range []string{"Library hours extended", "Which room?", "Council meets tonight at seven", "too many caps", "@bob@",
		"Harbour Reader", "<h2>Bookmarks</h2>"} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html does not show %q", want)
		}
	}
	if strings.Contains(index, "<script") {
		t.Errorf("index.html has a script")
	}
	for name, content := range files {
		if bytes.Contains(content, []byte("bob@example.org")) || bytes.Contains(content, []byte("Agenda inside.")) ||
			bytes.Contains(content, []byte("Bob's Phone")) {
			t.Errorf("%s holds bob's data", name)
		}
		if bytes.Contains(content, []byte(token)) || bytes.Contains(content, []byte(app.ClientSecret)) ||
			bytes.Contains(content, []byte(app.ClientID)) {
			t.Errorf("%s holds a secret of alice's app", name)
		}
	}

	// Visitors get nothing.
	p := newVisitor(t, a).get("/settings/export.zip")
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/signin") {
		t.Errorf("a visitor's download: %d %s", p.Status, p.Location)
	}
}

// unzip reads every file of a ZIP archive.
func unzip(t *testing.T, body []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("open the archive: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

func decode(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
}
