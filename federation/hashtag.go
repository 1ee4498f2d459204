package federation

import (
	"encoding/json"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// hashtagTag is a tag of type Hashtag, as Mastodon, Lemmy and
// GoToSocial send them: {"type": "Hashtag", "name": "#news", "href": ...}.
// go-fed has no type for it and keeps it as an unknown value, read here.
type hashtagTag struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// hashtags returns the names of a post's Hashtag tags; storage
// normalizes them and drops what is no hashtag.
func hashtags(post postable) []string {
	prop := post.GetActivityStreamsTag()
	if isNil(prop) {
		return nil
	}
	raw, err := prop.Serialize()
	if err != nil {
		return nil
	}
	items, ok := raw.([]any)
	if !ok {
		items = []any{raw}
	}
	var names []string
	for _, item := range items {
		if _, isMap := item.(map[string]any); !isMap {
			continue
		}
		body, err := json.Marshal(item)
		if err != nil {
			continue
		}
		var tag hashtagTag
		if json.Unmarshal(body, &tag) != nil || !strings.EqualFold(tag.Type, "Hashtag") {
			continue
		}
		if name := storage.NormalizeHashtag(tag.Name); name != "" {
			names = append(names, name)
		}
	}
	return names
}
