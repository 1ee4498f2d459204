package storage

import (
	"context"
	"strings"
	"testing"
)

func TestProfileFieldsOfAMember(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	m := mustCreateMember(t, db, "erin")
	fields := []ProfileField{
		{Name: "Website", Value: " https://erin.example/news "},
		{Name: "", Value: ""}, // an empty row of the form
		{Name: "Beat", Value: "Rivers <b>& floods</b>, see https://erin.example/rivers"},
	}
	if _, err := db.UpdateProfile(ctx, m.ID, ProfileUpdate{Fields: &fields}); err != nil {
		t.Fatal(err)
	}
	p, err := db.ProfileOf(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Fields) != 2 {
		t.Fatalf("fields = %+v, want the two filled in", p.Fields)
	}
	for i, want := range []ProfileField{
		{Name: "Website", Value: "https://erin.example/news",
			ValueHTML: `<a href="https://erin.example/news" rel="me nofollow noopener noreferrer" target="_blank">https://erin.example/news</a>`},
		{Name: "Beat", Value: "Rivers <b>& floods</b>, see https://erin.example/rivers",
			ValueHTML: `Rivers &lt;b&gt;&amp; floods&lt;/b&gt;, see <a href="https://erin.example/rivers" rel="me nofollow noopener noreferrer" target="_blank">https://erin.example/rivers</a>`},
	} {
		if got := p.Fields[i]; got != want {
			t.Errorf("field %d = %+v, want %+v", i, got, want)
		}
	}
}

func TestProfileFieldLimits(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	m := mustCreateMember(t, db, "erin")
	keep := []ProfileField{{Name: "Kept", Value: "yes"}}
	if _, err := db.UpdateProfile(ctx, m.ID, ProfileUpdate{Fields: &keep}); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("é", MaxFieldLength+1)
	for name, bad := range map[string][]ProfileField{
		"five fields":     {{Name: "a", Value: "1"}, {Name: "b", Value: "2"}, {Name: "c", Value: "3"}, {Name: "d", Value: "4"}, {Name: "e", Value: "5"}},
		"long name":       {{Name: long, Value: "v"}},
		"long value":      {{Name: "n", Value: long}},
		"value, no name":  {{Name: " ", Value: "v"}},
		"two lines":       {{Name: "a\nb", Value: "v"}},
		"control in name": {{Name: "a\x00b", Value: "v"}},
	} {
		_, err := db.UpdateProfile(ctx, m.ID, ProfileUpdate{Fields: &bad})
		if ErrorCode(err) != EInvalid {
			t.Errorf("%s: error = %v, want %s", name, err, EInvalid)
		}
	}
	p, err := db.ProfileOf(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Fields) != 1 || p.Fields[0].Name != "Kept" {
		t.Errorf("a refused update changed the fields: %+v", p.Fields)
	}
	// Exactly the limits pass.
	ok := []ProfileField{{Name: strings.Repeat("n", MaxFieldLength), Value: strings.Repeat("v", MaxFieldLength)}, {Name: "b", Value: "2"}, {Name: "c", Value: "3"}, {Name: "d", Value: "4"}}
	if _, err := db.UpdateProfile(ctx, m.ID, ProfileUpdate{Fields: &ok}); err != nil {
		t.Errorf("four fields at the length limit: %v", err)
	}
}

func TestBioIsMarkdown(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	m := mustCreateMember(t, db, "erin")
	bio := "Covers **rivers**.\nMore at https://erin.example and @erin."
	mentions := []Mention{{Handle: "erin", URI: testSite.ActorURI("erin"), URL: "http://" + testSite.Domain + "/@erin"}}
	if _, err := db.UpdateProfile(ctx, m.ID, ProfileUpdate{Bio: &bio, BioMentions: mentions}); err != nil {
		t.Fatal(err)
	}
	p, err := db.ProfileOf(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.BioSource != bio || !p.BioMarkdown {
		t.Errorf("source = %q, want %q", p.BioSource, bio)
	}
	for _, want := range []string{"<strong>rivers</strong>", `<a href="https://erin.example"`, `href="http://` + testSite.Domain + `/@erin"`} {
		if !strings.Contains(p.BioHTML, want) {
			t.Errorf("bio HTML %q lacks %q", p.BioHTML, want)
		}
	}
}

func TestPlainBioFromBeforeMarkdownRendersAsText(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	m := mustCreateMember(t, db, "erin")
	// A bio written before bios were Markdown: stored without its HTML.
	if _, err := db.writer.ExecContext(ctx, `UPDATE members SET bio = ? WHERE id = ?`, "*not emphasis*\n# not a heading <b>", m.ID); err != nil {
		t.Fatal(err)
	}
	p, err := db.ProfileOf(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.BioMarkdown {
		t.Errorf("a bio from before is taken for Markdown")
	}
	if want := TextToHTML("*not emphasis*\n# not a heading <b>"); p.BioHTML != want {
		t.Errorf("bio HTML = %q, want the text as before: %q", p.BioHTML, want)
	}
}

func TestRemoteProfileFields(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	uri := "https://social.example/users/bob"
	r := RemoteActor{URI: uri, Kind: KindPerson, Username: "bob", Inbox: uri + "/inbox",
		KeyID: uri + "#main-key", PublicKeyPEM: testPublicKeys()[0]}
	r.Fields = []ProfileField{
		{Name: "Site", ValueHTML: `<a href="https://bob.example" rel="me"><span class="invisible">https://</span>bob.example</a>`},
		{Name: "Bad", ValueHTML: `<script>alert(1)</script><a href="javascript:alert(1)">x</a>`},
		{Name: "", ValueHTML: "nameless"},
	}
	a, err := db.SaveRemoteActor(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.ProfileOf(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Fields) != 2 {
		t.Fatalf("fields = %+v, want two (the nameless one dropped)", p.Fields)
	}
	if !strings.Contains(p.Fields[0].ValueHTML, `href="https://bob.example"`) {
		t.Errorf("link lost: %q", p.Fields[0].ValueHTML)
	}
	if v := p.Fields[1].ValueHTML; strings.Contains(v, "script") || strings.Contains(v, "javascript:") {
		t.Errorf("value not sanitized: %q", v)
	}
	// An update without fields clears them, as on the account's server.
	r.Fields = nil
	if _, err := db.SaveRemoteActor(ctx, r); err != nil {
		t.Fatal(err)
	}
	if p, _ := db.ProfileOf(ctx, a.ID); len(p.Fields) != 0 {
		t.Errorf("fields after an update without them = %+v", p.Fields)
	}
}
