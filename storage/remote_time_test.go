package storage

import (
	"context"
	"testing"
	"time"
)

func TestRemoteTime(t *testing.T) {
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	epoch := time.Unix(0, 0).UTC()
	tests := []struct {
		name    string
		in, out time.Time
	}{
		{"unknown stays unknown", time.Time{}, time.Time{}},
		{"before 1970", time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), epoch},
		{"long before", time.Date(-5000, 1, 1, 0, 0, 0, 0, time.UTC), epoch},
		{"1970", epoch, epoch},
		{"in range", now.Add(-time.Hour), now.Add(-time.Hour)},
		{"now", now, now},
		{"in the future", now.Add(time.Second), now},
		{"far future", time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), now},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := remoteTime(tt.in, now); !got.Equal(tt.out) {
				t.Errorf("remoteTime(%v) = %v, want %v", tt.in, got, tt.out)
			}
		})
	}
}

func TestIDsForAnyTime(t *testing.T) {
	ids := newIDSource()
	times := []time.Time{
		time.Date(-5000, 1, 1, 0, 0, 0, 0, time.UTC), {}, time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Unix(0, 0), time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(20000, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	prev := ""
	for _, tm := range times {
		id := ids.next(tm)
		if len(id) != 26 || id < prev {
			t.Errorf("id for %v = %q (after %q), want 26 characters sorting in time order", tm, id, prev)
		}
		prev = id
	}
}

// TestRemoteTimesStoredInRange: times another server gives (an account's
// creation, a post's publication and edit, a revision's) are stored
// within range: not before 1970, not in the future.
func TestRemoteTimesStoredInRange(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	epoch := time.Unix(0, 0).UTC()
	old, future := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), clock.now.AddDate(100, 0, 0)

	bob := saveRemote(t, db, "bob", "social.example")
	for published, want := range map[time.Time]time.Time{old: {}, future: clock.now} {
		r := RemoteActor{URI: bob.URI, Kind: KindPerson, Username: "bob", Inbox: bob.Inbox, KeyID: bob.KeyID,
			PublicKeyPEM: bob.PublicKeyPEM, Published: published}
		a, err := db.SaveRemoteActor(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if !a.Published.Equal(want) {
			t.Errorf("an account published %v is stored as published %v, want %v", published, a.Published, want)
		}
	}

	p, err := db.SaveRemotePost(ctx, RemotePost{URI: bob.URI + "/n/1", AuthorID: bob.ID, Visibility: Public,
		Kind: KindDiscussion, Headline: "Old news", Content: "x", Published: old, Updated: future})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Published.Equal(epoch) || !p.Updated.Equal(clock.now) {
		t.Errorf("post published %v, updated %v; want %v and %v", p.Published, p.Updated, epoch, clock.now)
	}
	// An edit claiming a time far ahead does not block the edits after it.
	clock.Advance(time.Hour)
	if _, err := db.SaveRemotePost(ctx, RemotePost{URI: p.URI, AuthorID: bob.ID, Visibility: Public, Content: "y",
		Published: old, Updated: future}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	edited, err := db.SaveRemotePost(ctx, RemotePost{URI: p.URI, AuthorID: bob.ID, Visibility: Public, Content: "z",
		Published: old, Updated: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	if edited.Content != "z" {
		t.Errorf("after an edit dated in the future, a later edit was not applied: content %q", edited.Content)
	}

	clock.Advance(time.Hour)
	if _, err := db.SaveRemotePost(ctx, RemotePost{URI: p.URI, AuthorID: bob.ID, Visibility: Public, Kind: KindDiscussion,
		Headline: "Older news", Content: "z", Updated: clock.now,
		Revision: &RemoteRevision{Number: 2, CreatedAt: old}}); err != nil {
		t.Fatal(err)
	}
	revs, err := db.HeadlineHistory(ctx, p.ID)
	if err != nil || len(revs) != 2 {
		t.Fatalf("history: %d revisions, %v", len(revs), err)
	}
	if !revs[1].CreatedAt.Equal(epoch) {
		t.Errorf("a revision dated %v is stored as made %v, want %v", old, revs[1].CreatedAt, epoch)
	}
}
