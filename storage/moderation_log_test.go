package storage

import (
	"context"
	"testing"
)

// TestLockIsLogged: locking and unlocking a headline in a subwiki goes
// into that subwiki's log, newest first, with who, what and why; the
// instance's log stays empty.
func TestLockIsLogged(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	mod := mustCreateMember(t, db, "max")
	author := mustCreateMember(t, db, "mia")
	town := mustCreateSubwiki(t, db, "town", mod, false)
	post, err := db.Publish(ctx, PostCreate{AuthorID: author.ID, SubwikiID: town.ID, Kind: KindDiscussion,
		Headline: "Town hall meets tonight", Text: "Agenda inside."})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.LockHeadline(ctx, mod.ID, post.ID, true, "Settled after review"); err != nil {
		t.Fatal(err)
	}
	if err := db.LockHeadline(ctx, mod.ID, post.ID, false, ""); err != nil {
		t.Fatal(err)
	}
	log, err := db.ModerationLog(ctx, town.ID, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 {
		t.Fatalf("the subwiki's log has %d entries, want 2", len(log))
	}
	want := []struct{ action, reason string }{{ModUnlockHeadline, ""}, {ModLockHeadline, "Settled after review"}}
	for i, w := range want {
		e := log[i]
		if e.Action != w.action || e.Reason != w.reason || e.TargetURI != post.URI ||
			e.TargetText != "Town hall meets tonight" || e.Actor == nil || e.Actor.ID != mod.ID {
			t.Errorf("entry %d = %+v, want %s by max with reason %q", i, e, w.action, w.reason)
		}
	}
	older, err := db.ModerationLog(ctx, town.ID, log[0].ID, 10)
	if err != nil || len(older) != 1 || older[0].ID != log[1].ID {
		t.Errorf("the page before the newest entry = %v, %v; want the lock alone", older, err)
	}
	if instance, err := db.ModerationLog(ctx, "", "", 10); err != nil || len(instance) != 0 {
		t.Errorf("the instance's log = %v, %v; want it empty", instance, err)
	}
}
