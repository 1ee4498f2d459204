package web

import (
	"io"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/tidings-social/tidings/storage"
)

// excerptLength is how many characters of a post's text a feed shows.
const excerptLength = 280

// blockTags are the tags of sanitized HTML that separate words.
var blockTags = map[string]bool{
	"p": true, "br": true, "li": true, "ul": true, "ol": true, "blockquote": true, "pre": true, "div": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
}

// linkDomain is the host a news link points to, without "www.", as
// news readers show it next to a headline.
func linkDomain(link string) string {
	u, err := url.Parse(link)
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// excerpt is the start of a post's sanitized HTML as plain text, cut at
// a word boundary with "…" when it is longer than a feed shows.
func excerpt(content string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(content))
	for b.Len() < 4*excerptLength {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				return ""
			}
			break
		}
		switch tt {
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			if name, _ := z.TagName(); blockTags[string(name)] {
				b.WriteByte(' ') // words of two paragraphs stay apart
			}
		}
	}
	text := strings.Join(strings.Fields(b.String()), " ")
	if utf8.RuneCountInString(text) <= excerptLength {
		return text
	}
	cut := string([]rune(text)[:excerptLength])
	if i := strings.LastIndexByte(cut, ' '); i > excerptLength/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.-") + "…"
}

// groupPath is the address of a subwiki's page here: /s/name for ours,
// the profile page for a group on another server.
func groupPath(g *storage.Actor) string {
	if g.Local {
		return "/s/" + g.Username
	}
	return "/@" + g.Username + "@" + g.Host
}

// groupLabel names a subwiki the way the site writes it: s/climate for
// ours, s/climate@other.example for one on another server.
func groupLabel(g *storage.Actor) string {
	if g.Local {
		return "s/" + g.Username
	}
	return "s/" + g.Username + "@" + g.Host
}

// postPath is the address of a post's page here; a comment's is its
// place in the thread of its post.
func postPath(p *storage.Post) string {
	if p.RootID != "" {
		return "/posts/" + p.RootID + "#post-" + p.ID
	}
	return "/posts/" + p.ID
}
