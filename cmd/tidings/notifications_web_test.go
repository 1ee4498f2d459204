package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// unreadInNav is the unread count the nav shows, "" for none.
func unreadInNav(p page) string {
	_, after, ok := strings.Cut(p.Body, `Notifications <span class="unread">(`)
	if !ok {
		return ""
	}
	n, _, _ := strings.Cut(after, ")")
	return n
}

// TestNotificationsPage: alice is told in words of likes (grouped), a
// follow, a follow request, a correction and a revert of her headline,
// and a lock; opening the page marks what it shows read; "mark all read"
// needs the form's token and marks the rest.
func TestNotificationsPage(t *testing.T) {
	inst := startInstance(t, nil)
	inst.DB.Corrections.MinAccountAge = 0
	alice := member(t, inst, "alice")
	likers := []*visitor{member(t, inst, "bob"), member(t, inst, "carl"), member(t, inst, "dave"), member(t, inst, "erin")}

	alice.get("/")
	wantStatus(t, alice.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"Bridge closed for repairs"},
		"text": {"Until May."}, "action": {"publish"}}), http.StatusSeeOther)
	post := latestPost(t, inst, "alice")
	for _, v := range likers {
		v.get("/posts/" + post.ID)
		wantStatus(t, v.post("/posts/"+post.ID+"/like", nil), http.StatusSeeOther)
	}
	bob := likers[0]
	bob.get("/@alice")
	wantStatus(t, bob.post("/follow", url.Values{"actor": {actorOf(t, inst, "alice").ID}}), http.StatusSeeOther)
	bob.get("/posts/" + post.ID + "/headline")
	wantStatus(t, bob.post("/posts/"+post.ID+"/headline", url.Values{"base_revision": {"1"},
		"headline": {"Bridge closed until May"}, "reason": {"Say how long."}}), http.StatusSeeOther)
	carl := likers[1]
	carl.get("/posts/" + post.ID + "/history")
	wantStatus(t, carl.post("/posts/"+post.ID+"/headline", url.Values{"base_revision": {"2"}, "revert_to": {"1"},
		"reason": {"The first was right."}}), http.StatusSeeOther)

	if got := unreadInNav(alice.get("/")); got != "7" {
		t.Errorf("unread in the nav = %q, want 7 (4 likes, a follow, a correction, a revert)", got)
	}
	notes := alice.get("/notifications")
	wantStatus(t, notes, http.StatusOK)
	wantBody(t, notes,
		`<strong>@erin</strong></a>, <a href="/@dave"><strong>@dave</strong></a> and 2 others`, "liked your post",
		`<strong>@bob</strong></a>`, "followed you",
		"corrected the headline of your post to", "“Bridge closed until May”</a> (revision 2): Say how long.",
		`<strong>@carl</strong></a>`, "reverted the headline of your post to", "(revision 3): The first was right.",
		`name="upto"`, "Mark all read")
	if strings.Contains(notes.Body, `rel="next"`) {
		t.Error("an Older link with one page of notices")
	}
	if got := unreadInNav(notes); got != "" {
		t.Errorf("unread in the nav of the page that shows them = %q, want none", got)
	}
	if got := unreadInNav(alice.get("/")); got != "" {
		t.Errorf("unread after seeing the notices = %q", got)
	}

	// Alice locks her posts' followers; dave asks to follow. She marks it
	// read from the page, but a form without the token changes nothing.
	alice.get("/settings/profile")
	wantStatus(t, alice.post("/settings/profile", url.Values{"display_name": {"Alice"}, "manually_approves_followers": {"1"}}),
		http.StatusSeeOther)
	dave := likers[2]
	dave.get("/@alice")
	wantStatus(t, dave.post("/follow", url.Values{"actor": {actorOf(t, inst, "alice").ID}}), http.StatusSeeOther)
	home := alice.get("/")
	if got := unreadInNav(home); got != "1" {
		t.Errorf("unread after the request = %q, want 1", got)
	}
	wantStatus(t, alice.post("/notifications/read", url.Values{"csrf": {"forged"}}), http.StatusForbidden)
	if got := unreadInNav(alice.get("/")); got != "1" {
		t.Errorf("unread after a forged mark-all-read = %q, want 1", got)
	}
	p := alice.post("/notifications/read", nil)
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location != "/notifications" {
		t.Errorf("mark all read leads to %q", p.Location)
	}
	notes = alice.get("/notifications")
	if got := unreadInNav(notes); got != "" {
		t.Errorf("unread after mark all read = %q", got)
	}
	wantBody(t, notes, `<strong>@dave</strong></a>`, "asked to follow you", `<a href="/follow-requests">`,
		"All notifications are marked read.")
	if strings.Contains(notes.Body, "<strong>new</strong>") {
		t.Error("notices marked read still shown as new")
	}

	// Signed out, there is no page and nothing to mark.
	stranger := newVisitor(t, inst)
	if p := stranger.get("/notifications"); p.Status != http.StatusSeeOther && p.Status != http.StatusForbidden {
		t.Errorf("a stranger's notifications: %d", p.Status)
	}
}

