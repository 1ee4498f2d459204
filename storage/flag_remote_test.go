package storage

import (
	"context"
	"testing"
)

// TestForwardFlag: a flag about a remote item, when the member asks,
// goes to the remote subwiki's server in Lemmy's shape (from the member)
// and to the author's server in Mastodon's shape (from the instance),
// once per server; a local item, or a member who does not ask, sends
// nothing.
func TestForwardFlag(t *testing.T) {
	ctx := context.Background()
	f := newFlagFixture(t)
	db := f.db
	group, err := db.SaveRemoteActor(ctx, RemoteActor{URI: "https://lemmy.example/c/news", Kind: KindGroup,
		Username: "news", Inbox: "https://lemmy.example/c/news/inbox", KeyID: "https://lemmy.example/c/news#main-key",
		PublicKeyPEM: testPublicKeys()[0]})
	if err != nil {
		t.Fatal(err)
	}
	carl := saveRemote(t, db, "carl", "lemmy.example")
	inGroup := func(uri string, author *Actor) *Post {
		p, err := db.SaveRemotePost(ctx, RemotePost{URI: uri, AuthorID: author.ID, Visibility: Public, Kind: KindNews,
			Headline: "Dam opens", LinkURL: "https://news.example/dam", Content: "", SubwikiID: group.ID, Published: db.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	byBob, byCarl := inGroup("https://social.example/notes/2", f.bob), inGroup("https://lemmy.example/post/3", carl)
	instance, err := db.InstanceActor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	type event struct{ kind, actor, object, target, group string }
	for _, c := range []struct {
		name string
		flag FlagCreate
		want []event
	}{
		{"local post", FlagCreate{PostID: f.local.ID, Forward: true}, nil},
		{"not asked", FlagCreate{AccountID: f.bob.ID}, nil},
		{"remote post", FlagCreate{PostID: f.remote.ID, Forward: true},
			[]event{{EventFlagAccount, instance.ID, f.remote.URI, f.bob.ID, ""}}},
		{"remote account", FlagCreate{AccountID: carl.ID, Forward: true},
			[]event{{EventFlagAccount, instance.ID, carl.URI, carl.ID, ""}}},
		{"post in a remote group from elsewhere", FlagCreate{PostID: byBob.ID, Forward: true},
			[]event{{EventFlagGroup, f.ann.ID, byBob.URI, "", group.ID}, {EventFlagAccount, instance.ID, byBob.URI, f.bob.ID, ""}}},
		{"post in a remote group from its server", FlagCreate{PostID: byCarl.ID, Forward: true},
			[]event{{EventFlagGroup, f.ann.ID, byCarl.URI, "", group.ID}}},
	} {
		before, err := db.PendingOutbox(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		c.flag.ReporterID, c.flag.Category, c.flag.Comment = f.ann.ID, FlagFalseNews, "Made up"
		flag, err := db.FlagItem(ctx, c.flag)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if flag.Forwarded != (c.want != nil) {
			t.Errorf("%s: forwarded = %v, want %v", c.name, flag.Forwarded, c.want != nil)
		}
		after, err := db.PendingOutbox(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var got []event
		for _, e := range after[len(before):] {
			if e.Payload.Reason != "False or fabricated news: Made up" || e.SubjectID != flag.ID {
				t.Errorf("%s: event %+v, want the flag's reason and id", c.name, e)
			}
			got = append(got, event{e.Kind, e.ActorID, e.Payload.ObjectURI, e.Payload.TargetActorID, e.Payload.SubwikiID})
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: events %v, want %v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: event %d = %v, want %v", c.name, i, got[i], c.want[i])
			}
		}
	}
}

// TestReceiveFlag: a Flag from another server flags each post it names
// that exists here, in the post's queue, with the account as context; a
// Flag naming only an account flags it; the same Flag again, or one
// naming nothing here, stores nothing.
func TestReceiveFlag(t *testing.T) {
	ctx := context.Background()
	f := newFlagFixture(t)
	db := f.db
	reporter := saveRemote(t, db, "admin", "other.example")
	author, err := db.ActorByID(ctx, f.author.ID)
	if err != nil {
		t.Fatal(err)
	}
	flag := RemoteFlag{ActivityURI: "https://other.example/flags/1", ReporterID: reporter.ID,
		Objects: []string{author.URI, f.local.URI, f.remote.URI, "https://other.example/unknown"},
		Reason:  "Spam\x00 everywhere"}
	stored, err := db.ReceiveFlag(ctx, flag)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 2 {
		t.Fatalf("stored %d flags, want 2 (the two posts)", len(stored))
	}
	if again, err := db.ReceiveFlag(ctx, flag); err != nil || len(again) != 0 {
		t.Errorf("the same Flag again stored %v, %v; want nothing", again, err)
	}
	town, err := db.FlagQueue(ctx, f.mod.ID, f.town.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(town) != 1 || len(town[0].Flags) != 1 {
		t.Fatalf("town's queue = %+v, want the local post", town)
	}
	got := town[0].Flags[0]
	if got.Comment != "Spam  everywhere" || !got.Remote || got.Category != FlagOther || got.Reporter.ID != reporter.ID {
		t.Errorf("remote flag = %+v", got)
	}
	if _, err := db.ReceiveFlag(ctx, RemoteFlag{ActivityURI: "https://other.example/flags/2", ReporterID: reporter.ID,
		Objects: []string{author.URI}}); err != nil {
		t.Fatal(err)
	}
	instance, err := db.FlagQueue(ctx, f.admin.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(instance) != 2 || instance[0].TargetURI != f.remote.URI || instance[1].TargetURI != author.URI {
		t.Errorf("instance queue = %+v, want the remote post and mia", instance)
	}
	_, err = db.ReceiveFlag(ctx, RemoteFlag{ActivityURI: "https://other.example/flags/3", ReporterID: reporter.ID,
		Objects: []string{"https://other.example/unknown"}})
	wantCode(t, err, ENotFound)
}
