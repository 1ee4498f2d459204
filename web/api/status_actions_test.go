package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

func TestEditStatusShowsInHistory(t *testing.T) {
	ta := startStatusAPI(t)
	alice, bob := ta.signedUpMember("alice"), ta.signedUpMember("bob")
	token := ta.tokenOf(alice, "read write")
	p := ta.publish(alice, "Bridges need repair", "")

	ans := ta.call(http.MethodPut, "/api/v1/statuses/"+p.ID, "application/json",
		`{"status":"Half of them, says the survey.","spoiler_text":"Long read"}`, token)
	wantJSONAnswer(t, ans, http.StatusOK)
	var s status
	ans.json(t, &s)
	if s.EditedAt == nil || s.SpoilerText != "Long read" || !s.Sensitive {
		t.Errorf("edited status: edited_at %v, spoiler %q, sensitive %v; want set, Long read, true", s.EditedAt, s.SpoilerText, s.Sensitive)
	}
	post, err := ta.db.PostByID(context.Background(), p.ID)
	if err != nil || post.Source != "Half of them, says the survey." {
		t.Errorf("source after the edit = %q (%v), want the new text", post.Source, err)
	}

	var source statusSourceEntity
	ans = ta.call(http.MethodGet, "/api/v1/statuses/"+p.ID+"/source", "", "", token)
	wantJSONAnswer(t, ans, http.StatusOK)
	ans.json(t, &source)
	if source != (statusSourceEntity{ID: p.ID, Text: "Half of them, says the survey.", SpoilerText: "Long read"}) {
		t.Errorf("source = %+v", source)
	}

	var history []map[string]any
	ans = ta.call(http.MethodGet, "/api/v1/statuses/"+p.ID+"/history", "", "", "")
	wantJSONAnswer(t, ans, http.StatusOK)
	ans.json(t, &history)
	if len(history) != 2 {
		t.Fatalf("history has %d versions, want the first and the edit: %s", len(history), ans.Body)
	}
	for _, v := range history {
		for _, key := range []string{"content", "spoiler_text", "sensitive", "created_at", "account", "media_attachments", "emojis"} {
			if _, ok := v[key]; !ok {
				t.Errorf("version has no %q", key)
			}
		}
		wantAccountShape(t, v["account"])
	}
	if history[1]["created_at"] != *s.EditedAt || history[0]["created_at"] == history[1]["created_at"] {
		t.Errorf("versions at %v and %v, want the first then the edit at %s", history[0]["created_at"], history[1]["created_at"], *s.EditedAt)
	}

	other := ta.call(http.MethodPut, "/api/v1/statuses/"+p.ID, "application/json", `{"status":"Mine now"}`,
		ta.tokenOf(bob, "write"))
	wantJSONAnswer(t, other, http.StatusForbidden)
}

func TestHeadlineCorrectionsAreVersions(t *testing.T) {
	ta := startStatusAPI(t)
	alice := ta.signedUpMember("alice")
	p := ta.publish(alice, "Bridges need repiar", "")
	if _, err := ta.db.ReviseHeadline(context.Background(), storage.HeadlineEdit{PostID: p.ID, EditorID: alice.ID,
		BaseRevision: 1, Headline: "Bridges need repair", Reason: "Typo"}); err != nil {
		t.Fatal(err)
	}
	var history []statusEdit
	ans := ta.call(http.MethodGet, "/api/v1/statuses/"+p.ID+"/history", "", "", "")
	ans.json(t, &history)
	if len(history) != 2 {
		t.Fatalf("history = %+v, want the two headlines", history)
	}
	for i, want := range []string{"Bridges need repiar", "Bridges need repair"} {
		if got := history[i].Content; !strings.Contains(got, ">"+want+"</a></p>") {
			t.Errorf("version %d = %q, want headlined %q", i, got, want)
		}
	}
}

func TestFavouriteAndPin(t *testing.T) {
	ta := startStatusAPI(t)
	ctx := context.Background()
	alice, bob := ta.signedUpMember("alice"), ta.signedUpMember("bob")
	p := ta.publish(alice, "Bridges need repair", "")
	bobToken := ta.tokenOf(bob, "read write:favourites")

	ans := ta.call(http.MethodPost, "/api/v1/statuses/"+p.ID+"/favourite", "", "", bobToken)
	wantJSONAnswer(t, ans, http.StatusOK)
	var s status
	ans.json(t, &s)
	if !s.Favourited || s.FavouritesCount != 1 {
		t.Errorf("favourited %v, count %d; want true, 1", s.Favourited, s.FavouritesCount)
	}
	liked, err := ta.db.LikedBy(ctx, bob.ID, []string{p.ID})
	if err != nil || !liked[p.ID] {
		t.Errorf("the site does not show bob's like (%v)", err)
	}
	if ids, _ := ta.timeline("/api/v1/favourites", bobToken); !sameIDs(ids, p) {
		t.Errorf("favourites = %v, want the post", ids)
	}
	var who []map[string]any
	ans = ta.call(http.MethodGet, "/api/v1/statuses/"+p.ID+"/favourited_by", "", "", "")
	wantJSONAnswer(t, ans, http.StatusOK)
	ans.json(t, &who)
	if len(who) != 1 || who[0]["id"] != bob.ID {
		t.Errorf("favourited_by = %v, want bob", who)
	}
	ans = ta.call(http.MethodPost, "/api/v1/statuses/"+p.ID+"/unfavourite", "", "", bobToken)
	ans.json(t, &s)
	if s.Favourited || s.FavouritesCount != 0 {
		t.Errorf("after unfavourite: favourited %v, count %d", s.Favourited, s.FavouritesCount)
	}
	wantJSONAnswer(t, ta.call(http.MethodPost, "/api/v1/statuses/"+p.ID+"/favourite", "", "", ta.tokenOf(bob, "read")),
		http.StatusForbidden)
	wantJSONAnswer(t, ta.call(http.MethodPost, "/api/v1/statuses/01NOPE/favourite", "", "", bobToken),
		http.StatusNotFound)

	aliceToken := ta.tokenOf(alice, "read write")
	ans = ta.call(http.MethodPost, "/api/v1/statuses/"+p.ID+"/pin", "", "", aliceToken)
	wantJSONAnswer(t, ans, http.StatusOK)
	ans.json(t, &s)
	if pinned, err := ta.db.IsPinned(ctx, alice.ID, p.ID); !s.Pinned || !pinned || err != nil {
		t.Errorf("pinned in answer %v, on the site %v (%v); want both", s.Pinned, pinned, err)
	}
	if ids, _ := ta.timeline("/api/v1/accounts/"+alice.ID+"/statuses?pinned=true", ""); !sameIDs(ids, p) {
		t.Errorf("pinned statuses = %v, want the post", ids)
	}
	wantJSONAnswer(t, ta.call(http.MethodPost, "/api/v1/statuses/"+p.ID+"/pin", "", "", ta.tokenOf(bob, "write")),
		http.StatusForbidden)
}

