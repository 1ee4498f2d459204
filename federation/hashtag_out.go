package federation

import (
	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// tagHashtags lists a member's post's hashtags in its tag, beside the
// mentions, as Mastodon does ({"type": "Hashtag", "href": the tag's page
// here, "name": "#tag"}), so that other servers put the post in their
// hashtag timelines. go-fed has no Hashtag type, so when there are
// hashtags the whole tag list is written as JSON in the object's
// unknown properties, which serializing keeps when the typed property
// is unset. It reports whether it did.
func tagHashtags(p *storage.Post, obj postType, mentions vocab.ActivityStreamsTagProperty, base string) bool {
	written := p.WrittenHashtags()
	if len(written) == 0 {
		return false
	}
	var list []any
	for it := mentions.Begin(); it != mentions.End(); it = it.Next() {
		if !it.IsActivityStreamsMention() {
			continue
		}
		m, err := streams.Serialize(it.GetActivityStreamsMention())
		if err != nil {
			continue
		}
		delete(m, "@context")
		list = append(list, m)
	}
	for _, tag := range written {
		list = append(list, map[string]any{"type": "Hashtag", "href": base + tag, "name": "#" + tag})
	}
	obj.GetUnknownProperties()["tag"] = list
	return true
}
