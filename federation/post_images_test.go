package federation

import (
	"context"
	"fmt"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// TestOutgoingImages: the Create of a post with images carries them as
// Mastodon sends its media (a Document with url, mediaType, name = the
// description, width and height), after a news post's Link, which Lemmy
// reads as the post's link only while it is first; sensitive follows the
// content warning.
func TestOutgoingImages(t *testing.T) {
	in := newOutboxTestInstance(t)
	ctx := context.Background()
	upload := func(n int, mediaType, alt string) storage.Attachment {
		return storage.Attachment{URL: in.db.Site.UploadURL(fmt.Sprintf("%032x.jpg", n)), MediaType: mediaType,
			Alt: alt, Width: 1920, Height: 1080}
	}
	news, err := in.db.Publish(ctx, storage.PostCreate{AuthorID: in.alice.ID, Kind: storage.KindNews,
		Headline: "Harbour reopens", LinkURL: "https://news.example/harbour", Text: "At last.",
		Images: []storage.Attachment{upload(1, "image/jpeg", "Boats at dawn"), upload(2, "image/png", "")}})
	if err != nil {
		t.Fatal(err)
	}
	talk, err := in.db.Publish(ctx, storage.PostCreate{AuthorID: in.alice.ID, Kind: storage.KindDiscussion,
		Headline: "Who was there?", Text: "Pictures welcome.", ContentWarning: "crowds",
		Images: []storage.Attachment{upload(3, "image/jpeg", "The quay, full")}})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := in.db.Publish(ctx, storage.PostCreate{AuthorID: in.alice.ID, Kind: storage.KindDiscussion,
		Headline: "No pictures", Text: "Words only."})
	if err != nil {
		t.Fatal(err)
	}
	in.fed.expandOutbox(ctx)
	in.deliverDue(t)

	objects := map[string]map[string]any{}
	in.remote.mu.Lock()
	for _, a := range in.remote.received {
		if a["type"] == "Create" {
			if obj, ok := a["object"].(map[string]any); ok {
				objects[fmt.Sprint(obj["id"])] = obj
			}
		}
	}
	in.remote.mu.Unlock()

	document := func(url, mediaType, alt string) map[string]any {
		d := map[string]any{"type": "Document", "url": url, "mediaType": mediaType,
			"width": float64(1920), "height": float64(1080)}
		if alt != "" {
			d["name"] = alt
		}
		return d
	}
	for _, tc := range []struct {
		name        string
		uri         string
		attachments []map[string]any
		sensitive   any
	}{
		{"news", news.URI, []map[string]any{
			{"type": "Link", "href": "https://news.example/harbour"},
			document(upload(1, "", "").URL, "image/jpeg", "Boats at dawn"),
			document(upload(2, "", "").URL, "image/png", ""),
		}, false},
		{"discussion behind a warning", talk.URI, []map[string]any{
			document(upload(3, "", "").URL, "image/jpeg", "The quay, full"),
		}, true},
		{"no images", plain.URI, nil, nil},
	} {
		obj := objects[tc.uri]
		if obj == nil {
			t.Errorf("%s: no Create of %s received", tc.name, tc.uri)
			continue
		}
		var got []any
		switch a := obj["attachment"].(type) {
		case []any:
			got = a
		case map[string]any:
			t.Errorf("%s: attachment is a single object; Lemmy takes only a list", tc.name)
			got = []any{a}
		}
		if len(got) != len(tc.attachments) {
			t.Errorf("%s: attachment = %v, want %v", tc.name, obj["attachment"], tc.attachments)
			continue
		}
		for i, want := range tc.attachments {
			g, _ := got[i].(map[string]any)
			if len(g) != len(want) {
				t.Errorf("%s: attachment %d = %v, want %v", tc.name, i, g, want)
				continue
			}
			for k, v := range want {
				if g[k] != v {
					t.Errorf("%s: attachment %d %s = %v, want %v", tc.name, i, k, g[k], v)
				}
			}
		}
		if got := obj["sensitive"]; got != tc.sensitive {
			t.Errorf("%s: sensitive = %v, want %v", tc.name, got, tc.sensitive)
		}
	}
}