// TestModerationAndApprovalNotices: a member let in from the waiting
// list is told so; an admin's lock of their headline and removal of
// their comment are told with the reasons, naming no moderator.
func TestModerationAndApprovalNotices(t *testing.T) {
	inst := startInstance(t, withMode(storage.RegistrationApproval))
	admin := createAdmin(t, inst, "ada")
	hal := newVisitor(t, inst)
	hal.signUp("hal", "a long password", url.Values{"reason": {"I check facts."}})
	admin.get("/admin/approvals")
	wantStatus(t, admin.post("/admin/approvals/hal/approve", nil), http.StatusSeeOther)
	wantStatus(t, hal.signIn("hal", "a long password"), http.StatusSeeOther)
	if got := unreadInNav(hal.get("/")); got != "1" {
		t.Errorf("unread after approval = %q, want 1", got)
	}
	wantBody(t, hal.get("/notifications"), "Your account was approved.")

	wantStatus(t, hal.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"Ferry strike on Monday"},
		"text": {"Plan ahead."}, "action": {"publish"}}), http.StatusSeeOther)
	post := latestPost(t, inst, "hal")
	wantStatus(t, hal.post("/posts/"+post.ID+"/comments", url.Values{"text": {"Buy **tickets** early!"}}), http.StatusSeeOther)
	thread, err := inst.DB.Thread(context.Background(), storage.Stranger, post.ID)
	if err != nil || len(thread) != 1 {
		t.Fatalf("thread: %v, %v", thread, err)
	}
	admin.get("/posts/" + post.ID)
	wantStatus(t, admin.post("/posts/"+post.ID+"/lock", url.Values{"reason": {"Checked against the union's notice"}}),
		http.StatusSeeOther)
	wantStatus(t, admin.post("/posts/"+thread[0].ID+"/remove", url.Values{"reason": {"Advertising"}}), http.StatusSeeOther)

	notes := hal.get("/notifications")
	wantBody(t, notes, "A moderator locked the headline of your post", "“Ferry strike on Monday”</a>: Checked against the union&#39;s notice",
		`A moderator removed your comment <a href="/posts/`+thread[0].ID+`">“Buy tickets early!”</a>: Advertising`)
	wantBody(t, hal.get("/posts/"+thread[0].ID), "Advertising")
	if strings.Contains(notes.Body, "@ada") {
		t.Error("the notices name the moderator")
	}
}

// TestNotificationsOlderPage: 21 members who follow alice and like her
// post fill a page of 40 notices, told as two groups, and an Older link
// leads to the first follower's two.
func TestNotificationsOlderPage(t *testing.T) {
	ctx := context.Background()
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	aliceID := actorOf(t, inst, "alice").ID
	post, err := inst.DB.Publish(ctx, storage.PostCreate{AuthorID: aliceID, Kind: storage.KindDiscussion,
		Headline: "Bridge closed", Text: "Until May."})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 21 {
		m, err := inst.DB.CreateMember(ctx, storage.MemberCreate{Username: fmt.Sprintf("m%d", i),
			Email: fmt.Sprintf("m%d@example.org", i), Password: "a long password"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := inst.DB.Follow(ctx, m.ID, aliceID); err != nil {
			t.Fatal(err)
		}
		if err := inst.DB.LikePost(ctx, m.ID, post.ID); err != nil {
			t.Fatal(err)
		}
	}
	first := alice.get("/notifications")
	wantBody(t, first, `<strong>@m20</strong></a>, <a href="/@m19"><strong>@m19</strong></a> and 18 others`,
		"followed you", "liked your post")
	if strings.Count(first.Body, " and 18 others") != 2 {
		t.Errorf("the first page does not group the likes and the follows of m1 to m20:\n%s", first.Body)
	}
	_, after, ok := strings.Cut(first.Body, `<a href="/notifications?before=`)
	if !ok {
		t.Fatalf("no Older link:\n%s", first.Body)
	}
	cursor, _, _ := strings.Cut(after, `"`)
	older := alice.get("/notifications?before=" + cursor)
	wantBody(t, older, `<strong>@m0</strong></a>`, "followed you", "liked your post")
	if strings.Contains(older.Body, "@m1<") || strings.Contains(older.Body, `rel="next"`) {
		t.Errorf("the older page has more than the first follower's notices:\n%s", older.Body)
	}
}
