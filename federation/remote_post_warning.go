package federation

import (
	"strings"

	"github.com/go-fed/activity/streams/vocab"
)

// warningOf reads a post's content warning as Mastodon does: a Note's
// summary is the warning it is shown collapsed behind. A Page or Article
// (a Lemmy post, a blog article) uses summary for a summary, which
// Mastodon shows as text and Lemmy does not send; it is a warning only
// when the post is also sensitive, as Tidings sends a warned news post.
// sensitive is the post's own flag.
func warningOf(post postable) (warning string, sensitive bool) {
	if props, ok := post.(interface{ GetUnknownProperties() map[string]any }); ok {
		sensitive, _ = props.GetUnknownProperties()["sensitive"].(bool)
	}
	withSummary, ok := post.(interface {
		GetActivityStreamsSummary() vocab.ActivityStreamsSummaryProperty
	})
	if !ok {
		return "", sensitive
	}
	if post.GetTypeName() != "Note" && !sensitive {
		return "", false
	}
	summary := textOf(withSummary.GetActivityStreamsSummary())
	summary = strings.TrimSpace(htmlTag.ReplaceAllString(summary, ""))
	return summary, sensitive || summary != ""
}
