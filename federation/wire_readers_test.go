package federation

import (
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// How Mastodon 4.5, GoToSocial 0.20 and Lemmy 0.19 read a post's object,
// each as its source reads it (docs/federation.md, "How other servers
// read our posts"). The wire-form tests hold our documents to them.

// mastodonStatus is what Mastodon makes of an object: the status text,
// its content warning, and the link it fetches a preview card for.
type mastodonStatus struct {
	text, spoiler, card string
	sensitive           bool
}

// mastodonConverted are the types Mastodon converts rather than shows
// (app/lib/activitypub/activity.rb CONVERTED_TYPES).
var mastodonConverted = []string{"Image", "Audio", "Video", "Article", "Page", "Event"}

// mastodonReads follows status_parser.rb: a Note's content is its text
// and its summary the warning; a converted type's text is the name as a
// heading, the summary, and its url (or id) as a link, and it has no
// warning. The card is for the first link that is no mention or hashtag
// (fetch_link_card_service.rb).
func mastodonReads(obj map[string]any) mastodonStatus {
	var s mastodonStatus
	s.sensitive, _ = obj["sensitive"].(bool)
	if slices.Contains(mastodonConverted, str(obj["type"])) {
		var parts []string
		if title := orMap(obj, "name"); title != "" {
			parts = append(parts, "<h2>"+title+"</h2>")
		}
		if summary := orMap(obj, "summary"); summary != "" {
			parts = append(parts, summary)
		}
		target := str(obj["url"])
		if target == "" {
			target = str(obj["id"])
		}
		parts = append(parts, `<a href="`+target+`">`+target+"</a>")
		s.text = strings.Join(parts, "\n\n")
	} else {
		s.text = orMap(obj, "content")
		s.spoiler = orMap(obj, "summary")
	}
	for _, a := range anchors(s.text) {
		if !strings.Contains(a.class, "mention") && !strings.Contains(a.class, "hashtag") && !strings.Contains(a.rel, "tag") &&
			(strings.HasPrefix(a.href, "http://") || strings.HasPrefix(a.href, "https://")) {
			s.card = a.href
			break
		}
	}
	return s
}

// gotosocialStatus is what GoToSocial makes of an object.
type gotosocialStatus struct {
	content, contentWarning, url string
	sensitive                    bool
}

// gotosocialReads follows internal/typeutils/astointernal.go
// ASStatusToStatus: content as it is; the warning is the summary, else
// the name, each read only as a plain string (ap.ExtractSummary,
// ap.ExtractName skip language maps); url the first url. It makes no
// preview cards.
func gotosocialReads(obj map[string]any) gotosocialStatus {
	s := gotosocialStatus{content: orMap(obj, "content"), url: str(obj["url"])}
	s.contentWarning = str(obj["summary"])
	if s.contentWarning == "" {
		s.contentWarning = str(obj["name"])
	}
	s.sensitive, _ = obj["sensitive"].(bool)
	return s
}

// lemmyPost is what Lemmy makes of a top-level object.
type lemmyPost struct {
	title, url, body string
	nsfw             bool
	refused          bool // the object does not fit Lemmy's Page
}

// lemmyReads follows crates/apub/src/objects/post.rs from_json: the
// title is name, else the first line of the content as text; the url is
// the first attachment's (a Link's href); the body is source when there
// is one, else the content; nsfw is sensitive. An attachment that is not
// a list does not fit protocol/objects/page.rs (a Vec, read without
// one_or_many), and the whole post is refused.
func lemmyReads(obj map[string]any) lemmyPost {
	p := lemmyPost{title: str(obj["name"])}
	if a, ok := obj["attachment"]; ok {
		if _, isList := a.([]any); !isList {
			p.refused = true
		}
	}
	if p.title == "" {
		p.title, _, _ = strings.Cut(textOfHTML(str(obj["content"])), "\n")
	}
	if attachments, ok := obj["attachment"].([]any); ok && len(attachments) > 0 {
		if first, ok := attachments[0].(map[string]any); ok {
			p.url = str(first["href"])
			if p.url == "" {
				p.url = str(first["url"])
			}
		}
	}
	p.body = str(obj["content"])
	if source, ok := obj["source"].(map[string]any); ok {
		p.body = str(source["content"])
	}
	p.nsfw, _ = obj["sensitive"].(bool)
	return p
}

// str is a JSON string, or "".
func str(v any) string {
	s, _ := v.(string)
	return s
}

// orMap is a plain text property, else the first value of its language
// map, as Mastodon reads name, summary and content.
func orMap(obj map[string]any, key string) string {
	if s := str(obj[key]); s != "" {
		return s
	}
	if m, ok := obj[key+"Map"].(map[string]any); ok {
		for _, v := range m {
			return str(v)
		}
	}
	return ""
}

// anchor is a link in HTML.
type anchor struct{ href, class, rel, text string }

// anchors lists the links in HTML, in order.
func anchors(s string) []anchor {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return nil
	}
	var out []anchor
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || n.Data != "a" {
			continue
		}
		var a anchor
		for _, attr := range n.Attr {
			switch attr.Key {
			case "href":
				a.href = attr.Val
			case "class":
				a.class = attr.Val
			case "rel":
				a.rel = attr.Val
			}
		}
		out = append(out, a)
	}
	return out
}

// textOfHTML is the text of HTML, a line a paragraph, as Lemmy turns
// content into a title.
func textOfHTML(s string) string {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return ""
	}
	var b strings.Builder
	for n := range doc.Descendants() {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && (n.Data == "p" || n.Data == "br") && b.Len() > 0:
			b.WriteString("\n")
		}
	}
	return strings.TrimSpace(b.String())
}
