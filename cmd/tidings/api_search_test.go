package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSearchFromAnAppResolvesAnotherInstance searches as an app does:
// a post by its words, and an account of a second instance by its
// handle and by its address, which only a signed-in member's search
// with resolve fetches.
func TestSearchFromAnAppResolvesAnotherInstance(t *testing.T) {
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	alice := member(t, a, "alice")
	member(t, b, "bob")
	wantStatus(t, alice.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"Harbour reopens"},
		"text": {"The #harbour reopens after the storm."}, "action": {"publish"}}), http.StatusSeeOther)
	token := memberToken(t, a, "alice", "read")

	found := apiCall(t, a, http.MethodGet, "/api/v2/search?q=storm&type=statuses", "", "", token)
	wantAPIStatus(t, found, http.StatusOK)
	statuses, _ := found.JSON["statuses"].([]any)
	if len(statuses) != 1 || !strings.Contains(statuses[0].(map[string]any)["content"].(string), "reopens after the storm") {
		t.Errorf("statuses found = %v, want the post", found.JSON["statuses"])
	}
	tags := apiCall(t, a, http.MethodGet, "/api/v1/search?q=%23harb", "", "", "")
	wantAPIStatus(t, tags, http.StatusOK)
	if list, _ := tags.JSON["hashtags"].([]any); len(list) != 1 || list[0].(map[string]any)["name"] != "harbour" {
		t.Errorf("hashtags found = %v, want harbour", tags.JSON["hashtags"])
	}

	bobHandle := "bob@" + strings.TrimPrefix(b.URL, "http://")
	public := apiCall(t, a, http.MethodGet, "/api/v2/search?resolve=true&q="+url.QueryEscape(bobHandle), "", "", "")
	wantAPIStatus(t, public, http.StatusOK)
	if list, _ := public.JSON["accounts"].([]any); len(list) != 0 {
		t.Errorf("the public resolved %v; only members may make this server fetch", list)
	}
	unresolved := apiCall(t, a, http.MethodGet, "/api/v2/search?q="+url.QueryEscape(bobHandle), "", "", token)
	if list, _ := unresolved.JSON["accounts"].([]any); len(list) != 0 {
		t.Errorf("without resolve found %v, want nothing fetched", list)
	}
	resolved := apiCall(t, a, http.MethodGet, "/api/v2/search?type=accounts&resolve=true&q="+url.QueryEscape("@"+bobHandle), "", "", token)
	wantAPIStatus(t, resolved, http.StatusOK)
	list, _ := resolved.JSON["accounts"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["acct"] != bobHandle {
		t.Fatalf("resolved accounts = %v, want %s", resolved.JSON["accounts"], bobHandle)
	}
	if hashtags, _ := resolved.JSON["hashtags"].([]any); hashtags == nil || resolved.JSON["statuses"] == nil {
		t.Errorf("empty results are not [] in %s", resolved.Body)
	}

	carolURL := b.URL + "/users/carol"
	member(t, b, "carol")
	byAddress := apiCall(t, a, http.MethodGet, "/api/v2/search?resolve=true&q="+url.QueryEscape(carolURL), "", "", token)
	wantAPIStatus(t, byAddress, http.StatusOK)
	if list, _ := byAddress.JSON["accounts"].([]any); len(list) != 1 || list[0].(map[string]any)["username"] != "carol" {
		t.Errorf("resolved by address = %v, want carol", byAddress.JSON["accounts"])
	}
}
