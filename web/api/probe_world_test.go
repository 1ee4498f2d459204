package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// probeWorld is an instance with something of every kind to name: bob
// calls the API; alice and carol are others.
type probeWorld struct {
	ta                *testAPI
	alice, bob, carol *storage.Member
	token             string // bob's, with every scope
	// ids are things of every kind, by what they are, that a path's id
	// is set to.
	ids map[string]string
	// client gives up on an answer that hangs.
	client *http.Client
	// watched are other members whose reactions and follows the
	// snapshot holds too.
	watched []*storage.Member
	// secrets are what bob may not see: no answer of his may hold them.
	secrets []string
}

// newProbeWorld starts an API, with a rate limit no probe reaches, over
// members who posted, commented, boosted, liked and followed.
func newProbeWorld(t *testing.T) *probeWorld {
	t.Helper()
	ta := startStatusAPIWith(t, Config{RateLimit: 1 << 30})
	ctx := context.Background()
	w := &probeWorld{ta: ta, alice: ta.signedUpMember("alice"), bob: ta.signedUpMember("bob"),
		carol: ta.signedUpMember("carol"), client: &http.Client{Timeout: 20 * time.Second}}
	w.watched = []*storage.Member{w.carol}
	w.token = ta.tokenOf(w.bob, "read write follow push profile")
	climate, err := ta.db.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "climate", Title: "Climate"}, w.alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	post := ta.publish(w.alice, "Bridges need repair", climate.ID)
	own := ta.publish(w.bob, "Trains run late", "")
	comment, err := ta.db.Comment(ctx, storage.CommentCreate{AuthorID: w.alice.ID, ParentID: post.ID, Text: "Indeed"})
	if err != nil {
		t.Fatal(err)
	}
	remote := ta.remoteAccount("Person", "dora", "elsewhere.example", nil)
	hidden := ta.remoteNote(remote, "hidden", "followers")
	if err := ta.db.BoostPost(ctx, w.carol.ID, post.ID); err != nil {
		t.Fatal(err)
	}
	boost, err := ta.db.MemberBoostEntry(ctx, w.carol.ID, post.ID)
	if err != nil {
		t.Fatal(err)
	}
	// erin blocks bob: neither her posts nor her boosts are his to see.
	erin := ta.signedUpMember("erin")
	erinsPost := ta.publish(erin, "Erin's own news", "")
	if err := ta.db.BoostPost(ctx, erin.ID, post.ID); err != nil {
		t.Fatal(err)
	}
	erinsBoost, err := ta.db.MemberBoostEntry(ctx, erin.ID, post.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := ta.db.Block(ctx, erin.ID, w.bob.ID); err != nil {
		t.Fatal(err)
	}
	w.secrets = []string{hidden.Content, erinsPost.Headline, erinsBoost.Boost.ActivityURI}
	if err := ta.db.LikePost(ctx, w.alice.ID, own.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.db.Follow(ctx, w.carol.ID, w.bob.ID); err != nil {
		t.Fatal(err)
	}
	notices, err := ta.db.NotificationsPage(ctx, w.bob.ID, storage.NotificationFilter{Kinds: noticeKinds(nil, nil)}, storage.IDPage{Limit: 1})
	if err != nil || len(notices.Notifications) == 0 {
		t.Fatalf("bob's notifications: %v, %v", notices, err)
	}
	w.ids = map[string]string{
		"a post": post.ID, "one's own post": own.ID, "a comment": comment.ID, "a hidden post": hidden.ID,
		"a boost": boost.EntryID(), "a blocker's boost": erinsBoost.EntryID(), "a blocker's post": erinsPost.ID,
		"a blocker's account": erin.ID,
		"an account":          w.alice.ID, "a remote account": remote.ID,
		"a subwiki": climate.ID, "a notification": notices.Notifications[0].ID,
		"an unknown ULID": "01ARZ3NDEKTSV4RRFFQ69G5FAV", "a lowercase ULID": strings.ToLower(post.ID),
		"not a ULID": "12345", "unicode": "ünï😀‮", "a NUL": "a\x00b", "a long id": strings.Repeat("A", 10000),
		"a query": "x?y=1#z",
	}
	return w
}

// snapshot is what is stored of the probed members and posts, and the
// deliveries waiting: a request refused must not change it.
func (w *probeWorld) snapshot(t *testing.T) string {
	t.Helper()
	posts := []string{w.ids["a post"], w.ids["one's own post"], w.ids["a comment"], w.ids["a hidden post"], w.ids["a blocker's post"]}
	return storedState(t, w.ta.db, w.bob, append([]*storage.Member{w.alice}, w.watched...), posts)
}

// storedState is what is stored of the caller (their profile, follows,
// flags, apps, mutes and blocks, notices, markers, pins, bookmarks), of
// others (their follows and unread notices), of the posts (their text,
// counts, and who of them liked and boosted each), and the count of
// posts and deliveries, as one string to compare. It reads what
// requests change with the cheapest reads that show it, since it is
// read after every request.
func storedState(t *testing.T, db *storage.DB, caller *storage.Member, others []*storage.Member, postIDs []string) string {
	t.Helper()
	ctx := context.Background()
	var parts []any
	add := func(v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("snapshot: %v", err)
		}
		parts = append(parts, v)
	}
	first := func(v any, _ string, err error) (any, error) { return v, err }
	if caller != nil {
		id := caller.ID
		add(db.ExportOfProfile(ctx, id))
		add(db.FollowRequestCount(ctx, id))
		add(first(db.ExportFlags(ctx, id, "")))
		add(db.ExportApps(ctx, id))
		add(db.Mutes(ctx, id))
		add(db.NotificationsPage(ctx, id, storage.NotificationFilter{Kinds: noticeKinds(nil, nil)}, storage.IDPage{Limit: 40}))
		add(db.Markers(ctx, id, []string{storage.MarkerHome, storage.MarkerNotifications}))
		add(db.PinnedPosts(ctx, id, id))
		add(db.BookmarksPage(ctx, id, storage.IDPage{Limit: 40}))
		others = append([]*storage.Member{caller}, others...)
	}
	for _, m := range others {
		followers, following, err := db.FollowCounts(ctx, m.ID)
		add([]int{followers, following}, err)
		add(db.UnreadNotifications(ctx, m.ID))
		add(db.LikedBy(ctx, m.ID, postIDs))
		add(db.BoostedBy(ctx, m.ID, postIDs))
	}
	for _, id := range postIDs {
		p, err := db.PostByID(ctx, id)
		if storage.ErrorCode(err) == storage.ENotFound {
			parts = append(parts, "gone")
			continue
		}
		add([]any{p.Headline, p.Source, p.Content, p.ContentWarning, p.Updated, p.LikeCount, p.AnnounceCount, p.CommentCount}, err)
	}
	add(db.CountLocalPosts(ctx))
	pending, delivered, dropped, err := db.DeliveryCounts(ctx)
	add([]int{pending, delivered, dropped}, err)
	b, err := json.Marshal(parts)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
