package api

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// wantNotificationShape fails unless v has the shape of Mastodon's
// Notification; it returns it as a map.
func wantNotificationShape(t *testing.T, v any) map[string]any {
	t.Helper()
	n, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("notification %v is not an object", v)
	}
	for key, kind := range map[string]string{"id": "string", "type": "string", "group_key": "string", "created_at": "string"} {
		if got := jsonKind(n[key]); got != kind {
			t.Errorf("notification %s is %s, want %s", key, got, kind)
		}
	}
	if s, _ := n["created_at"].(string); !isAPITime(s) {
		t.Errorf("created_at = %q, want ISO 8601 with milliseconds", s)
	}
	wantAccountShape(t, n["account"])
	if s, ok := n["status"]; ok {
		wantStatusShape(t, s)
	}
	return n
}

// notificationsOf lists the notifications at path, checking each.
func (ta *testAPI) notificationsOf(path, token string) ([]map[string]any, answer) {
	ta.t.Helper()
	ans := ta.call(http.MethodGet, path, "", "", token)
	wantJSONAnswer(ta.t, ans, http.StatusOK)
	var list []any
	ans.json(ta.t, &list)
	var out []map[string]any
	for _, v := range list {
		out = append(out, wantNotificationShape(ta.t, v))
	}
	return out, ans
}

func notificationTypesOf(list []map[string]any) []string {
	types := []string{}
	for _, n := range list {
		types = append(types, n["type"].(string))
	}
	return types
}

