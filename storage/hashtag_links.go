package storage

import (
	"html"
	"regexp"
	"strings"
)

// hashtagLink is a link whose text is a #tag, as sanitized HTML from
// Mastodon, GoToSocial or Lemmy writes one: its attributes, then the tag
// (with or without a span around it).
var hashtagLink = regexp.MustCompile(`<a ([^>]*)>#(?:<span>)?([^<>]+)(?:</span>)?</a>`)

// localHashtagLinks points the hashtag links of another server's post
// (a link marked as a hashtag whose text is one of the post's Hashtag
// tags) to their pages here, under base, so that a reader who follows
// one stays here, as Mastodon's web app keeps them. Other links stay.
func localHashtagLinks(content string, tags []string, base string) string {
	if len(tags) == 0 || !strings.Contains(content, "#") {
		return content
	}
	known := map[string]bool{}
	for _, t := range normalizeHashtags(tags) {
		known[t] = true
	}
	return hashtagLink.ReplaceAllStringFunc(content, func(link string) string {
		m := hashtagLink.FindStringSubmatch(link)
		tag := NormalizeHashtag(html.UnescapeString(m[2]))
		if !strings.Contains(m[1], "hashtag") || !known[tag] {
			return link
		}
		return `<a href="` + html.EscapeString(base+tag) + `" class="mention hashtag" rel="nofollow noopener noreferrer">#<span>` +
			m[2] + `</span></a>`
	})
}
