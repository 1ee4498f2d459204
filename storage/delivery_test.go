package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestInboundIsStoredOnceAndClaimedWithALease(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	stored, err := db.StoreInbound(ctx, "https://r.example/a/1", "https://r.example/u/bob", "Create", "", []byte(`{}`))
	if err != nil || !stored {
		t.Fatalf("store = %v, %v", stored, err)
	}
	if again, _ := db.StoreInbound(ctx, "https://r.example/a/1", "https://r.example/u/bob", "Create", "", []byte(`{}`)); again {
		t.Error("a duplicate activity was stored")
	}
	claimed, _ := db.ClaimInbound(ctx, 10, time.Minute)
	if len(claimed) != 1 || claimed[0].Attempts != 1 {
		t.Fatalf("claimed = %+v", claimed)
	}
	if more, _ := db.ClaimInbound(ctx, 10, time.Minute); len(more) != 0 {
		t.Error("claimed twice within the lease")
	}
	// A worker that died leaves it to be taken again after the lease.
	clock.Advance(2 * time.Minute)
	claimed, _ = db.ClaimInbound(ctx, 10, time.Minute)
	if len(claimed) != 1 || claimed[0].Attempts != 2 {
		t.Fatalf("after the lease: %+v", claimed)
	}
	if err := db.FinishInbound(ctx, claimed[0].ID, ""); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	if n, _ := db.PendingInbound(ctx); n != 0 {
		t.Errorf("pending = %d", n)
	}
}

