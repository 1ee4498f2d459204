package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// bookmarkAction posts the action (bookmark or unbookmark) on the post
// and answers the Status it answers with.
func (ta *testAPI) bookmarkAction(action, postID, token string) status {
	ta.t.Helper()
	ans := ta.call(http.MethodPost, "/api/v1/statuses/"+postID+"/"+action, "", "", token)
	wantJSONAnswer(ta.t, ans, http.StatusOK)
	var v map[string]any
	ans.json(ta.t, &v)
	wantStatusShape(ta.t, v)
	var s status
	ans.json(ta.t, &s)
	return s
}

func TestBookmarksListAndPage(t *testing.T) {
	ta := startStatusAPI(t)
	alice := ta.signedUpMember("alice")
	token := ta.tokenOf(alice, "read write:bookmarks")
	var posts []*storage.Post
	for _, h := range []string{"One", "Two", "Three"} {
		posts = append(posts, ta.publish(alice, h, ""))
	}
	// Bookmarked Two, One, Three: the list is newest bookmark first.
	for _, p := range []*storage.Post{posts[1], posts[0], posts[2]} {
		if s := ta.bookmarkAction("bookmark", p.ID, token); !s.Bookmarked || s.ID != p.ID {
			t.Errorf("bookmark answered %s bookmarked %v, want %s true", s.ID, s.Bookmarked, p.ID)
		}
	}
	if s := ta.bookmarkAction("bookmark", posts[1].ID, token); !s.Bookmarked {
		t.Errorf("bookmarking again answered bookmarked false")
	}

	ans := ta.call(http.MethodGet, "/api/v1/statuses/"+posts[0].ID, "", "", token)
	var s status
	ans.json(t, &s)
	if !s.Bookmarked {
		t.Errorf("the status reads bookmarked false, want true")
	}
	var home []status
	ta.call(http.MethodGet, "/api/v1/timelines/home", "", "", token).json(t, &home)
	if len(home) != 3 || !home[0].Bookmarked || !home[2].Bookmarked {
		t.Errorf("home timeline = %+v, want three statuses, bookmarked", home)
	}

	ids, link := ta.timeline("/api/v1/bookmarks?limit=2", token)
	if !sameIDs(ids, posts[2], posts[0]) {
		t.Fatalf("first page = %v, want Three, One", ids)
	}
	next, prev := linkOf(t, link, "next"), linkOf(t, link, "prev")
	if !strings.HasPrefix(next, ta.URL+"/api/v1/bookmarks?") {
		t.Errorf("next = %q, want the bookmarks' address", next)
	}
	if ids, _ = ta.timeline(next, token); !sameIDs(ids, posts[1]) {
		t.Errorf("next page = %v, want Two", ids)
	}
	if ids, _ = ta.timeline(prev, token); len(ids) != 0 {
		t.Errorf("newer than the newest bookmark = %v, want nothing", ids)
	}

	// Two, the oldest post, bookmarked again is the newest bookmark.
	ta.bookmarkAction("unbookmark", posts[1].ID, token)
	if s := ta.bookmarkAction("bookmark", posts[1].ID, token); !s.Bookmarked {
		t.Errorf("bookmarking after unbookmarking answered bookmarked false")
	}
	if ids, _ = ta.timeline(prev, token); !sameIDs(ids, posts[1]) {
		t.Errorf("prev page after a new bookmark = %v, want Two", ids)
	}

	if err := ta.db.DeletePost(context.Background(), alice.ID, posts[2].ID); err != nil {
		t.Fatal(err)
	}
	if ids, _ = ta.timeline("/api/v1/bookmarks", token); !sameIDs(ids, posts[1], posts[0]) {
		t.Errorf("after deleting Three = %v, want Two, One", ids)
	}
	if s := ta.bookmarkAction("unbookmark", posts[0].ID, token); s.Bookmarked {
		t.Errorf("unbookmark answered bookmarked true")
	}
	if s := ta.bookmarkAction("unbookmark", posts[0].ID, token); s.Bookmarked {
		t.Errorf("unbookmarking again answered bookmarked true")
	}
	if ids, _ = ta.timeline("/api/v1/bookmarks", token); !sameIDs(ids, posts[1]) {
		t.Errorf("after unbookmarking One = %v, want Two", ids)
	}
	wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v1/bookmarks?limit=ten", "", "", token), http.StatusUnprocessableEntity)
}

