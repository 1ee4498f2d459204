package federation

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// getJSON fetches a document from the instance as an ActivityPub client.
func (in *inboxTestInstance) getJSON(t *testing.T, path string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, in.srv.URL+path, nil)
	req.Header.Set("Accept", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	json.NewDecoder(resp.Body).Decode(&doc)
	return resp.StatusCode, doc
}

func TestMemberDocumentsAndCollections(t *testing.T) {
	in := newInboxTestInstance(t)
	ctx := context.Background()
	site := in.fed.cfg.Site
	alice, _ := in.db.MemberByUsername(ctx, "alice")
	bio := "Covers the river."
	locked := true
	if _, err := in.db.UpdateProfile(ctx, alice.ID, storage.ProfileUpdate{Bio: &bio, HideNetwork: &locked}); err != nil {
		t.Fatal(err)
	}
	post, err := in.db.CreatePost(ctx, alice.ID, "The river is rising.")
	if err != nil {
		t.Fatal(err)
	}

	status, person := in.getJSON(t, "/users/alice")
	if status != http.StatusOK {
		t.Fatalf("actor: %d", status)
	}
	for key, want := range map[string]any{
		"id": site.ActorURI("alice"), "type": "Person", "preferredUsername": "alice",
		"inbox": site.ActorURI("alice") + "/inbox", "summary": "<p>Covers the river.</p>",
		"url": site.ProfileURL("alice"), "manuallyApprovesFollowers": false,
	} {
		if person[key] != want {
			t.Errorf("actor %s = %v, want %v", key, person[key], want)
		}
	}
	if endpoints, _ := person["endpoints"].(map[string]any); endpoints["sharedInbox"] != site.SharedInbox() {
		t.Errorf("endpoints = %v", person["endpoints"])
	}
	key, _ := person["publicKey"].(map[string]any)
	if key["id"] != site.ActorURI("alice")+"#main-key" || key["owner"] != site.ActorURI("alice") ||
		!strings.HasPrefix(key["publicKeyPem"].(string), "-----BEGIN PUBLIC KEY-----") {
		t.Errorf("publicKey = %v", key)
	}
	if _, profile := in.getJSON(t, "/@alice"); profile["id"] != site.ActorURI("alice") {
		t.Errorf("/@alice for an ActivityPub client = %v", profile["id"])
	}

	// The network is hidden: counts, but no pages.
	_, followers := in.getJSON(t, "/users/alice/followers")
	if followers["totalItems"] != float64(0) || followers["first"] != nil {
		t.Errorf("hidden followers collection = %v", followers)
	}
	if _, page := in.getJSON(t, "/users/alice/followers?page=true"); page["type"] != "OrderedCollection" {
		t.Errorf("a page of a hidden collection was served: %v", page)
	}

	_, outbox := in.getJSON(t, "/users/alice/outbox")
	if outbox["totalItems"] != float64(1) {
		t.Errorf("outbox = %v", outbox)
	}
	_, page := in.getJSON(t, "/users/alice/outbox?page=true")
	items, _ := page["orderedItems"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["id"] != post.URI+"/activity" {
		t.Errorf("outbox page = %v", page)
	}
	if status, note := in.getJSON(t, "/posts/"+post.ID); status != http.StatusOK || note["type"] != "Note" || note["attributedTo"] != site.ActorURI("alice") {
		t.Errorf("note: %d %v", status, note)
	}
	if err := in.db.DeletePost(ctx, alice.ID, post.ID); err != nil {
		t.Fatal(err)
	}
	if status, _ := in.getJSON(t, "/posts/"+post.ID); status != http.StatusGone {
		t.Errorf("a deleted post answers %d, want 410", status)
	}
	if status, _ := in.getJSON(t, "/users/nobody"); status != http.StatusNotFound {
		t.Errorf("unknown member: %d", status)
	}
}

func TestDiscovery(t *testing.T) {
	in := newInboxTestInstance(t)
	site := in.fed.cfg.Site
	for resource, self := range map[string]string{
		"acct:alice@" + site.Domain:                   site.ActorURI("alice"),
		site.ActorURI("alice"):                        site.ActorURI("alice"),
		site.ProfileURL("alice"):                      site.ActorURI("alice"),
		"acct:" + site.Hostname() + "@" + site.Domain: site.InstanceActorURI(),
	} {
		resp, err := http.Get(in.srv.URL + "/.well-known/webfinger?resource=" + resource)
		if err != nil {
			t.Fatal(err)
		}
		var doc jrd
		json.NewDecoder(resp.Body).Decode(&doc)
		resp.Body.Close()
		found := false
		for _, l := range doc.Links {
			found = found || (l.Rel == "self" && l.Href == self && l.Type == "application/activity+json")
		}
		if resp.StatusCode != http.StatusOK || !found {
			t.Errorf("webfinger %s: %d %+v", resource, resp.StatusCode, doc)
		}
	}
	for resource, want := range map[string]int{
		"": 400, "acct:nobody@" + site.Domain: 404, "acct:alice@elsewhere.example": 404,
	} {
		resp, err := http.Get(in.srv.URL + "/.well-known/webfinger?resource=" + resource)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("webfinger %q: %d, want %d", resource, resp.StatusCode, want)
		}
	}

	resp, err := http.Get(in.srv.URL + "/nodeinfo/2.1")
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		Version  string                `json:"version"`
		Software struct{ Name string } `json:"software"`
		Usage    struct {
			Users struct{ Total int } `json:"users"`
		} `json:"usage"`
	}
	json.NewDecoder(resp.Body).Decode(&info)
	resp.Body.Close()
	if info.Version != "2.1" || info.Software.Name != "tidings" || info.Usage.Users.Total != 1 {
		t.Errorf("nodeinfo = %+v", info)
	}
	resp, err = http.Get(in.srv.URL + "/.well-known/host-meta")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/xrd+xml") {
		t.Errorf("host-meta content type %q", resp.Header.Get("Content-Type"))
	}
}