func TestNotificationsOfLikesFollowsAndCorrections(t *testing.T) {
	ta := startStatusAPI(t)
	ctx := context.Background()
	alice, bob := ta.signedUpMember("alice"), ta.signedUpMember("bob")
	p := ta.publish(alice, "Bridges need repiar", "")
	if _, err := ta.db.Follow(ctx, bob.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	if err := ta.db.LikePost(ctx, bob.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	reply, err := ta.db.Comment(ctx, storage.CommentCreate{AuthorID: bob.ID, ParentID: p.ID, Text: "Which ones?"})
	if err != nil {
		t.Fatal(err)
	}
	// A new account corrects headlines after a day.
	ta.db.Now = func() time.Time { return time.Now().Add(48 * time.Hour) }
	if _, err := ta.db.ReviseHeadline(ctx, storage.HeadlineEdit{PostID: p.ID, EditorID: bob.ID,
		BaseRevision: 1, Headline: "Bridges need repair", Reason: "Typo"}); err != nil {
		t.Fatal(err)
	}
	token := ta.tokenOf(alice, "read:notifications")

	list, _ := ta.notificationsOf("/api/v1/notifications", token)
	if got, want := notificationTypesOf(list), []string{"update", "mention", "favourite", "follow"}; !slices.Equal(got, want) {
		t.Fatalf("types = %v, want %v", got, want)
	}
	if s, _ := list[1]["status"].(map[string]any); s == nil || s["id"] != reply.ID || s["in_reply_to_id"] != p.ID {
		t.Errorf("the reply's mention has status %v, want the reply", list[1]["status"])
	}
	list = append(list[:1], list[2:]...) // the rest is about the post
	for _, n := range list {
		if n["account"].(map[string]any)["id"] != bob.ID {
			t.Errorf("%s by %v, want bob", n["type"], n["account"].(map[string]any)["acct"])
		}
	}
	for _, n := range list[:2] {
		s, ok := n["status"].(map[string]any)
		if !ok || s["id"] != p.ID {
			t.Errorf("%s has status %v, want the post", n["type"], n["status"])
		}
	}
	if got := list[2]["group_key"]; got != "follow" {
		t.Errorf("follow group_key = %v", got)
	}
	if _, ok := list[2]["status"]; ok {
		t.Errorf("a follow has a status: %v", list[2]["status"])
	}
	if got := list[1]["group_key"]; got != "favourite-"+p.ID {
		t.Errorf("favourite group_key = %v", got)
	}
	if got := list[0]["group_key"]; got != "ungrouped-"+list[0]["id"].(string) {
		t.Errorf("update group_key = %v, want ungrouped-<id>", got)
	}

	only, _ := ta.notificationsOf("/api/v1/notifications?types[]=favourite&types[]=follow&exclude_types[]=follow", token)
	if got := notificationTypesOf(only); !slices.Equal(got, []string{"favourite"}) {
		t.Errorf("types[] favourite,follow without follow = %v, want favourite", got)
	}
	excluded, _ := ta.notificationsOf("/api/v1/notifications?exclude_types[]=update&exclude_types[]=mention", token)
	if got := notificationTypesOf(excluded); !slices.Equal(got, []string{"favourite", "follow"}) {
		t.Errorf("exclude_types[] update = %v", got)
	}
	byOther, _ := ta.notificationsOf("/api/v1/notifications?account_id="+alice.ID, token)
	if len(byOther) != 0 {
		t.Errorf("notifications by alice herself = %v, want none", notificationTypesOf(byOther))
	}

	unread, err := ta.db.UnreadNotifications(ctx, alice.ID)
	if err != nil || unread != 4 {
		t.Errorf("unread after the API listed them = %d (%v), want 4: the API marks nothing read", unread, err)
	}

	one := ta.call(http.MethodGet, "/api/v1/notifications/"+list[1]["id"].(string), "", "", token)
	wantJSONAnswer(t, one, http.StatusOK)
	var shown map[string]any
	one.json(t, &shown)
	if wantNotificationShape(t, shown)["type"] != "favourite" {
		t.Errorf("notification = %v, want the favourite", shown)
	}
	bobToken := ta.tokenOf(bob, "read write")
	wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v1/notifications/"+list[1]["id"].(string), "", "", bobToken),
		http.StatusNotFound)
	wantJSONAnswer(t, ta.call(http.MethodPost, "/api/v1/notifications/"+list[1]["id"].(string)+"/dismiss", "", "", bobToken),
		http.StatusNotFound)
	wantJSONAnswer(t, ta.call(http.MethodPost, "/api/v1/notifications/"+list[1]["id"].(string)+"/dismiss", "", "", token),
		http.StatusForbidden)
	wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v1/notifications", "", "", "nonsense"), http.StatusUnauthorized)

	write := ta.tokenOf(alice, "read write:notifications")
	wantJSONAnswer(t, ta.call(http.MethodPost, "/api/v1/notifications/"+list[1]["id"].(string)+"/dismiss", "", "", write),
		http.StatusOK)
	left, _ := ta.notificationsOf("/api/v1/notifications", write)
	if got := notificationTypesOf(left); !slices.Equal(got, []string{"update", "mention", "follow"}) {
		t.Errorf("after dismissing the favourite: %v", got)
	}
	wantJSONAnswer(t, ta.call(http.MethodPost, "/api/v1/notifications/clear", "", "", write), http.StatusOK)
	if left, _ := ta.notificationsOf("/api/v1/notifications", write); len(left) != 0 {
		t.Errorf("after clearing: %v", notificationTypesOf(left))
	}
}

func TestNotificationsPageThrough(t *testing.T) {
	ta := startStatusAPI(t)
	ctx := context.Background()
	alice := ta.signedUpMember("alice")
	var followers []string
	for _, name := range []string{"bob", "carol", "dave", "erin", "frank"} {
		m := ta.signedUpMember(name)
		if _, err := ta.db.Follow(ctx, m.ID, alice.ID); err != nil {
			t.Fatal(err)
		}
		followers = append([]string{m.ID}, followers...)
	}
	token := ta.tokenOf(alice, "read")
	var seen []string
	path := "/api/v1/notifications?limit=2"
	for range 5 {
		list, ans := ta.notificationsOf(path, token)
		if len(list) == 0 {
			break
		}
		for _, n := range list {
			seen = append(seen, n["account"].(map[string]any)["id"].(string))
		}
		path = nextPagePath(t, ta, ans)
	}
	if !slices.Equal(seen, followers) {
		t.Errorf("paged through %v, want %v", seen, followers)
	}
	newest, _ := ta.notificationsOf("/api/v1/notifications", token)
	newer, _ := ta.notificationsOf("/api/v1/notifications?min_id="+newest[2]["id"].(string), token)
	if len(newer) != 2 || newer[0]["id"] != newest[0]["id"] {
		t.Errorf("min_id answered %d, want the two newer, newest first", len(newer))
	}
}

func TestNoticeKinds(t *testing.T) {
	for _, c := range []struct {
		types, exclude, want []string
	}{
		{nil, nil, []string{"boost", "correction", "follow", "follow_request", "like", "mention", "reply", "revert"}},
		{[]string{"mention"}, nil, []string{"mention", "reply"}},
		{[]string{"favourite", "poll"}, nil, []string{"like"}},
		{nil, []string{"mention", "update", "follow_request"}, []string{"boost", "follow", "like"}},
		{[]string{"follow", "reblog"}, []string{"follow"}, []string{"boost"}},
		{[]string{"poll"}, nil, []string{}},
	} {
		if got := noticeKinds(c.types, c.exclude); !slices.Equal(got, c.want) {
			t.Errorf("noticeKinds(%v, %v) = %v, want %v", c.types, c.exclude, got, c.want)
		}
	}
}
