package api

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// linkPattern reads the rel's address of a Link header.
func linkOf(t *testing.T, header, rel string) string {
	t.Helper()
	m := regexp.MustCompile(`<([^>]+)>; rel="` + rel + `"`).FindStringSubmatch(header)
	if m == nil {
		return ""
	}
	return m[1]
}

// timeline gets a timeline at path (absolute or not) and answers the
// ids of its statuses and its Link header, checking every status's
// shape.
func (ta *testAPI) timeline(path, token string) ([]string, string) {
	ta.t.Helper()
	ans := ta.call(http.MethodGet, strings.TrimPrefix(path, ta.URL), "", "", token)
	wantJSONAnswer(ta.t, ans, http.StatusOK)
	var list []any
	ans.json(ta.t, &list)
	ids := []string{}
	for _, v := range list {
		ids = append(ids, wantStatusShape(ta.t, v)["id"].(string))
	}
	return ids, ans.Header.Get("Link")
}

// publish makes a discussion by the member, in the subwiki if one is
// given.
func (ta *testAPI) publish(m *storage.Member, headline, subwikiID string) *storage.Post {
	ta.t.Helper()
	p, err := ta.db.Publish(context.Background(), storage.PostCreate{AuthorID: m.ID, Kind: storage.KindDiscussion,
		Headline: headline, Text: "About " + headline, SubwikiID: subwikiID})
	if err != nil {
		ta.t.Fatal(err)
	}
	return p
}

func sameIDs(got []string, want ...*storage.Post) bool {
	if len(got) != len(want) {
		return false
	}
	for i, p := range want {
		if got[i] != p.ID {
			return false
		}
	}
	return true
}

func TestHomeTimelinePaging(t *testing.T) {
	ta := startStatusAPI(t)
	alice := ta.signedUpMember("alice")
	token := ta.tokenOf(alice, "read:statuses")
	var posts []*storage.Post
	for _, h := range []string{"One", "Two", "Three", "Four", "Five"} {
		posts = append(posts, ta.publish(alice, h, ""))
	}

	ids, link := ta.timeline("/api/v1/timelines/home?limit=2", token)
	if !sameIDs(ids, posts[4], posts[3]) {
		t.Fatalf("first page = %v, want Five, Four", ids)
	}
	next, prev := linkOf(t, link, "next"), linkOf(t, link, "prev")
	if !strings.HasPrefix(next, ta.URL+"/api/v1/timelines/home?") || !strings.Contains(next, "limit=2") {
		t.Errorf("next = %q, want the timeline's address with its limit", next)
	}
	ids, link = ta.timeline(next, token)
	if !sameIDs(ids, posts[2], posts[1]) {
		t.Errorf("next page = %v, want Three, Two", ids)
	}
	ids, _ = ta.timeline(linkOf(t, link, "next"), token)
	if !sameIDs(ids, posts[0]) {
		t.Errorf("last page = %v, want One", ids)
	}

	if ids, _ = ta.timeline(prev, token); len(ids) != 0 {
		t.Errorf("newer than the newest = %v, want nothing", ids)
	}
	six := ta.publish(alice, "Six", "")
	if ids, _ = ta.timeline(prev, token); !sameIDs(ids, six) {
		t.Errorf("prev page after a new post = %v, want Six", ids)
	}
	ids, _ = ta.timeline("/api/v1/timelines/home?limit=2&min_id="+posts[1].ID, token)
	if !sameIDs(ids, posts[3], posts[2]) {
		t.Errorf("min_id page = %v, want Four, Three (right after Two)", ids)
	}
	ids, _ = ta.timeline("/api/v1/timelines/home?limit=2&since_id="+posts[1].ID, token)
	if !sameIDs(ids, six, posts[4]) {
		t.Errorf("since_id page = %v, want Six, Five (the newest)", ids)
	}

	for path, want := range map[string]int{
		"/api/v1/timelines/home":           http.StatusUnauthorized,
		"/api/v1/timelines/home?limit=ten": http.StatusUnprocessableEntity,
	} {
		tok := token
		if want == http.StatusUnauthorized {
			tok = ""
		}
		wantJSONAnswer(t, ta.call(http.MethodGet, path, "", "", tok), want)
	}
	wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v1/timelines/home", "", "", ta.tokenOf(alice, "write")),
		http.StatusForbidden)
}

