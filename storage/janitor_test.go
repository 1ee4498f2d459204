package storage

import (
	"context"
	"strings"
	"testing"
	"time"
)

// testRetention keeps things for ages short enough to lay out in a test.
var testRetention = Retention{
	InboxBodies:     10 * 24 * time.Hour,
	InboxRecords:    20 * 24 * time.Hour,
	Outbox:          10 * 24 * time.Hour,
	ExpiredSessions: 0,
	SignInFailures:  24 * time.Hour,
	Tombstones:      30 * 24 * time.Hour,
}

// count runs a count query on a reader.
func count(t *testing.T, db *DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.reader.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// handledInbound stores an inbound activity and finishes it.
func handledInbound(t *testing.T, db *DB, uri string) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.StoreInbound(ctx, uri, "https://r.example/u/bob", "Create", "", []byte(`{"id":"`+uri+`"}`)); err != nil {
		t.Fatal(err)
	}
	claimed, err := db.ClaimInbound(ctx, 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range claimed {
		if in.ActivityURI != uri {
			db.RetryInbound(ctx, in.ID, "not this one", db.Now()) // left unhandled
		} else if err := db.FinishInbound(ctx, in.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
}

// expandedPost makes a post by the member and expands its event into a
// delivery to inbox, which it delivers unless pending is set. It returns
// the event's id.
func expandedPost(t *testing.T, db *DB, memberID, inbox string, pending bool) string {
	t.Helper()
	ctx := context.Background()
	if _, err := db.CreatePost(ctx, memberID, "news"); err != nil {
		t.Fatal(err)
	}
	events, _ := db.PendingOutbox(ctx, 10)
	id := events[0].ID
	if _, err := db.ExpandOutbox(ctx, id, []byte(`{}`), "", []string{inbox}); err != nil {
		t.Fatal(err)
	}
	if !pending {
		claimed, _ := db.ClaimDeliveries(ctx, 10, 0, time.Minute)
		for _, d := range claimed {
			if d.OutboxID != id {
				continue // another's, whose claim lapses
			}
			if err := db.DeliverySucceeded(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
	}
	return id
}

// oldAndNew lays out, at three times a month apart, records the janitor
// must prune and records it must keep.
type oldAndNew struct {
	oldEvent, pendingEvent, newEvent string
	oldSession, newSession           string
}

func layOut(t *testing.T, db *DB, clock *testClock) oldAndNew {
	t.Helper()
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := mustCreateMember(t, db, "bob")
	var r oldAndNew
	var err error

	// Day 0.
	handledInbound(t, db, "https://r.example/a/old")
	if _, err := db.StoreInbound(ctx, "https://r.example/a/unhandled", "https://r.example/u/bob", "Create", "", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	r.oldEvent = expandedPost(t, db, alice.ID, "https://a.example/inbox", false)
	r.pendingEvent = expandedPost(t, db, alice.ID, "https://b.example/inbox", true)
	if r.oldSession, err = db.CreateSession(ctx, alice.ID); err != nil {
		t.Fatal(err)
	}
	old, _ := db.CreatePost(ctx, alice.ID, "to be deleted")
	db.DeletePost(ctx, alice.ID, old.ID)
	db.PendingOutbox(ctx, 10) // (the Delete stays pending: it is not what is tested)

	// Day 15: handled, its body older than 10 days, its record not 20.
	clock.Advance(15 * 24 * time.Hour)
	handledInbound(t, db, "https://r.example/a/mid")

	// Day 31.
	clock.Advance(16 * 24 * time.Hour)
	handledInbound(t, db, "https://r.example/a/new")
	r.newEvent = expandedPost(t, db, alice.ID, "https://a.example/inbox", false)
	// (Bob's: signing in removes the member's own expired sessions.)
	if r.newSession, err = db.CreateSession(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	// A failed sign-in removes those past the rate limit's window; the
	// one of day 0 is put back as a database from before would have it.
	db.Authenticate(ctx, "alice", "wrong", "192.0.2.1")
	if _, err := db.writer.ExecContext(ctx, `INSERT INTO sign_in_attempts (username, network, at) VALUES ('alice', '192.0.2.1', ?)`,
		millis(clock.now.Add(-31*24*time.Hour))); err != nil {
		t.Fatal(err)
	}
	recent, _ := db.CreatePost(ctx, alice.ID, "also deleted")
	db.DeletePost(ctx, alice.ID, recent.ID)
	return r
}

func TestPruneRemovesWhatIsOlderThanItsAge(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	r := layOut(t, db, clock)
	inboundBefore := count(t, db, `SELECT count(*) FROM inbox`)

	// Small batches, until nothing is left to prune.
	var total Pruned
	for calls := 0; ; calls++ {
		p, err := db.Prune(ctx, testRetention, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{p.InboxBodies, p.InboxRecords, p.OutboxEvents, p.Deliveries, p.Sessions, p.SignInFailures, p.SignIns, p.Tombstones} {
			if n > 1 {
				t.Fatalf("a batch of 1 changed %+v", p)
			}
		}
		if p.Total() == 0 {
			break
		}
		if calls > 50 {
			t.Fatal("Prune never runs out of work")
		}
		total.Add(p)
	}
	want := Pruned{InboxBodies: 1, InboxRecords: 1, OutboxEvents: 1, Deliveries: 1, Sessions: 1, SignInFailures: 1, Tombstones: 1}
	if total != want {
		t.Errorf("pruned %+v\nwant   %+v", total, want)
	}

	// Inbound: the old record is gone, so its id is new again; the one of
	// day 15 is kept without its body, so its id is still known.
	if n := count(t, db, `SELECT count(*) FROM inbox`); n != inboundBefore-1 {
		t.Errorf("%d inbound records, want %d", n, inboundBefore-1)
	}
	if n := count(t, db, `SELECT count(*) FROM inbox WHERE activity_uri = 'https://r.example/a/old'`); n != 0 {
		t.Error("the inbound record of day 0 is kept")
	}
	if stored, _ := db.StoreInbound(ctx, "https://r.example/a/mid", "https://r.example/u/bob", "Create", "", []byte(`{}`)); stored {
		t.Error("the activity of day 15 was taken again: its id was forgotten with its body")
	}
	if n := count(t, db, `SELECT count(*) FROM inbox WHERE activity_uri = 'https://r.example/a/mid' AND length(body) = 0`); n != 1 {
		t.Error("the body of the activity of day 15 is kept")
	}
	for _, uri := range []string{"https://r.example/a/new", "https://r.example/a/unhandled"} {
		if n := count(t, db, `SELECT count(*) FROM inbox WHERE activity_uri = ? AND length(body) > 0`, uri); n != 1 {
			t.Errorf("%s lost its body or its record", uri)
		}
	}

	// Outbox: the old event delivered everywhere is gone with its
	// delivery; the one still pending and the new one are kept.
	if _, err := db.OutboxActivity(ctx, r.oldEvent); ErrorCode(err) != ENotFound {
		t.Errorf("the old finished event: %v, want it gone", err)
	}
	for _, id := range []string{r.pendingEvent, r.newEvent} {
		if _, err := db.OutboxActivity(ctx, id); err != nil {
			t.Errorf("event %s: %v", id, err)
		}
	}
	if pending, delivered, _, _ := db.DeliveryCounts(ctx); pending != 1 || delivered != 1 {
		t.Errorf("%d pending, %d delivered; want the pending one and the new one", pending, delivered)
	}

	if _, err := db.MemberBySession(ctx, r.newSession); err != nil {
		t.Errorf("the new session: %v", err)
	}
	if n := count(t, db, `SELECT count(*) FROM sessions`); n != 1 {
		t.Errorf("%d sessions, want the new one", n)
	}
	if n := count(t, db, `SELECT count(*) FROM sign_in_attempts WHERE succeeded = 0`); n != 1 {
		t.Errorf("%d sign-in failures, want the new one", n)
	}
	if n := count(t, db, `SELECT count(*) FROM tombstones`); n != 1 {
		t.Errorf("%d tombstones, want the new one", n)
	}
}

// TestPrunePlan checks that each of Prune's statements finds its rows by
// age in an index of migration 0008, never reading a table from end to
// end: a batch costs what it removes, however large the tables grow.
func TestPrunePlan(t *testing.T) {
	db, _ := openTestDB(t)
	for i, step := range pruneSteps {
		plan := queryPlan(t, db, step.query, 0, 500)
		if strings.Contains(plan, "SCAN ") || !strings.Contains(plan, "SEARCH") {
			t.Errorf("step %d reads a table from end to end:\n%s\n%s", i, step.query, plan)
		}
	}
}
