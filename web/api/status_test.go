package api

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/federation"
	"github.com/tidings-social/tidings/storage"
)

// startStatusAPI is startAPI with a federator whose client may reach
// loopback, so that statuses can mention accounts and link to pages
// served by the test.
func startStatusAPI(t *testing.T) *testAPI {
	t.Helper()
	return startStatusAPIWith(t, Config{})
}

// startStatusAPIWith is startStatusAPI with the configuration cfg,
// whose address it sets.
func startStatusAPIWith(t *testing.T, cfg Config) *testAPI {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	cfg.Scheme, cfg.Domain = "http", srv.Listener.Addr().String()
	site := storage.Site{Scheme: cfg.Scheme, Domain: cfg.Domain}
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "tidings.db"), site)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := slog.New(slog.DiscardHandler)
	fed := federation.New(db, federation.Config{Site: site, Version: "test", AllowPrivateAddresses: true}, log)
	a := New(db, fed, cfg, log)
	r := mux.NewRouter()
	a.Routes(r)
	srv.Config.Handler = CORS(r)
	srv.Start()
	t.Cleanup(srv.Close)
	return &testAPI{t: t, db: db, URL: srv.URL}
}

// statusKeys are the keys every Status has, with the JSON type each must
// have ("?" allows null too).
var statusKeys = map[string]string{
	"id": "string", "uri": "string", "url": "string", "created_at": "string", "edited_at": "string?",
	"account": "object", "content": "string", "visibility": "string", "sensitive": "bool",
	"spoiler_text": "string", "media_attachments": "array", "mentions": "array", "tags": "array",
	"emojis": "array", "reblogs_count": "number", "favourites_count": "number", "replies_count": "number",
	"in_reply_to_id": "string?", "in_reply_to_account_id": "string?", "reblog": "object?", "poll": "object?",
	"card": "object?", "language": "string?", "favourited": "bool", "reblogged": "bool", "muted": "bool",
	"bookmarked": "bool", "pinned": "bool", "filtered": "array",
}

// wantStatusShape fails unless v, decoded from JSON, has the shape of
// Mastodon's Status, its account an Account; it returns it as a map.
func wantStatusShape(t *testing.T, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("status = %v, want an object", v)
	}
	wantKeys(t, fmt.Sprintf("status %v", m["id"]), m, statusKeys)
	if s, _ := m["created_at"].(string); !isAPITime(s) {
		t.Errorf("created_at = %q, want ISO 8601 with milliseconds in UTC", s)
	}
	switch m["visibility"] {
	case "public", "unlisted", "private", "direct":
	default:
		t.Errorf("visibility = %v, want public, unlisted, private or direct", m["visibility"])
	}
	wantAccountShape(t, m["account"])
	return m
}

// postStatus posts a status with the JSON body and answers it decoded.
func (ta *testAPI) postStatus(token, body string) (answer, map[string]any) {
	ta.t.Helper()
	ans := ta.call(http.MethodPost, "/api/v1/statuses", "application/json", body, token)
	var v any
	if ans.Status == http.StatusOK {
		ans.json(ta.t, &v)
		return ans, wantStatusShape(ta.t, v)
	}
	return ans, nil
}