func TestFollowersOnlyPostStaysWithFollowers(t *testing.T) {
	ta := startStatusAPI(t)
	ctx := context.Background()
	bob, dora := ta.signedUpMember("bob"), ta.signedUpMember("dora")
	carol := ta.remoteAccount(storage.KindPerson, "carol", "remote.example", nil)
	save := func(id, visibility string) *storage.Post {
		p, err := ta.db.SaveRemotePost(ctx, storage.RemotePost{URI: "https://remote.example/notes/" + id,
			AuthorID: carol.ID, Content: "<p>Note " + id + "</p>", Visibility: visibility,
			Published: time.Now().Add(-time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	public, private := save("1", storage.Public), save("2", storage.Followers)
	f, err := ta.db.Follow(ctx, bob.ID, carol.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := ta.db.ReceiveAccept(ctx, carol.ID, f.ActivityURI, bob.ID); err != nil {
		t.Fatal(err)
	}
	bobToken, doraToken := ta.tokenOf(bob, "read"), ta.tokenOf(dora, "read")

	for _, token := range []string{"", doraToken} {
		ids, _ := ta.timeline("/api/v1/timelines/public", token)
		if !sameIDs(ids, public) {
			t.Errorf("public timeline = %v, want only the public note %s", ids, public.ID)
		}
		ans := ta.call(http.MethodGet, "/api/v1/statuses/"+private.ID, "", "", token)
		wantJSONAnswer(t, ans, http.StatusNotFound)
		if ans.Body != `{"error":"Record not found"}`+"\n" {
			t.Errorf("body = %q, want Mastodon's Record not found", ans.Body)
		}
		if ans = ta.call(http.MethodGet, "/api/v1/accounts/"+carol.ID+"/statuses", "", "", token); strings.Contains(ans.Body, private.ID) {
			t.Errorf("carol's statuses show the followers-only note to a stranger")
		}
	}
	if ids, _ := ta.timeline("/api/v1/timelines/public?local=true", ""); len(ids) != 0 {
		t.Errorf("local timeline = %v, want none of another server's posts", ids)
	}
	if ids, _ := ta.timeline("/api/v1/timelines/public?remote=true", ""); !sameIDs(ids, public) {
		t.Errorf("remote timeline = %v, want the public note", ids)
	}

	ans := ta.call(http.MethodGet, "/api/v1/statuses/"+private.ID, "", "", bobToken)
	wantJSONAnswer(t, ans, http.StatusOK)
	var s status
	ans.json(t, &s)
	if s.Visibility != "private" {
		t.Errorf("visibility = %q, want private", s.Visibility)
	}
	if ids, _ := ta.timeline("/api/v1/timelines/home", bobToken); !sameIDs(ids, private, public) {
		t.Errorf("bob's home = %v, want both of carol's notes", ids)
	}

	_, reply := ta.postStatus(ta.tokenOf(bob, "write"), `{"status":"Agreed","visibility":"private","in_reply_to_id":"`+private.ID+`"}`)
	if reply == nil || reply["visibility"] != "direct" {
		t.Fatalf("reply to the followers-only note = %v, want a direct status", reply)
	}
	wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v1/statuses/"+reply["id"].(string), "", "", doraToken), http.StatusNotFound)
}

func TestTagTimelineAndMedia(t *testing.T) {
	ta := startStatusAPI(t)
	ctx := context.Background()
	alice := ta.signedUpMember("alice")
	carol := ta.remoteAccount(storage.KindPerson, "carol", "remote.example", nil)
	tagged, err := ta.db.Publish(ctx, storage.PostCreate{AuthorID: alice.ID, Kind: storage.KindDiscussion,
		Headline: "Floods", Text: "The #Rivers rise"})
	if err != nil {
		t.Fatal(err)
	}
	ta.publish(alice, "Untagged", "")
	image := "https://remote.example/media/1.jpg"
	pictured, err := ta.db.SaveRemotePost(ctx, storage.RemotePost{URI: "https://remote.example/notes/9", AuthorID: carol.ID,
		Content: "<p>Look</p>", Visibility: storage.Public, Published: time.Now().Add(-time.Minute),
		Attachments: []storage.Attachment{{URL: image, MediaType: "image/jpeg", Alt: "A river", Width: 800, Height: 600}}})
	if err != nil {
		t.Fatal(err)
	}

	ids, _ := ta.timeline("/api/v1/timelines/tag/rivers", "")
	if !sameIDs(ids, tagged) {
		t.Errorf("tag timeline = %v, want the tagged post", ids)
	}
	wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v1/timelines/tag/%20", "", "", ""), http.StatusUnprocessableEntity)

	var s status
	ta.call(http.MethodGet, "/api/v1/statuses/"+tagged.ID, "", "", "").json(t, &s)
	if len(s.Tags) != 1 || s.Tags[0] != (statusTag{Name: "rivers", URL: ta.db.Site.TagBase() + "rivers"}) {
		t.Errorf("tags = %+v, want rivers with its page", s.Tags)
	}

	ans := ta.call(http.MethodGet, "/api/v1/statuses/"+pictured.ID, "", "", "")
	var raw map[string]any
	ans.json(t, &raw)
	media, _ := raw["media_attachments"].([]any)
	if len(media) != 1 {
		t.Fatalf("media_attachments = %v, want the image", raw["media_attachments"])
	}
	m := media[0].(map[string]any)
	for _, key := range []string{"id", "type", "url", "preview_url", "remote_url", "meta", "description", "blurhash"} {
		if _, ok := m[key]; !ok {
			t.Errorf("media attachment has no %q", key)
		}
	}
	url, _ := m["url"].(string)
	if m["type"] != "image" || !strings.HasPrefix(url, ta.URL+"/media/attachment/"+pictured.ID+"/0/") ||
		m["remote_url"] != image || m["description"] != "A river" || m["blurhash"] != nil {
		t.Errorf("media attachment = %v, want the image at the site's media address", m)
	}
	if original, _ := m["meta"].(map[string]any)["original"].(map[string]any); original["width"] != 800.0 {
		t.Errorf("meta = %v, want the original's size", m["meta"])
	}
}
