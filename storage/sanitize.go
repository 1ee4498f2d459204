package storage

import (
	"net/url"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
)

// htmlPolicy is the one sanitizer policy for HTML from other servers
// (post content, actor summaries). It keeps what Mastodon keeps since
// 4.2: paragraphs, line breaks, links, emphasis, code, lists and quotes,
// plus the classes Mastodon marks mentions and hashtags with. Links may
// only point to an http(s) address with a host (a browser reads
// "https:/evil.example" as https://evil.example, so what has no host here
// is no link a reader can judge) and get rel="nofollow noopener noreferrer".
var htmlPolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "span", "del", "pre", "code", "em", "strong", "b", "i", "u",
		"ul", "ol", "li", "blockquote")
	p.AllowAttrs("href").OnElements("a")
	for _, scheme := range []string{"http", "https"} {
		p.AllowURLSchemeWithCustomPolicy(scheme, func(u *url.URL) bool { return u.Host != "" && u.Opaque == "" })
	}
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	p.AllowAttrs("class").Matching(bluemonday.SpaceSeparatedTokens).OnElements("a", "span")
	return p
})

// sanitizeHTML makes HTML from elsewhere safe to store and show.
func sanitizeHTML(html string) string {
	return strings.TrimSpace(htmlPolicy().Sanitize(html))
}

// cleanLine makes a one-line text from elsewhere fit to show: control
// characters become spaces, and it is cut to at most limit characters.
func cleanLine(s string, limit int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > limit {
		s = string([]rune(s)[:limit])
	}
	return s
}
