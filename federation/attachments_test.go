package federation

import (
	"context"
	"encoding/json"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// noteWith decodes a Note carrying the attachments.
func noteWith(t *testing.T, attachments ...any) postable {
	t.Helper()
	body, err := json.Marshal(map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       "https://remote.example/notes/1", "type": "Note", "content": "<p>hi</p>",
		"attributedTo": "https://remote.example/users/carl", "attachment": attachments,
	})
	if err != nil {
		t.Fatal(err)
	}
	doc, _, err := decode(context.Background(), body)
	if err != nil {
		t.Fatal(err)
	}
	return doc.(postable)
}

func TestAttachmentsOf(t *testing.T) {
	const jpg = "https://files.remote.example/a.jpg"
	for _, tc := range []struct {
		name       string
		attachment any
		want       []storage.Attachment
	}{
		{"Mastodon: a Document of an image type, alt in name",
			map[string]any{"type": "Document", "mediaType": "image/jpeg", "url": jpg, "name": "Boats", "blurhash": "x"},
			[]storage.Attachment{{URL: jpg, MediaType: "image/jpeg", Alt: "Boats"}}},
		{"Mastodon: no description",
			map[string]any{"type": "Document", "mediaType": "image/png", "url": jpg, "name": nil},
			[]storage.Attachment{{URL: jpg, MediaType: "image/png"}}},
		{"GoToSocial: an Image, alt in summary",
			map[string]any{"type": "Image", "mediaType": "image/webp", "url": jpg, "summary": "A chart"},
			[]storage.Attachment{{URL: jpg, MediaType: "image/webp", Alt: "A chart"}}},
		{"an Image whose url is a Link",
			map[string]any{"type": "Image", "url": map[string]any{"type": "Link", "href": jpg, "mediaType": "image/gif"}},
			[]storage.Attachment{{URL: jpg, MediaType: "image/gif"}}},
		{"an Image without a type: the cache reads the bytes",
			map[string]any{"type": "Image", "url": jpg},
			[]storage.Attachment{{URL: jpg}}},
		{"a type with parameters and capitals",
			map[string]any{"type": "Document", "mediaType": "Image/JPEG; q=1", "url": jpg},
			[]storage.Attachment{{URL: jpg, MediaType: "image/jpeg"}}},
		{"Mastodon: the size of a Document",
			map[string]any{"type": "Document", "mediaType": "image/jpeg", "url": jpg, "width": 1920, "height": 1080},
			[]storage.Attachment{{URL: jpg, MediaType: "image/jpeg", Width: 1920, Height: 1080}}},
		{"the size of an Image",
			map[string]any{"type": "Image", "mediaType": "image/png", "url": jpg, "width": 640, "height": 480},
			[]storage.Attachment{{URL: jpg, MediaType: "image/png", Width: 640, Height: 480}}},
		{"no size for a part, a fraction, a string or too many pixels", []any{
			map[string]any{"type": "Document", "mediaType": "image/jpeg", "url": jpg, "width": 1920},
			map[string]any{"type": "Document", "mediaType": "image/jpeg", "url": jpg, "width": 10.5, "height": 10},
			map[string]any{"type": "Document", "mediaType": "image/jpeg", "url": jpg, "width": "100", "height": "100"},
			map[string]any{"type": "Document", "mediaType": "image/jpeg", "url": jpg, "width": 100000, "height": 10},
		}, []storage.Attachment{{URL: jpg, MediaType: "image/jpeg"}, {URL: jpg, MediaType: "image/jpeg"},
			{URL: jpg, MediaType: "image/jpeg"}, {URL: jpg, MediaType: "image/jpeg"}}},
		{"an SVG Image", map[string]any{"type": "Image", "mediaType": "image/svg+xml", "url": jpg}, nil},
		{"an SVG behind a Link", map[string]any{"type": "Image", "url": map[string]any{"type": "Link", "href": jpg, "mediaType": "image/svg+xml"}}, nil},
		{"a video", map[string]any{"type": "Document", "mediaType": "video/mp4", "url": jpg}, nil},
		{"a Document of no type", map[string]any{"type": "Document", "url": jpg}, nil},
		{"Lemmy: the news link", map[string]any{"type": "Link", "href": "https://news.example/story"}, nil},
		{"an Image without url", map[string]any{"type": "Image", "name": "lost"}, nil},
		{"a bare IRI", jpg, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list, ok := tc.attachment.([]any)
			if !ok {
				list = []any{tc.attachment}
			}
			got := attachmentsOf(noteWith(t, list...))
			if !slices.Equal(got, tc.want) {
				t.Errorf("attachmentsOf = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestAttachmentsOfFixtures reads the images of every post in the shared
// corpus, and checks them against the document: every Image, and every
// Document of a shown image type, with a url, is read, in order, with
// its alt text; nothing else is.
func TestAttachmentsOfFixtures(t *testing.T) {
	root := corpusDir(t)
	checked := 0
	for _, fx := range readFixtures(t, root) {
		var raw map[string]any
		if json.Unmarshal(fx.body, &raw) != nil {
			continue
		}
		object, ok := raw["object"].(map[string]any)
		if !ok {
			object = raw
		}
		list, _ := object["attachment"].([]any)
		if one, isMap := object["attachment"].(map[string]any); isMap {
			list = []any{one}
		}
		if len(list) == 0 || !postTypes[jsonString(object["type"])] {
			continue
		}
		body, _ := json.Marshal(object)
		doc, _, err := decode(context.Background(), body)
		if err != nil {
			continue // the conformance test reports documents that do not decode
		}
		post, ok := doc.(postable)
		if !ok {
			continue
		}
		checked++
		var want []string
		for _, item := range list {
			a, _ := item.(map[string]any)
			typ, mediaType := jsonString(a["type"]), strings.ToLower(jsonString(a["mediaType"]))
			url := jsonString(a["url"])
			if typ == "Image" && (mediaType == "" || storage.IsImageType(mediaType)) && url != "" ||
				typ == "Document" && storage.IsImageType(mediaType) && url != "" {
				want = append(want, url)
			}
		}
		var got []string
		for _, a := range attachmentsOf(post) {
			got = append(got, a.URL)
			if alt := a.Alt; alt != "" && !strings.Contains(string(fx.body), jsonEscape(alt)) {
				t.Errorf("%s: alt text %q is not in the document", fx.name, alt)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: images = %q, want %q", fx.name, got, want)
		}
	}
	if checked == 0 {
		t.Fatalf("no post with attachments in %s", path.Clean(root))
	}
	t.Logf("%d posts with attachments read", checked)
}

// jsonEscape is s as it is written inside a JSON string.
func jsonEscape(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}
