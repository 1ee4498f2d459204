package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// noticeList is the notices of a page, for tests that read one page.
func noticeList(p *NotificationPage, err error) ([]*Notification, error) {
	if p == nil {
		return nil, err
	}
	return p.Notifications, err
}

// noticeKinds lists the kinds of the member's notices, newest first,
// and marks them read.
func noticeKinds(t *testing.T, db *DB, memberID string) []string {
	t.Helper()
	list, err := noticeList(db.Notifications(context.Background(), memberID, "", 100))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, n := range list {
		kinds = append(kinds, n.Kind)
	}
	return kinds
}

// TestNotifyEveryKind: the author hears of a follow, a follow request, a
// like, a correction, a revert, a lock and a removal, each once, with
// what the page says of it; nobody hears of their own doing.
func TestNotifyEveryKind(t *testing.T) {
	ctx := context.Background()
	f := newFlagFixture(t)
	db, clock := f.db, &testClock{now: f.db.Now()}
	db.Now = clock.Now
	db.Corrections = CorrectionPolicy{Who: EditableAnyone, MaxPerHour: 10}
	mia, ann, max := f.author, f.ann, f.mod

	if _, err := db.Follow(ctx, ann.ID, mia.ID); err != nil {
		t.Fatal(err)
	}
	locked := true
	if _, err := db.UpdateProfile(ctx, mia.ID, ProfileUpdate{ManuallyApprovesFollowers: &locked}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Follow(ctx, max.ID, mia.ID); err != nil {
		t.Fatal(err)
	}
	for range 2 { // liking twice counts once
		if err := db.LikePost(ctx, ann.ID, f.local.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.LikePost(ctx, mia.ID, f.local.ID); err != nil { // her own
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	if _, err := db.ReviseHeadline(ctx, HeadlineEdit{PostID: f.local.ID, EditorID: ann.ID, BaseRevision: 1,
		Headline: "Town hall meets tomorrow", Reason: "The date moved."}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	if _, err := db.ReviseHeadline(ctx, HeadlineEdit{PostID: f.local.ID, EditorID: max.ID, BaseRevision: 2,
		RevertTo: 1, Reason: "It is tonight after all."}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ReviseHeadline(ctx, HeadlineEdit{PostID: f.local.ID, EditorID: mia.ID, BaseRevision: 3,
		Headline: "Town hall meets tonight at seven", Reason: "Add the hour."}); err != nil { // her own
		t.Fatal(err)
	}
	if err := db.LockHeadline(ctx, max.ID, f.local.ID, true, "Settled after review"); err != nil {
		t.Fatal(err)
	}
	if err := db.LockHeadline(ctx, max.ID, f.local.ID, false, ""); err != nil { // an unlock tells nobody
		t.Fatal(err)
	}
	comment, err := db.Comment(ctx, CommentCreate{AuthorID: mia.ID, ParentID: f.local.ID, Text: "Bring   a *chair*."})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RemovePost(ctx, max.ID, comment.ID, "Off topic"); err != nil {
		t.Fatal(err)
	}

	list, err := noticeList(db.Notifications(ctx, mia.ID, "", 100))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range list {
		line := n.Kind
		if n.Actor != nil {
			line += " by " + n.Actor.Username
		}
		if n.Post != nil {
			line += " on " + n.Post.ID
		}
		line += fmt.Sprintf(" r%d %q %q", n.Revision, n.Subject, n.Reason)
		got = append(got, line)
	}
	p := f.local.ID
	want := []string{
		`moderation by max r0 "Bring a chair." "Off topic"`,
		`lock by max on ` + p + ` r0 "Town hall meets tonight at seven" "Settled after review"`,
		`revert by max on ` + p + ` r3 "Town hall meets tonight" "It is tonight after all."`,
		`correction by ann on ` + p + ` r2 "Town hall meets tomorrow" "The date moved."`,
		`like by ann on ` + p + ` r0 "" ""`,
		`follow_request by max r0 "" ""`,
		`follow by ann r0 "" ""`,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("mia's notices:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if removed := list[0]; removed.SubjectID != comment.ID || removed.SubjectKind != KindComment {
		t.Errorf("the removal names %s (%s), want the comment %s", removed.SubjectID, removed.SubjectKind, comment.ID)
	}
	if kinds := noticeKinds(t, db, ann.ID); len(kinds) != 0 {
		t.Errorf("ann, who did it all to others, was told %v", kinds)
	}
}

// TestApprovalNotifies: a member let in from the waiting list finds the
// approval among their notices.
func TestApprovalNotifies(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	db.Registration = RegistrationApproval
	m, err := db.Register(ctx, registration("hal", ""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ApproveMember(ctx, "hal"); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.UnreadNotifications(ctx, m.ID); n != 1 {
		t.Errorf("unread after approval = %d, want 1", n)
	}
	list, err := noticeList(db.Notifications(ctx, m.ID, "", 10))
	if err != nil || len(list) != 1 || list[0].Kind != NotifyApproved || list[0].Actor != nil || list[0].Post != nil {
		t.Fatalf("hal's notices = %+v, %v", list, err)
	}
}

// TestRemoteReactionsAndFollows: likes, boosts and follows from other
// servers notify once however often they are delivered; an Undo takes
// an unread notice back, but not one already read.
func TestRemoteReactionsAndFollows(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	post := discuss(t, db, alice, "", "Bridge closed")
	bob := saveRemote(t, db, "bob", "social.example")
	carl := saveRemote(t, db, "carl", "social.example")
	aliceActor, _ := db.ActorByID(ctx, alice.ID)

	for range 2 {
		if err := db.React(ctx, bob.ID, post.URI, Like, bob.URI+"#likes/1", ""); err != nil {
			t.Fatal(err)
		}
		if err := db.React(ctx, bob.ID, post.URI, Announce, bob.URI+"#boosts/1", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ReceiveFollow(ctx, carl.ID, alice.ID, carl.URI+"#follows/1"); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := db.UnreadNotifications(ctx, alice.ID); n != 3 {
		t.Errorf("unread after redelivery = %d, want 3 (a like, a boost, a follow)", n)
	}
	if err := db.Unreact(ctx, bob.ID, Like, bob.URI+"#likes/1", post.URI, ""); err != nil {
		t.Fatal(err)
	}
	if err := db.ReceiveUndoFollow(ctx, carl.ID, aliceActor.ID, carl.URI+"#follows/1"); err != nil {
		t.Fatal(err)
	}
	if kinds := noticeKinds(t, db, alice.ID); !slices.Equal(kinds, []string{NotifyBoost}) {
		t.Errorf("after the Undo of the like and the follow: %v, want the boost only", kinds)
	}
	// Read now: taking the boost back leaves what was seen.
	if found, err := db.UndoActivity(ctx, bob.ID, bob.URI+"#boosts/1"); err != nil || !found {
		t.Fatalf("undo boost: %v, %v", found, err)
	}
	if kinds := noticeKinds(t, db, alice.ID); !slices.Equal(kinds, []string{NotifyBoost}) {
		t.Errorf("after the Undo of a read boost: %v, want it kept", kinds)
	}
}

// TestNoticesKeepMutesAndBlocks: a muted account's like makes no notice;
// a block hides the blocked account's notices made before it.
func TestNoticesKeepMutesAndBlocks(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice, bob, carl := mustCreateMember(t, db, "alice"), mustCreateMember(t, db, "bob"), mustCreateMember(t, db, "carl")
	post := discuss(t, db, alice, "", "Bridge closed")
	if err := db.Mute(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.LikePost(ctx, bob.ID, post.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.LikePost(ctx, carl.ID, post.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Follow(ctx, carl.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.Unmute(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.UnreadNotifications(ctx, alice.ID); n != 2 {
		t.Errorf("unread = %d, want carl's like and follow, and nothing of muted bob", n)
	}
	if kinds := noticeKinds(t, db, alice.ID); !slices.Equal(kinds, []string{NotifyFollow, NotifyLike}) {
		t.Errorf("notices = %v", kinds)
	}
	if err := db.Block(ctx, alice.ID, carl.ID); err != nil {
		t.Fatal(err)
	}
	if kinds := noticeKinds(t, db, alice.ID); len(kinds) != 0 {
		t.Errorf("notices of a blocked account: %v", kinds)
	}
}

// TestNotificationPagesAndGroups: 45 likes and 3 follows page 40 at a
// time, newest first; on a page the likes of a post are one group, the
// follows another.
func TestNotificationPagesAndGroups(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	first := discuss(t, db, alice, "", "First")
	second := discuss(t, db, alice, "", "Second")
	for i := range 45 {
		clock.Advance(time.Second)
		a := saveRemote(t, db, fmt.Sprintf("liker%d", i), "social.example")
		post := first
		if i%2 == 1 {
			post = second
		}
		if err := db.React(ctx, a.ID, post.URI, Like, a.URI+"#like", ""); err != nil {
			t.Fatal(err)
		}
		if i >= 42 {
			if _, err := db.ReceiveFollow(ctx, a.ID, alice.ID, a.URI+"#follow"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n, _ := db.UnreadNotifications(ctx, alice.ID); n != 48 {
		t.Fatalf("unread = %d, want 48", n)
	}
	page, err := db.Notifications(ctx, alice.ID, "", NotificationsPerPage)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Notifications) != 40 || page.Next != page.Notifications[39].ID {
		t.Fatalf("first page: %d notices, next %q", len(page.Notifications), page.Next)
	}
	var groups []string
	for _, g := range page.Groups {
		groups = append(groups, fmt.Sprintf("%s %d %s", g.Kind, len(g.Actors), g.Actors[0].Username))
	}
	// Newest first: liker44 liked the first post and followed.
	want := []string{"follow 3 liker44", "like 19 liker44", "like 18 liker43"}
	if !slices.Equal(groups, want) {
		t.Errorf("groups of the first page = %v, want %v", groups, want)
	}
	if n, _ := db.UnreadNotifications(ctx, alice.ID); n != 8 {
		t.Errorf("unread after the first page = %d, want the 8 not shown", n)
	}
	older, err := db.Notifications(ctx, alice.ID, page.Next, NotificationsPerPage)
	if err != nil {
		t.Fatal(err)
	}
	if len(older.Notifications) != 8 || older.Next != "" || older.Notifications[0].ID >= page.Next {
		t.Errorf("second page: %d notices, next %q", len(older.Notifications), older.Next)
	}
}

// TestMarkNotificationsRead: "mark all read" marks what the member was
// shown and older, not what came after.
func TestMarkNotificationsRead(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	post := discuss(t, db, alice, "", "Bridge closed")
	var ids []string
	for i := range 3 {
		clock.Advance(time.Second)
		a := saveRemote(t, db, fmt.Sprintf("liker%d", i), "social.example")
		if err := db.React(ctx, a.ID, post.URI, Like, a.URI+"#like", ""); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			list, _ := noticeList(db.Notifications(ctx, alice.ID, "", 1)) // sees the newest only
			if len(list) != 1 {
				t.Fatalf("alice sees %d notices, want the like", len(list))
			}
			ids = append(ids, list[0].ID)
		}
	}
	if n, _ := db.UnreadNotifications(ctx, alice.ID); n != 2 {
		t.Fatalf("unread = %d, want 2", n)
	}
	if err := db.MarkNotificationsRead(ctx, alice.ID, ids[0]); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.UnreadNotifications(ctx, alice.ID); n != 1 {
		t.Errorf("unread after marking up to the one seen = %d, want the newer one", n)
	}
	if err := db.MarkNotificationsRead(ctx, alice.ID, ""); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.UnreadNotifications(ctx, alice.ID); n != 0 {
		t.Errorf("unread after marking all = %d", n)
	}
}

// TestNotificationQueriesUseTheMemberIndex: the listing and the unread
// count, run on every page, seek the member's notices in an index.
func TestNotificationQueriesUseTheMemberIndex(t *testing.T) {
	db, _ := openTestDB(t)
	alice := mustCreateMember(t, db, "alice")
	for name, q := range map[string]struct {
		query, index string
		args         []any
	}{
		"listing": {`SELECT ` + noticeColumns + ` FROM notifications n WHERE n.member_id = ? AND n.id < ? AND ` +
			shownNoticeSQL + ` ORDER BY n.id DESC LIMIT ?`, "notifications_member", []any{alice.ID, "\uffff", 41}},
		"unread": {unreadNoticesQuery, "notifications_unread", []any{alice.ID}},
	} {
		plan := queryPlan(t, db, q.query, q.args...)
		first, _, _ := strings.Cut(plan, "\n")
		if !strings.Contains(first, "SEARCH n USING") || !strings.Contains(first, q.index+" (member_id=?") ||
			strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s plan:\n%s", name, plan)
		}
	}
}

func TestGroupNotifications(t *testing.T) {
	ada, bob := &Actor{ID: "ada"}, &Actor{ID: "bob"}
	p1, p2 := &Post{ID: "p1"}, &Post{ID: "p2"}
	for _, tc := range []struct {
		name string
		list []*Notification
		want []string
	}{
		{"empty", nil, nil},
		{"likes of one post", []*Notification{{Kind: NotifyLike, Actor: ada, Post: p1}, {Kind: NotifyLike, Actor: bob, Post: p1}},
			[]string{"like ada,bob"}},
		{"likes of two posts", []*Notification{{Kind: NotifyLike, Actor: ada, Post: p1}, {Kind: NotifyLike, Actor: bob, Post: p2}},
			[]string{"like ada", "like bob"}},
		{"a like and a boost", []*Notification{{Kind: NotifyLike, Actor: ada, Post: p1}, {Kind: NotifyBoost, Actor: ada, Post: p1}},
			[]string{"like ada", "boost ada"}},
		{"follows apart", []*Notification{{Kind: NotifyFollow, Actor: ada}, {Kind: NotifyReply, Actor: bob, Post: p1},
			{Kind: NotifyFollow, Actor: bob}}, []string{"follow ada,bob", "reply bob"}},
		{"mentions alone", []*Notification{{Kind: NotifyMention, Actor: ada, Post: p1}, {Kind: NotifyMention, Actor: ada, Post: p2}},
			[]string{"mention ada", "mention ada"}},
		{"approval", []*Notification{{Kind: NotifyApproved}}, []string{"approved "}},
	} {
		var got []string
		for _, g := range GroupNotifications(tc.list) {
			var names []string
			for _, a := range g.Actors {
				names = append(names, a.ID)
			}
			got = append(got, g.Kind+" "+strings.Join(names, ","))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
