package federation

import (
	"slices"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// checkHashtags checks that the hashtags read of a post are the names of
// its tags of type Hashtag, as the JSON has them, normalized.
func checkHashtags(t docT, raw map[string]any, rec storage.RemotePost) {
	t.Helper()
	var want []string
	tags, ok := raw["tag"].([]any)
	if !ok {
		tags = []any{raw["tag"]}
	}
	for _, tag := range tags {
		m, ok := tag.(map[string]any)
		if !ok {
			continue
		}
		kind, _ := m["type"].(string)
		name, _ := m["name"].(string)
		if strings.EqualFold(kind, "Hashtag") {
			if n := storage.NormalizeHashtag(name); n != "" {
				want = append(want, n)
			}
		}
	}
	if !slices.Equal(rec.Hashtags, want) {
		t.Errorf("hashtags = %q; want %q", rec.Hashtags, want)
	}
}
