package federation

import (
	"context"
	"reflect"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// A member's hashtags go out as Mastodon's Hashtag tags beside the
// post's mentions, which stay; another Tidings reads both.
func TestHashtagsGoOutBesideMentions(t *testing.T) {
	in := newOutboxTestInstance(t)
	carol := in.remoteActor(t, "carol")
	handle := carol.Username + "@" + carol.Host
	p, err := in.db.Publish(context.Background(), storage.PostCreate{AuthorID: in.alice.ID, Kind: storage.KindDiscussion,
		Headline: "High water in #Flooding season", Text: "Ask @" + handle + " about #RiverWatch and #flooding.",
		Mentions: []storage.Mention{{Handle: handle, URI: carol.URI, URL: carol.URI}}})
	if err != nil {
		t.Fatal(err)
	}
	obj := sentObject(t, in, "Create")
	tags, _ := obj["tag"].([]any)
	var mentions []string
	hashtags := map[string]string{}
	for _, tag := range tags {
		m, _ := tag.(map[string]any)
		switch m["type"] {
		case "Mention":
			mentions = append(mentions, m["href"].(string))
		case "Hashtag":
			hashtags[m["name"].(string)], _ = m["href"].(string)
		}
	}
	if want := []string{carol.URI}; !reflect.DeepEqual(mentions, want) {
		t.Errorf("mentions %v; want %v (tag %v)", mentions, want, obj["tag"])
	}
	base := in.db.Site.TagBase()
	if want := map[string]string{"#flooding": base + "flooding", "#riverwatch": base + "riverwatch"}; !reflect.DeepEqual(hashtags, want) {
		t.Errorf("hashtags %v; want %v", hashtags, want)
	}
	if got, want := tidingsReads(t, obj).Hashtags, p.WrittenHashtags(); !reflect.DeepEqual(got, want) {
		t.Errorf("another Tidings reads hashtags %v; want %v", got, want)
	}
}
