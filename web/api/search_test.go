package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// searchOf runs a search and returns its results, checking their shape.
func (ta *testAPI) searchOf(path, token string) map[string][]any {
	ta.t.Helper()
	ans := ta.call(http.MethodGet, path, "", "", token)
	wantJSONAnswer(ta.t, ans, http.StatusOK)
	var out map[string][]any
	ans.json(ta.t, &out)
	for _, key := range []string{"accounts", "statuses", "hashtags"} {
		if out[key] == nil {
			ta.t.Errorf("%s: %s is not an array: %s", path, key, ans.Body)
		}
	}
	for _, v := range out["accounts"] {
		wantAccountShape(ta.t, v)
	}
	for _, v := range out["statuses"] {
		wantStatusShape(ta.t, v)
	}
	for _, v := range out["hashtags"] {
		h := v.(map[string]any)
		if jsonKind(h["name"]) != "string" || jsonKind(h["url"]) != "string" || jsonKind(h["history"]) != "array" {
			ta.t.Errorf("hashtag %v is not a Tag", h)
		}
	}
	return out
}

func TestSearchFindsWhatTheViewerMaySee(t *testing.T) {
	ta := startStatusAPI(t)
	ctx := context.Background()
	alice, bob := ta.signedUpMember("alice"), ta.signedUpMember("bob")
	carol := ta.remoteAccount(storage.KindPerson, "carol", "remote.example", nil)
	p, err := ta.db.Publish(ctx, storage.PostCreate{AuthorID: alice.ID, Kind: storage.KindDiscussion,
		Headline: "Harbour reopens", Text: "The #harbour reopens after the storm."})
	if err != nil {
		t.Fatal(err)
	}
	private, err := ta.db.SaveRemotePost(ctx, storage.RemotePost{URI: "https://remote.example/notes/1", AuthorID: carol.ID,
		Content: `<p>Storm over the #harbourfront</p>`, Hashtags: []string{"harbourfront"}, Visibility: storage.Followers,
		Published: time.Now().Add(-time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	token := ta.tokenOf(bob, "read:search")

	all := ta.searchOf("/api/v2/search?q=storm", token)
	if len(all["statuses"]) != 1 || all["statuses"][0].(map[string]any)["id"] != p.ID {
		t.Errorf("statuses = %v, want alice's post only, not carol's for her followers", all["statuses"])
	}
	tags := ta.searchOf("/api/v2/search?q=%23harb&type=hashtags", token)
	if len(tags["hashtags"]) != 1 || tags["hashtags"][0].(map[string]any)["name"] != "harbour" {
		t.Errorf("hashtags = %v, want harbour only", tags["hashtags"])
	}
	accounts := ta.searchOf("/api/v1/search?q=ali&type=accounts", "")
	if len(accounts["accounts"]) != 1 || accounts["accounts"][0].(map[string]any)["id"] != alice.ID || len(accounts["statuses"]) != 0 {
		t.Errorf("accounts = %v, want alice", accounts["accounts"])
	}
	byAddress := ta.searchOf("/api/v2/search?q="+p.URI, "")
	if len(byAddress["statuses"]) != 1 || len(byAddress["accounts"]) != 0 {
		t.Errorf("by the post's address: %v", byAddress)
	}
	if hidden := ta.searchOf("/api/v2/search?q="+private.URI, token); len(hidden["statuses"]) != 0 {
		t.Errorf("a followers-only post by its address: %v", hidden["statuses"])
	}
	paged := ta.searchOf("/api/v2/search?q=storm&type=statuses&offset=1", token)
	if len(paged["statuses"]) != 0 {
		t.Errorf("offset past the one result: %v", paged["statuses"])
	}

	for path, status := range map[string]int{
		"/api/v2/search":                                                http.StatusUnprocessableEntity,
		"/api/v2/search?q=x&type=people":                                http.StatusUnprocessableEntity,
		"/api/v2/search?q=x&limit=many":                                 http.StatusUnprocessableEntity,
		"/api/v2/search?q=x&resolve=perhaps":                            http.StatusUnprocessableEntity,
		"/api/v2/search?q=x&offset=-1":                                  http.StatusUnprocessableEntity,
		"/api/v2/search?type=statuses&q=" + strings.Repeat("word+", 80): http.StatusUnprocessableEntity,
	} {
		wantJSONAnswer(t, ta.call(http.MethodGet, path, "", "", token), status)
	}
	wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v2/search?q=storm", "", "", "nonsense"), http.StatusUnauthorized)
	wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v2/search?q=storm", "", "", ta.tokenOf(bob, "write")), http.StatusForbidden)
}

func TestSearchQueryKinds(t *testing.T) {
	for _, c := range []struct {
		q               string
		address, handle bool
	}{
		{"https://news.example/@alice", true, false},
		{"http://news.example/posts/1", true, false},
		{"https://a.example/x and more", false, false},
		{"@alice", false, true},
		{"alice@news.example", false, true},
		{"from:@alice", false, false},
		{"in:climate", false, false},
		{"harbour storm", false, false},
		{"a@b c@d", false, false},
	} {
		if got := isAddress(c.q); got != c.address {
			t.Errorf("isAddress(%q) = %v, want %v", c.q, got, c.address)
		}
		if got := handleLike(c.q); got != c.handle {
			t.Errorf("handleLike(%q) = %v, want %v", c.q, got, c.handle)
		}
	}
}