// servePage serves an HTML page with the title and description on
// loopback, as a news site would, and returns its address.
func servePage(t *testing.T, title, description string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><title>%s</title>
<meta property="og:description" content="%s"></head><body>News</body></html>`, title, description)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/2026/12/news"
}

func TestCreateStatusWithLinkIsNews(t *testing.T) {
	ta := startStatusAPI(t)
	alice := ta.signedUpMember("alice")
	token := ta.tokenOf(alice, "write:statuses read:statuses")
	link := servePage(t, "Rivers rise in the north", "The publisher's words about the rivers.")

	ans, s := ta.postStatus(token, `{"status":"Worth reading. `+link+`"}`)
	wantJSONAnswer(t, ans, http.StatusOK)
	if s == nil {
		t.FailNow()
	}
	post, err := ta.db.PostByID(context.Background(), s["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if post.Kind != storage.KindNews || post.Headline != "Rivers rise in the north" || post.LinkURL != link {
		t.Errorf("post = %s %q %s, want news headlined as the page with its link", post.Kind, post.Headline, post.LinkURL)
	}
	if post.Source != "Worth reading." {
		t.Errorf("commentary = %q, want the text without the link", post.Source)
	}
	card, _ := s["card"].(map[string]any)
	if card["title"] != "Rivers rise in the north" || card["url"] != link || card["type"] != "link" ||
		card["description"] != "The publisher's words about the rivers." {
		t.Errorf("card = %v, want the link titled with the headline and the page's description", card)
	}
	content, _ := s["content"].(string)
	if !strings.HasPrefix(content, `<p><a href="`+post.URL+`">Rivers rise in the north</a></p>`) {
		t.Errorf("content = %q, want the headline first, linking to the post", content)
	}
	if s["visibility"] != "public" || s["in_reply_to_id"] != nil {
		t.Errorf("visibility %v, in_reply_to_id %v; want public, null", s["visibility"], s["in_reply_to_id"])
	}
}

func TestCreateStatusReplyAndSubwiki(t *testing.T) {
	ta := startStatusAPI(t)
	ctx := context.Background()
	alice, bob := ta.signedUpMember("alice"), ta.signedUpMember("bob")
	climate, err := ta.db.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "climate", Title: "Climate"}, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	aliceToken, bobToken := ta.tokenOf(alice, "write"), ta.tokenOf(bob, "write read")

	_, first := ta.postStatus(aliceToken, `{"status":"@climate Glaciers are melting faster\nThe new survey says so."}`)
	if first == nil {
		t.Fatal("the post into the subwiki was refused")
	}
	post, err := ta.db.PostByID(ctx, first["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if post.SubwikiID != climate.ID || post.Headline != "Glaciers are melting faster" {
		t.Errorf("post in %q headlined %q, want in climate (%s), headlined with its first line",
			post.SubwikiID, post.Headline, climate.ID)
	}
	feed, err := ta.db.SubwikiFeed(ctx, storage.Stranger, climate.ID, "", 10)
	if err != nil || len(feed.Posts) != 1 || feed.Posts[0].ID != post.ID {
		t.Errorf("subwiki feed = %v (%v), want the post", feed, err)
	}

	_, reply := ta.postStatus(bobToken, `{"status":"Frightening.","in_reply_to_id":"`+post.ID+`"}`)
	if reply == nil {
		t.Fatal("the reply was refused")
	}
	if reply["in_reply_to_id"] != post.ID || reply["in_reply_to_account_id"] != alice.ID {
		t.Errorf("in reply to %v by %v, want %s by %s", reply["in_reply_to_id"], reply["in_reply_to_account_id"], post.ID, alice.ID)
	}
	thread, err := ta.db.Thread(ctx, storage.Stranger, post.ID)
	if err != nil || len(thread) != 1 || thread[0].ID != reply["id"] || thread[0].Kind != storage.KindComment {
		t.Errorf("thread = %v (%v), want the reply as a comment", thread, err)
	}

	var c statusContextEntity
	ans := ta.call(http.MethodGet, "/api/v1/statuses/"+reply["id"].(string)+"/context", "", "", "")
	wantJSONAnswer(t, ans, http.StatusOK)
	ans.json(t, &c)
	if len(c.Ancestors) != 1 || c.Ancestors[0].ID != post.ID || len(c.Descendants) != 0 {
		t.Errorf("context of the reply = %d ancestors, %d descendants; want the post, nothing", len(c.Ancestors), len(c.Descendants))
	}
	ans = ta.call(http.MethodGet, "/api/v1/statuses/"+post.ID+"/context", "", "", "")
	ans.json(t, &c)
	if len(c.Ancestors) != 0 || len(c.Descendants) != 1 || c.Descendants[0].ID != reply["id"] {
		t.Errorf("context of the post = %d ancestors, %d descendants; want nothing, the reply", len(c.Ancestors), len(c.Descendants))
	}
}

func TestCreateStatusRefusals(t *testing.T) {
	ta := startStatusAPI(t)
	alice := ta.signedUpMember("alice")
	token := ta.tokenOf(alice, "write:statuses")
	readOnly := ta.tokenOf(alice, "read")
	public := ta.publish(ta.signedUpMember("bob"), "A public thread", "")
	for _, tc := range []struct {
		name, token, body string
		status            int
	}{
		{"no token", "", `{"status":"Hello there"}`, http.StatusUnauthorized},
		{"unknown token", "nope", `{"status":"Hello there"}`, http.StatusUnauthorized},
		{"read scope", readOnly, `{"status":"Hello there"}`, http.StatusForbidden},
		{"empty", token, `{"status":""}`, http.StatusUnprocessableEntity},
		{"followers only", token, `{"status":"Hello there","visibility":"private"}`, http.StatusUnprocessableEntity},
		{"unknown media", token, `{"status":"Hello there","media_ids":["123"]}`, http.StatusUnprocessableEntity},
		{"poll", token, `{"status":"Hello there","poll":{"options":["a","b"],"expires_in":600}}`, http.StatusUnprocessableEntity},
		{"bad sensitive", token, `{"status":"Hello there","sensitive":"maybe"}`, http.StatusUnprocessableEntity},
		{"direct reply in a public thread", token, `{"status":"Psst","visibility":"direct","in_reply_to_id":"` + public.ID + `"}`,
			http.StatusUnprocessableEntity},
		{"unknown parent", token, `{"status":"Hello there","in_reply_to_id":"01NOPE"}`, http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ans := ta.call(http.MethodPost, "/api/v1/statuses", "application/json", tc.body, tc.token)
			wantJSONAnswer(t, ans, tc.status)
			var e apiError
			ans.json(t, &e)
			if e.Error == "" {
				t.Errorf("body %s has no error", ans.Body)
			}
		})
	}
	ans := ta.call(http.MethodPost, "/api/v1/statuses", "application/x-www-form-urlencoded",
		"status=Empty+media+is+none&media_ids%5B%5D=", token)
	wantJSONAnswer(t, ans, http.StatusOK)
	page, err := ta.db.PostsBy(context.Background(), alice.ID, alice.ID, "", 10)
	if err != nil || len(page.Posts) != 1 {
		t.Errorf("posts after refusals = %v (%v), want only the one with empty media_ids", page, err)
	}
}

func TestCreateStatusIdempotencyKey(t *testing.T) {
	ta := startStatusAPI(t)
	token := ta.tokenOf(ta.signedUpMember("alice"), "write:statuses")
	send := func(key string) string {
		req, _ := http.NewRequest(http.MethodPost, ta.URL+"/api/v1/statuses",
			strings.NewReader(url.Values{"status": {"Hello there, twice"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Idempotency-Key", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var s status
		if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d, %v", resp.StatusCode, err)
		}
		return s.ID
	}
	first, again, other := send("key-1"), send("key-1"), send("key-2")
	if first != again {
		t.Errorf("the same key made %s and %s, want one status", first, again)
	}
	if other == first {
		t.Errorf("another key answered the same status %s", first)
	}

	// Sent at the same moment, as an app retrying on a slow network does.
	ids := make([]string, 8)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() { ids[i] = send("key-3") })
	}
	wg.Wait()
	for _, id := range ids[1:] {
		if id != ids[0] {
			t.Fatalf("one key sent at once made statuses %v, want one", ids)
		}
	}
}