func TestDeliveries(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	db.CreatePost(ctx, alice.ID, "news")
	events, _ := db.PendingOutbox(ctx, 10)
	inboxes := []string{"https://a.example/inbox", "https://b.example/inbox", "https://a.example/inbox", "not a url"}
	n, err := db.ExpandOutbox(ctx, events[0].ID, []byte(`{"type":"Create"}`), "", inboxes)
	if err != nil || n != 2 {
		t.Fatalf("expanded into %d, %v", n, err)
	}
	if again, _ := db.ExpandOutbox(ctx, events[0].ID, []byte(`{}`), "", inboxes); again != 0 {
		t.Error("expanded twice")
	}
	if pending, _ := db.PendingOutbox(ctx, 10); len(pending) != 0 {
		t.Error("event still pending")
	}
	claimed, _ := db.ClaimDeliveries(ctx, 10, 0, time.Minute)
	if len(claimed) != 2 || claimed[0].ActorID != alice.ID || string(claimed[0].Activity) != `{"type":"Create"}` {
		t.Fatalf("claimed = %+v", claimed)
	}
	var a, b *Delivery
	for _, d := range claimed {
		if d.Host == "a.example" {
			a = d
		} else {
			b = d
		}
	}
	if err := db.DeliverySucceeded(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := db.DeliveryFailed(ctx, b, DeliveryFailure{Reason: "503", RetryAt: clock.now.Add(time.Minute), Host: HostDown}); err != nil {
		t.Fatal(err)
	}
	pending, delivered, dropped, _ := db.DeliveryCounts(ctx)
	if pending != 1 || delivered != 1 || dropped != 0 {
		t.Errorf("counts = %d pending, %d delivered, %d dropped", pending, delivered, dropped)
	}

	// b.example fails for a week: it becomes unavailable, its delivery is
	// dropped and new events skip it, until it answers again.
	clock.Advance(HostUnavailableAfter + time.Hour)
	claimed, _ = db.ClaimDeliveries(ctx, 10, 0, time.Minute)
	db.DeliveryFailed(ctx, claimed[0], DeliveryFailure{Reason: "503", RetryAt: clock.now.Add(time.Hour), Host: HostDown})
	if down, _ := db.HostUnavailable(ctx, "b.example"); !down {
		t.Fatal("b.example not marked unavailable")
	}
	_, _, dropped, _ = db.DeliveryCounts(ctx)
	if dropped != 1 {
		t.Errorf("dropped = %d", dropped)
	}
	db.CreatePost(ctx, alice.ID, "more news")
	events, _ = db.PendingOutbox(ctx, 10)
	if n, _ := db.ExpandOutbox(ctx, events[0].ID, []byte(`{}`), "", inboxes); n != 1 {
		t.Errorf("expanded into %d deliveries, want 1 (b.example skipped)", n)
	}
	if err := db.HostAnswered(ctx, "B.example"); err != nil {
		t.Fatal(err)
	}
	if down, _ := db.HostUnavailable(ctx, "b.example"); down {
		t.Error("b.example still unavailable after it answered")
	}
}

func TestReleaseClaimsAfterACrash(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	db.CreatePost(ctx, alice.ID, "news")
	events, _ := db.PendingOutbox(ctx, 10)
	db.ExpandOutbox(ctx, events[0].ID, []byte(`{}`), "", []string{"https://a.example/inbox", "https://b.example/inbox"})
	db.StoreInbound(ctx, "https://r.example/a/1", "https://r.example/u/bob", "Create", "", []byte(`{}`))
	claimed, _ := db.ClaimDeliveries(ctx, 10, 0, time.Hour)
	db.DeliverySucceeded(ctx, claimed[0])
	db.ClaimInbound(ctx, 10, time.Hour)
	// The process dies here, holding one delivery and the inbound activity.
	deliveries, inbound, err := db.ReleaseClaims(ctx)
	if err != nil || deliveries != 1 || inbound != 1 {
		t.Fatalf("released %d deliveries, %d inbound, %v; want 1, 1", deliveries, inbound, err)
	}
	if again, _ := db.ClaimDeliveries(ctx, 10, 0, time.Hour); len(again) != 1 || again[0].ID != claimed[1].ID {
		t.Errorf("after release, claimed %+v; want the unfinished delivery", again)
	}
	if again, _ := db.ClaimInbound(ctx, 10, time.Hour); len(again) != 1 {
		t.Errorf("after release, claimed %d inbound; want 1", len(again))
	}
}

func TestClaimDeliveriesPerHost(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	db.CreatePost(ctx, alice.ID, "news")
	events, _ := db.PendingOutbox(ctx, 10)
	var inboxes []string
	for i := 0; i < 10; i++ {
		inboxes = append(inboxes, fmt.Sprintf("https://slow.example/inbox/%d", i))
	}
	inboxes = append(inboxes, "https://fast.example/inbox", "https://other.example/inbox")
	db.ExpandOutbox(ctx, events[0].ID, []byte(`{}`), "", inboxes)

	claimed, err := db.ClaimDeliveries(ctx, 100, 3, time.Minute, "other.example")
	if err != nil {
		t.Fatal(err)
	}
	perHost := map[string]int{}
	for _, d := range claimed {
		perHost[d.Host]++
	}
	if perHost["slow.example"] != 3 || perHost["fast.example"] != 1 || perHost["other.example"] != 0 {
		t.Errorf("claimed per host = %v; want 3 from slow, 1 from fast, none from the skipped host", perHost)
	}
}

// expandTo makes a post's outbox event and expands it into deliveries to
// the inboxes, about the object key; it returns the event's id.
func expandTo(t *testing.T, db *DB, memberID, key string, inboxes ...string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := db.CreatePost(ctx, memberID, "news"); err != nil {
		t.Fatal(err)
	}
	events, _ := db.PendingOutbox(ctx, 10)
	if _, err := db.ExpandOutbox(ctx, events[0].ID, []byte(`{}`), key, inboxes); err != nil {
		t.Fatal(err)
	}
	return events[0].ID
}

// claimedTo lists "event inbox" of each delivery claimed, by event names.
func claimedTo(t *testing.T, db *DB, names map[string]string) []string {
	t.Helper()
	claimed, err := db.ClaimDeliveries(context.Background(), 100, 0, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	var list []string
	for _, d := range claimed {
		list = append(list, names[d.OutboxID]+" "+d.Inbox)
	}
	slices.Sort(list)
	return list
}

func TestDeliveriesAboutOneObjectGoToAServerInOrder(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	post := "https://tidings.test/posts/1"
	names := map[string]string{
		expandTo(t, db, alice.ID, post, "https://a.example/inbox"):                              "create",
		expandTo(t, db, alice.ID, post, "https://a.example/inbox", "https://b.example/inbox"):   "delete",
		expandTo(t, db, alice.ID, "https://tidings.test/posts/2", "https://a.example/inbox"):    "other",
		expandTo(t, db, alice.ID, "", "https://a.example/inbox", "https://a.example/u/1/inbox"): "unkeyed",
	}
	// The Delete to a.example waits for the Create there; to b.example,
	// other objects and activities without a key go at once.
	got := claimedTo(t, db, names)
	want := []string{"create https://a.example/inbox", "delete https://b.example/inbox", "other https://a.example/inbox",
		"unkeyed https://a.example/inbox", "unkeyed https://a.example/u/1/inbox"}
	if !slices.Equal(got, want) {
		t.Fatalf("claimed %q\nwant %q", got, want)
	}
	clock.Advance(2 * time.Minute) // every claim lapses
	list, _ := db.ClaimDeliveries(ctx, 100, 0, time.Minute)
	var create *Delivery
	for _, d := range list {
		switch names[d.OutboxID] + " " + d.Host {
		case "delete a.example":
			t.Fatal("the Delete was claimed while its Create, its claim lapsed, was still pending")
		case "create a.example":
			create = d
		default:
			db.DeliverySucceeded(ctx, d)
		}
	}

	// A failed Create that will be tried again still holds the Delete; a
	// dropped one lets it go.
	db.DeliveryFailed(ctx, create, DeliveryFailure{Reason: "503", RetryAt: clock.now, Host: HostDown})
	if got := claimedTo(t, db, names); !slices.Equal(got, []string{"create https://a.example/inbox"}) {
		t.Fatalf("after the Create failed: claimed %q, want only the Create again", got)
	}
	clock.Advance(2 * time.Minute)
	list, _ = db.ClaimDeliveries(ctx, 100, 0, time.Minute)
	if len(list) != 1 {
		t.Fatalf("claimed %d, want the Create", len(list))
	}
	db.DeliveryFailed(ctx, list[0], DeliveryFailure{Reason: "410", Host: HostUp})
	if got := claimedTo(t, db, names); !slices.Equal(got, []string{"delete https://a.example/inbox"}) {
		t.Fatalf("after the Create was dropped: claimed %q, want the Delete", got)
	}
}

func TestADeliveredActivityReleasesTheNext(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	actor := "https://a.example/users/bob"
	names := map[string]string{
		expandTo(t, db, alice.ID, actor, "https://a.example/inbox"): "follow",
		expandTo(t, db, alice.ID, actor, "https://a.example/inbox"): "undo",
	}
	claimed, _ := db.ClaimDeliveries(ctx, 100, 0, time.Minute)
	if len(claimed) != 1 || names[claimed[0].OutboxID] != "follow" {
		t.Fatalf("claimed %d deliveries, want the Follow alone", len(claimed))
	}
	if err := db.DeliverySucceeded(ctx, claimed[0]); err != nil {
		t.Fatal(err)
	}
	if got := claimedTo(t, db, names); !slices.Equal(got, []string{"undo https://a.example/inbox"}) {
		t.Errorf("after the Follow was delivered: claimed %q, want the Undo", got)
	}
}

// queryPlan returns SQLite's plan for a query, one step a line.
func queryPlan(t *testing.T, db *DB, query string, args ...any) string {
	t.Helper()
	rows, err := db.reader.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(detail + "\n")
	}
	return plan.String()
}

// TestClaimDeliveriesPlan checks that claiming seeks in the indexes of
// migration 0008 and never reads the deliveries from end to end: its
// cost must not grow with the queue. The plan does not depend on the
// amount of data (ANALYZE is never run).
func TestClaimDeliveriesPlan(t *testing.T) {
	db, _ := openTestDB(t)
	if plan := queryPlan(t, db, anyDueQuery, 0); !strings.Contains(plan, "SEARCH deliveries USING INDEX deliveries_due (next_attempt_at<?)") {
		t.Errorf("the plan of whether any delivery is due does not seek in deliveries_due:\n%s", plan)
	}
	hosts := queryPlan(t, db, dueHostsQuery, "[]", 0, 10)
	due := queryPlan(t, db, dueDeliveriesQuery, "a.example", 0, 4)
	for _, want := range []string{
		"SEARCH deliveries USING INDEX deliveries_host_due (host>?)",
		"SEARCH deliveries USING INDEX deliveries_host_due (host=?)",
	} {
		if !strings.Contains(hosts, want) {
			t.Errorf("the due hosts plan lacks %q:\n%s", want, hosts)
		}
	}
	for _, want := range []string{
		"SEARCH d USING INDEX deliveries_host_due (host=? AND next_attempt_at<?)",
		"SEARCH e USING INDEX deliveries_order (host=? AND ordering_key=? AND outbox_id<?)",
	} {
		if !strings.Contains(due, want) {
			t.Errorf("the due deliveries plan lacks %q:\n%s", want, due)
		}
	}
	// The first server is the first entry of the index, read by a SCAN
	// that stops at once (LIMIT 1); any other SCAN would read them all.
	for _, plan := range []string{hosts, due} {
		for _, line := range strings.Split(plan, "\n") {
			if strings.HasPrefix(line, "SCAN deliveries") && line != "SCAN deliveries USING INDEX deliveries_host_due" {
				t.Errorf("the plan reads deliveries from end to end: %q in\n%s", line, plan)
			}
		}
	}
}

// TestClaimedDeliveriesSayWhetherTheirServerFails: a server whose last
// delivery got no answer is failing until one succeeds.
func TestClaimedDeliveriesSayWhetherTheirServerFails(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	expand := func() {
		t.Helper()
		db.CreatePost(ctx, alice.ID, "news")
		events, _ := db.PendingOutbox(ctx, 10)
		if _, err := db.ExpandOutbox(ctx, events[0].ID, []byte(`{}`), "", []string{"https://a.example/inbox", "https://b.example/inbox"}); err != nil {
			t.Fatal(err)
		}
	}
	claim := func() map[string]*Delivery {
		t.Helper()
		claimed, err := db.ClaimDeliveries(ctx, 10, 0, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		byHost := map[string]*Delivery{}
		for _, d := range claimed {
			byHost[d.Host] = d
		}
		return byHost
	}
	expand()
	first := claim()
	if first["a.example"].HostFailing || first["b.example"].HostFailing {
		t.Fatal("servers never tried are failing")
	}
	db.DeliverySucceeded(ctx, first["a.example"])
	db.DeliveryFailed(ctx, first["b.example"], DeliveryFailure{Reason: "timeout", RetryAt: clock.now.Add(time.Hour), Host: HostDown})
	expand()
	second := claim()
	if second["a.example"].HostFailing || !second["b.example"].HostFailing {
		t.Errorf("after a.example answered and b.example did not: failing %v and %v, want false and true",
			second["a.example"].HostFailing, second["b.example"].HostFailing)
	}
	db.DeliverySucceeded(ctx, second["b.example"])
	expand()
	if third := claim(); third["b.example"].HostFailing {
		t.Error("b.example still failing after a delivery to it succeeded")
	}
}
