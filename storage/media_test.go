package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCleanAttachments(t *testing.T) {
	img := func(i int) Attachment {
		return Attachment{URL: fmt.Sprintf("https://files.example/%d.jpg", i), MediaType: "image/jpeg"}
	}
	for _, tc := range []struct {
		name string
		in   []Attachment
		want []Attachment
	}{
		{"none", nil, nil},
		{"kept in order, numbered", []Attachment{img(1), img(2)},
			[]Attachment{{0, img(1).URL, "image/jpeg", "", 0, 0}, {1, img(2).URL, "image/jpeg", "", 0, 0}}},
		{"at most four", []Attachment{img(1), img(2), img(3), img(4), img(5)},
			[]Attachment{{0, img(1).URL, "image/jpeg", "", 0, 0}, {1, img(2).URL, "image/jpeg", "", 0, 0},
				{2, img(3).URL, "image/jpeg", "", 0, 0}, {3, img(4).URL, "image/jpeg", "", 0, 0}}},
		{"no web address, no SVG", []Attachment{
			{URL: "javascript:alert(1)"}, {URL: "file:///etc/passwd"}, {URL: ""},
			{URL: "https://files.example/a.svg", MediaType: "image/svg+xml"}, img(9)},
			[]Attachment{{0, img(9).URL, "image/jpeg", "", 0, 0}}},
		{"alt text on one line, cut to length", []Attachment{{URL: img(1).URL, Alt: " a\nb "},
			{URL: img(2).URL, MediaType: "IMAGE/PNG", Alt: strings.Repeat("é", 2000)}},
			[]Attachment{{0, img(1).URL, "", "a b", 0, 0}, {1, img(2).URL, "image/png", strings.Repeat("é", 1500), 0, 0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cleanAttachments(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("cleanAttachments = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestAttachmentsOfRemotePosts(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	bob := saveRemote(t, db, "bob", "social.example")
	alice := mustCreateMember(t, db, "alice")
	carol := mustCreateMember(t, db, "carol")
	photo := Attachment{URL: "https://social.example/a.jpg", MediaType: "image/jpeg", Alt: "Boats"}
	note := RemotePost{URI: "https://social.example/notes/1", AuthorID: bob.ID, Visibility: Public,
		Content: "<p>hi</p>", Published: clock.now.Add(-time.Hour), Attachments: []Attachment{photo}}
	p, err := db.SaveRemotePost(ctx, note)
	if err != nil {
		t.Fatal(err)
	}
	shown, err := db.VisiblePost(ctx, "", p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Attachment{photo}; !slices.Equal(shown.Attachments, want) {
		t.Errorf("attachments = %+v, want %+v", shown.Attachments, want)
	}
	url, shared, err := db.MediaSource(ctx, "", MediaAttachment, p.ID, 0)
	if err != nil || url != photo.URL || !shared {
		t.Errorf("MediaSource = %q, %v, %v; want %q for everyone", url, shared, err, photo.URL)
	}
	_, _, err = db.MediaSource(ctx, "", MediaAttachment, p.ID, 1)
	wantCode(t, err, ENotFound)

	// An edit replaces them.
	chart := Attachment{URL: "https://social.example/b.png", MediaType: "image/png"}
	edit := note
	edit.Updated, edit.Attachments = clock.now, []Attachment{chart, photo}
	if _, err := db.SaveRemotePost(ctx, edit); err != nil {
		t.Fatal(err)
	}
	shown, _ = db.VisiblePost(ctx, "", p.ID)
	want := []Attachment{{0, chart.URL, chart.MediaType, "", 0, 0}, {1, photo.URL, photo.MediaType, photo.Alt, 0, 0}}
	if !slices.Equal(shown.Attachments, want) {
		t.Errorf("attachments after the edit = %+v, want %+v", shown.Attachments, want)
	}

	// The images of a direct post are for those who may see it.
	private, err := db.SaveRemotePost(ctx, RemotePost{URI: "https://social.example/notes/2", AuthorID: bob.ID,
		Visibility: Direct, Content: "<p>for alice</p>", Recipients: []string{testSite.ActorURI("alice")},
		Attachments: []Attachment{photo}})
	if err != nil {
		t.Fatal(err)
	}
	for _, viewer := range []string{"", carol.ID} {
		_, _, err = db.MediaSource(ctx, viewer, MediaAttachment, private.ID, 0)
		wantCode(t, err, ENotFound)
	}
	url, shared, err = db.MediaSource(ctx, alice.ID, MediaAttachment, private.ID, 0)
	if err != nil || url != photo.URL || shared {
		t.Errorf("MediaSource for the addressee = %q, %v, %v; want %q, not shared", url, shared, err, photo.URL)
	}

	// Deleting the post takes its images.
	if err := db.DeleteRemotePost(ctx, bob.ID, note.URI, ""); err != nil {
		t.Fatal(err)
	}
	_, _, err = db.MediaSource(ctx, "", MediaAttachment, p.ID, 0)
	wantCode(t, err, ENotFound)
}

func TestProfileImages(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	upload := testSite.UploadURL("0123456789abcdef0123456789abcdef.jpg")

	_, err := db.SetProfileImage(ctx, alice.ID, MediaAvatar, "https://elsewhere.example/me.jpg")
	wantCode(t, err, EInvalid)
	_, err = db.SetProfileImage(ctx, alice.ID, "banner", upload)
	wantCode(t, err, EInvalid)

	if _, err := db.SetProfileImage(ctx, alice.ID, MediaHeader, upload); err != nil {
		t.Fatal(err)
	}
	a, err := db.ActorByID(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.HeaderURL != upload || a.IconURL != "" {
		t.Errorf("actor images = %q, %q; want header %q only", a.IconURL, a.HeaderURL, upload)
	}
	url, _, err := db.MediaSource(ctx, "", MediaHeader, alice.ID, 0)
	if err != nil || url != upload {
		t.Errorf("MediaSource of the header = %q, %v; want %q", url, err, upload)
	}
	_, _, err = db.MediaSource(ctx, "", MediaAvatar, alice.ID, 0)
	wantCode(t, err, ENotFound)
	replaced, err := db.SetProfileImage(ctx, alice.ID, MediaHeader, "")
	if err != nil || replaced != upload {
		t.Errorf("SetProfileImage = %q, %v; want the replaced %q", replaced, err, upload)
	}
	events, err := db.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	updates := 0
	for _, e := range events {
		if e.Kind == EventUpdateActor && e.SubjectID == alice.ID {
			updates++
		}
	}
	if updates != 2 {
		t.Errorf("Update of the actor queued %d times, want 2 (set, removed)", updates)
	}

	// A remote actor's header is kept, if it is a web address.
	for _, tc := range []struct{ header, want string }{
		{"https://social.example/h.jpg", "https://social.example/h.jpg"},
		{"javascript:alert(1)", ""},
		{"", ""},
	} {
		uri := "https://social.example/users/bob"
		bob, err := db.SaveRemoteActor(ctx, RemoteActor{URI: uri, Kind: KindPerson, Username: "bob",
			Inbox: uri + "/inbox", KeyID: uri + "#main-key", PublicKeyPEM: testPublicKeys()[0], HeaderURL: tc.header})
		if err != nil {
			t.Fatal(err)
		}
		if bob.HeaderURL != tc.want {
			t.Errorf("header %q stored as %q, want %q", tc.header, bob.HeaderURL, tc.want)
		}
	}
}
