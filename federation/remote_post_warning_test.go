package federation

import (
	"context"
	"encoding/json"
	"testing"
)

func TestWarningOf(t *testing.T) {
	for _, c := range []struct {
		name, doc, warning string
		sensitive          bool
	}{
		{"a Mastodon note with a warning", `{"type":"Note","summary":"spoilers","sensitive":true,"content":"<p>x</p>"}`, "spoilers", true},
		{"a note with a warning but no flag", `{"type":"Note","summary":"spoilers","content":"<p>x</p>"}`, "spoilers", true},
		{"a note with a warning by language", `{"type":"Note","summaryMap":{"de":"Spoiler"},"content":"<p>x</p>"}`, "Spoiler", true},
		{"a note with sensitive media only", `{"type":"Note","sensitive":true,"content":"<p>x</p>"}`, "", true},
		{"a plain note", `{"type":"Note","content":"<p>x</p>"}`, "", false},
		{"a blog article's summary", `{"type":"Article","name":"On rivers","summary":"<p>A long read.</p>","content":"<p>x</p>"}`, "", false},
		{"a Lemmy post marked NSFW", `{"type":"Page","name":"Flood photos","sensitive":true,"content":"<p>x</p>"}`, "", true},
		{"a warned Tidings news post", `{"type":"Page","nameMap":{"und":"Flood"},"summary":"flood photos","sensitive":true}`, "flood photos", true},
		{"a Tidings news post's teaser", `{"type":"Page","nameMap":{"und":"Flood"},"summaryMap":{"und":"A survey."}}`, "", false},
	} {
		var m map[string]any
		if err := json.Unmarshal([]byte(c.doc), &m); err != nil {
			t.Fatal(err)
		}
		m["id"] = "https://remote.example/posts/1"
		typed, err := toType(context.Background(), m)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		warning, sensitive := warningOf(typed.(postable))
		if warning != c.warning || sensitive != c.sensitive {
			t.Errorf("%s: warning %q, sensitive %v; want %q, %v", c.name, warning, sensitive, c.warning, c.sensitive)
		}
	}
}