func TestDeleteStatus(t *testing.T) {
	ta := startStatusAPI(t)
	alice, bob := ta.signedUpMember("alice"), ta.signedUpMember("bob")
	p := ta.publish(alice, "Bridges need repair", "")
	wantJSONAnswer(t, ta.call(http.MethodDelete, "/api/v1/statuses/"+p.ID, "", "", ta.tokenOf(bob, "write")),
		http.StatusForbidden)

	ans := ta.call(http.MethodDelete, "/api/v1/statuses/"+p.ID, "", "", ta.tokenOf(alice, "write"))
	wantJSONAnswer(t, ans, http.StatusOK)
	var s status
	ans.json(t, &s)
	if s.ID != p.ID || s.Text == nil || *s.Text != "About Bridges need repair" {
		t.Errorf("deleted status %s with text %v, want %s with its source", s.ID, s.Text, p.ID)
	}
	wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v1/statuses/"+p.ID, "", "", ""), http.StatusNotFound)
}

// climateJoinedByBob makes alice, the subwiki climate she moderates,
// and bob, who joined it.
func (ta *testAPI) climateJoinedByBob() (alice, bob *storage.Member, climate *storage.Subwiki) {
	ta.t.Helper()
	ctx := context.Background()
	alice, bob = ta.signedUpMember("alice"), ta.signedUpMember("bob")
	climate, err := ta.db.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "climate", Title: "Climate"}, alice.ID)
	if err != nil {
		ta.t.Fatal(err)
	}
	if _, err := ta.db.Follow(ctx, bob.ID, climate.ID); err != nil {
		ta.t.Fatal(err)
	}
	return alice, bob, climate
}

func TestListsAreJoinedSubwikis(t *testing.T) {
	ta := startStatusAPI(t)
	alice, bob, climate := ta.climateJoinedByBob()
	inside := ta.publish(alice, "Glaciers melt", climate.ID)
	ta.publish(alice, "Outside the subwiki", "")
	token := ta.tokenOf(bob, "read write")

	var lists []listEntity
	ans := ta.call(http.MethodGet, "/api/v1/lists", "", "", token)
	wantJSONAnswer(t, ans, http.StatusOK)
	ans.json(t, &lists)
	if len(lists) != 1 || lists[0] != (listEntity{ID: climate.ID, Title: "Climate", RepliesPolicy: "list"}) {
		t.Fatalf("lists = %+v, want climate", lists)
	}
	if ids, _ := ta.timeline("/api/v1/timelines/list/"+climate.ID, token); !sameIDs(ids, inside) {
		t.Errorf("list timeline = %v, want the subwiki's post", ids)
	}
	var accounts []map[string]any
	ta.call(http.MethodGet, "/api/v1/lists/"+climate.ID+"/accounts", "", "", token).json(t, &accounts)
	if len(accounts) != 1 || accounts[0]["id"] != climate.ID {
		t.Errorf("list accounts = %v, want the subwiki", accounts)
	}
	ta.call(http.MethodGet, "/api/v1/accounts/"+climate.ID+"/lists", "", "", token).json(t, &lists)
	if len(lists) != 1 {
		t.Errorf("lists of the subwiki's account = %v, want its own", lists)
	}
	ta.call(http.MethodGet, "/api/v1/accounts/"+alice.ID+"/lists", "", "", token).json(t, &lists)
	if len(lists) != 0 {
		t.Errorf("lists of alice = %v, want none", lists)
	}
	stranger := ta.tokenOf(ta.signedUpMember("dora"), "read write")
	wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v1/lists/"+climate.ID, "", "", stranger), http.StatusNotFound)
	wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v1/timelines/list/"+climate.ID, "", "", stranger), http.StatusNotFound)
	ans = ta.call(http.MethodPost, "/api/v1/lists", "application/json", `{"title":"Mine"}`, token)
	wantJSONAnswer(t, ans, http.StatusUnprocessableEntity)
	if ans.Body != `{"error":"`+listsNotMadeText+`"}`+"\n" {
		t.Errorf("body = %s", ans.Body)
	}
}