func TestBookmarksKeepToWhatTheMemberSees(t *testing.T) {
	ta := startStatusAPI(t)
	ctx := context.Background()
	bob, dora := ta.signedUpMember("bob"), ta.signedUpMember("dora")
	carol := ta.remoteAccount(storage.KindPerson, "carol", "remote.example", nil)
	private := ta.remoteNote(carol, "1", storage.Followers)
	ta.acceptedFollow(bob, carol)
	bobToken, doraToken := ta.tokenOf(bob, "read write"), ta.tokenOf(dora, "read write")

	ans := ta.call(http.MethodPost, "/api/v1/statuses/"+private.ID+"/bookmark", "", "", doraToken)
	wantJSONAnswer(t, ans, http.StatusNotFound)
	if ans.Body != `{"error":"Record not found"}`+"\n" {
		t.Errorf("body = %q, want Mastodon's Record not found", ans.Body)
	}
	if ids, _ := ta.timeline("/api/v1/bookmarks", doraToken); len(ids) != 0 {
		t.Errorf("dora's bookmarks = %v, want none", ids)
	}

	ta.bookmarkAction("bookmark", private.ID, bobToken)
	if ids, _ := ta.timeline("/api/v1/bookmarks", bobToken); !sameIDs(ids, private) {
		t.Errorf("bob's bookmarks = %v, want carol's note", ids)
	}
	if err := ta.db.Unfollow(ctx, bob.ID, carol.ID); err != nil {
		t.Fatal(err)
	}
	if ids, _ := ta.timeline("/api/v1/bookmarks", bobToken); len(ids) != 0 {
		t.Errorf("bob's bookmarks after unfollowing = %v, want none: the note is no longer his to see", ids)
	}
}

func TestBookmarksNeedTokenAndScope(t *testing.T) {
	ta := startStatusAPI(t)
	alice := ta.signedUpMember("alice")
	p := ta.publish(alice, "Bridges need repair", "")
	for _, tc := range []struct {
		method, path, scopes string
		want                 int
	}{
		{http.MethodGet, "/api/v1/bookmarks", "", http.StatusUnauthorized},
		{http.MethodPost, "/api/v1/statuses/" + p.ID + "/bookmark", "", http.StatusUnauthorized},
		{http.MethodPost, "/api/v1/statuses/" + p.ID + "/unbookmark", "", http.StatusUnauthorized},
		{http.MethodGet, "/api/v1/bookmarks", "write read:favourites", http.StatusForbidden},
		{http.MethodPost, "/api/v1/statuses/" + p.ID + "/bookmark", "read write:favourites", http.StatusForbidden},
		{http.MethodPost, "/api/v1/statuses/" + p.ID + "/unbookmark", "read", http.StatusForbidden},
		{http.MethodGet, "/api/v1/bookmarks", "read:bookmarks", http.StatusOK},
		{http.MethodPost, "/api/v1/statuses/" + p.ID + "/bookmark", "write:bookmarks", http.StatusOK},
		{http.MethodPost, "/api/v1/statuses/01NOPE/bookmark", "write:bookmarks", http.StatusNotFound},
	} {
		token := "not-a-token"
		if tc.scopes != "" {
			token = ta.tokenOf(alice, tc.scopes)
		}
		ans := ta.call(tc.method, tc.path, "", "", token)
		if ans.Status != tc.want {
			t.Errorf("%s %s with %q: got %d, want %d", tc.method, tc.path, tc.scopes, ans.Status, tc.want)
		}
		if tc.want != http.StatusOK {
			wantJSONAnswer(t, ans, tc.want)
		}
	}
	if bookmarked, err := ta.db.FactsOf(context.Background(), alice.ID, []*storage.Post{p}); err != nil || !bookmarked.Bookmarked[p.ID] {
		t.Errorf("the bookmark made with write:bookmarks is not kept (%v)", err)
	}
}
