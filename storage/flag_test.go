package storage

import (
	"context"
	"strings"
	"testing"
)

// flagFixture is an instance with a subwiki, its moderator, an admin, a
// reporter, a local post in the subwiki and a remote post outside it.
type flagFixture struct {
	db                      *DB
	mod, admin, ann, author *Member
	town                    *Subwiki
	local, remote           *Post
	bob                     *Actor
}

func newFlagFixture(t *testing.T) *flagFixture {
	t.Helper()
	ctx := context.Background()
	db, _ := openTestDB(t)
	f := &flagFixture{db: db, mod: mustCreateMember(t, db, "max"), ann: mustCreateMember(t, db, "ann"),
		author: mustCreateMember(t, db, "mia")}
	admin, err := db.CreateMember(ctx, MemberCreate{Username: "ada", Email: "ada@example.org",
		Password: "correct horse", IsAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	f.admin = admin
	f.town = mustCreateSubwiki(t, db, "town", f.mod, false)
	f.local, err = db.Publish(ctx, PostCreate{AuthorID: f.author.ID, SubwikiID: f.town.ID, Kind: KindDiscussion,
		Headline: "Town hall meets tonight", Text: "Agenda inside."})
	if err != nil {
		t.Fatal(err)
	}
	f.bob = saveRemote(t, db, "bob", "social.example")
	f.remote, err = db.SaveRemotePost(ctx, RemotePost{URI: "https://social.example/notes/1", AuthorID: f.bob.ID,
		Visibility: Public, Content: "<p>hi</p>", Published: db.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestFlagsGoToTheirQueues: a flag about a post in a subwiki here goes
// to that subwiki's queue, for its moderators and admins; a flag about
// anything else goes to the instance's, for admins only. A member has
// one open flag per item.
func TestFlagsGoToTheirQueues(t *testing.T) {
	ctx := context.Background()
	f := newFlagFixture(t)
	db := f.db
	if _, err := db.FlagItem(ctx, FlagCreate{ReporterID: f.ann.ID, PostID: f.local.ID, Category: FlagMisleadingHeadline,
		Comment: "  The meeting is tomorrow.  "}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FlagItem(ctx, FlagCreate{ReporterID: f.mod.ID, PostID: f.local.ID, Category: FlagSpam}); err != nil {
		t.Fatal(err)
	}
	_, err := db.FlagItem(ctx, FlagCreate{ReporterID: f.ann.ID, PostID: f.local.ID, Category: FlagSpam})
	wantCode(t, err, EConflict)
	if _, err := db.FlagItem(ctx, FlagCreate{ReporterID: f.ann.ID, PostID: f.remote.ID, Category: FlagHate}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FlagItem(ctx, FlagCreate{ReporterID: f.ann.ID, AccountID: f.bob.ID, Category: FlagHarassment}); err != nil {
		t.Fatal(err)
	}

	for _, bad := range []FlagCreate{
		{ReporterID: f.ann.ID, PostID: f.local.ID, Category: "boring"},
		{ReporterID: f.ann.ID, Category: FlagSpam},
		{ReporterID: f.ann.ID, PostID: f.local.ID, AccountID: f.bob.ID, Category: FlagSpam},
		{ReporterID: f.ann.ID, PostID: f.remote.ID, Category: FlagSpam, Comment: strings.Repeat("x", MaxFlagComment+1)},
		{ReporterID: f.author.ID, PostID: f.local.ID, Category: FlagSpam},
	} {
		_, err := db.FlagItem(ctx, bad)
		wantCode(t, err, EInvalid)
	}
	_, err = db.FlagItem(ctx, FlagCreate{ReporterID: f.ann.ID, PostID: "nope", Category: FlagSpam})
	wantCode(t, err, ENotFound)

	town, err := db.FlagQueue(ctx, f.mod.ID, f.town.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(town) != 1 || town[0].TargetURI != f.local.URI || len(town[0].Flags) != 2 || town[0].Post == nil ||
		town[0].Account == nil || town[0].Account.ID != f.author.ID {
		t.Fatalf("town's queue = %+v, want the local post with two flags", town)
	}
	got := town[0].Flags[0]
	if got.Comment != "The meeting is tomorrow." || got.Reporter == nil || got.Reporter.ID != f.ann.ID || got.State != FlagOpen {
		t.Errorf("first flag = %+v, want ann's comment, open", got)
	}
	wantCounts := []CategoryCount{{FlagMisleadingHeadline, "Misleading headline", 1}, {FlagSpam, "Spam", 1}}
	for i, c := range wantCounts {
		if i >= len(town[0].Counts) || town[0].Counts[i] != c {
			t.Errorf("counts = %v, want %v", town[0].Counts, wantCounts)
			break
		}
	}

	_, err = db.FlagQueue(ctx, f.ann.ID, f.town.ID)
	wantCode(t, err, EForbidden)
	_, err = db.FlagQueue(ctx, f.mod.ID, "")
	wantCode(t, err, EForbidden)
	if town, err := db.FlagQueue(ctx, f.admin.ID, f.town.ID); err != nil || len(town) != 1 {
		t.Errorf("town's queue for an admin = %v, %v", town, err)
	}
	instance, err := db.FlagQueue(ctx, f.admin.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(instance) != 2 || instance[0].TargetURI != f.remote.URI || instance[1].TargetURI != f.bob.URI ||
		instance[1].Post != nil || instance[1].Account.ID != f.bob.ID {
		t.Errorf("instance queue = %+v, want the remote post then bob", instance)
	}
}

// TestDismissAndActionFlags: dismissing closes an item's open flags in
// the queue and logs it; removing the item closes them as actioned; the
// reporter sees each state.
func TestDismissAndActionFlags(t *testing.T) {
	ctx := context.Background()
	f := newFlagFixture(t)
	db := f.db
	if _, err := db.FlagItem(ctx, FlagCreate{ReporterID: f.ann.ID, PostID: f.local.ID, Category: FlagSpam}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FlagItem(ctx, FlagCreate{ReporterID: f.ann.ID, PostID: f.remote.ID, Category: FlagSpam}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.DismissFlags(ctx, f.ann.ID, f.town.ID, f.local.URI), EForbidden)
	wantCode(t, db.DismissFlags(ctx, f.mod.ID, f.town.ID, f.remote.URI), ENotFound)
	if err := db.DismissFlags(ctx, f.mod.ID, f.town.ID, f.local.URI); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.DismissFlags(ctx, f.mod.ID, f.town.ID, f.local.URI), ENotFound)
	if q, err := db.FlagQueue(ctx, f.mod.ID, f.town.ID); err != nil || len(q) != 0 {
		t.Errorf("town's queue after dismissal = %v, %v; want it empty", q, err)
	}
	log, err := db.ModerationLog(ctx, f.town.ID, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Action != ModDismissFlags || log[0].TargetURI != f.local.URI ||
		log[0].TargetText != "Town hall meets tonight" || log[0].ActorID != f.mod.ID {
		t.Errorf("log = %+v, want max's dismissal", log)
	}

	err = db.write(ctx, func(tx *Tx) error { return tx.actionFlags(ctx, f.remote.URI) })
	if err != nil {
		t.Fatal(err)
	}
	mine, err := db.MemberFlags(ctx, f.ann.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, fl := range mine {
		states[fl.TargetURI] = fl.State
		if fl.ResolvedAt.IsZero() {
			t.Errorf("flag about %s has no resolution time", fl.TargetURI)
		}
	}
	if states[f.local.URI] != FlagDismissed || states[f.remote.URI] != FlagActioned {
		t.Errorf("ann's flags = %v, want dismissed and actioned", states)
	}
	// A closed flag leaves room for a new one.
	if _, err := db.FlagItem(ctx, FlagCreate{ReporterID: f.ann.ID, PostID: f.local.ID, Category: FlagHate}); err != nil {
		t.Errorf("flag again after dismissal: %v", err)
	}
}

// TestModerationActionsSettleFlags: a removal, a lock, a ban and a
// suspension mark the open flags about their target actioned, so that
// reporters see what came of them; a dismissal of other flags does not.
func TestModerationActionsSettleFlags(t *testing.T) {
	ctx := context.Background()
	f := newFlagFixture(t)
	db := f.db
	other, err := db.Publish(ctx, PostCreate{AuthorID: f.author.ID, SubwikiID: f.town.ID, Kind: KindDiscussion,
		Headline: "Bins go out on Monday", Text: "Not Tuesday."})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []FlagCreate{
		{ReporterID: f.ann.ID, PostID: f.local.ID, Category: FlagSpam},
		{ReporterID: f.ann.ID, PostID: other.ID, Category: FlagMisleadingHeadline},
		{ReporterID: f.ann.ID, AccountID: f.author.ID, Category: FlagHarassment},
	} {
		if _, err := db.FlagItem(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.RemovePost(ctx, f.mod.ID, f.local.ID, "Off topic"); err != nil {
		t.Fatal(err)
	}
	if err := db.LockHeadline(ctx, f.mod.ID, other.ID, true, "Checked"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SuspendMember(ctx, f.admin.ID, "mia", "Harassment"); err != nil {
		t.Fatal(err)
	}
	mine, err := db.MemberFlags(ctx, f.ann.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 3 {
		t.Fatalf("ann has %d flags, want 3", len(mine))
	}
	for _, fl := range mine {
		if fl.State != FlagActioned {
			t.Errorf("the flag about %s is %s, want actioned", fl.TargetURI, fl.State)
		}
	}
}
