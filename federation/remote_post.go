package federation

import (
	"html"
	"regexp"
	"slices"
	"strings"

	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// remotePost turns a post into what storage keeps. A Page or Article is
// news when it carries a link (a Link attachment, as Lemmy sends it, or a
// url other than its own id), else a discussion; a Note with a name is a
// discussion (Tidings sends them so); others are plain notes, and
// replies become comments when their parent is here.
func remotePost(actor *storage.Actor, post postable) storage.RemotePost {
	content := textOf(post.GetActivityStreamsContent())
	name := strings.TrimSpace(textOf(post.GetActivityStreamsName()))
	r := storage.RemotePost{
		URI:        idOf(post),
		AuthorID:   actor.ID,
		Headline:   name,
		URL:        firstRef(post.GetActivityStreamsUrl()).IRI,
		Visibility: visibility(post, actor.Followers),
		InReplyTo:  firstRef(post.GetActivityStreamsInReplyTo()).IRI,
		Published:  timeOf(post.GetActivityStreamsPublished()),
		Updated:    timeOf(post.GetActivityStreamsUpdated()),
		Mentioned:  mentioned(post),
		Recipients: append(iris(post.GetActivityStreamsTo()), iris(post.GetActivityStreamsCc())...),
	}
	r.Attachments = attachmentsOf(post)
	r.Hashtags = hashtags(post)
	if props, ok := post.(interface{ GetUnknownProperties() map[string]any }); ok {
		// Another Tidings names where the headline's history is: it takes
		// corrections, and decides on them.
		if history, ok := props.GetUnknownProperties()["history"].(string); ok && sameHost(history, r.URI) {
			r.HistoryURI = history
		}
	}
	switch {
	case post.GetTypeName() != "Note":
		r.Kind, r.LinkURL = storage.KindDiscussion, linkOf(post)
		if r.LinkURL != "" {
			r.Kind = storage.KindNews
		}
		// A Tidings post leads its content with the headline and link.
		content = withoutLead(content, name, r.LinkURL)
	case name != "" && content != "":
		r.Kind = storage.KindDiscussion
		// A Tidings discussion leads its content with the headline.
		content = withoutLead(content, name, "")
	default:
		r.Kind, r.Headline = storage.KindNote, ""
	}
	if r.Kind == storage.KindNews && r.URL == r.LinkURL {
		r.URL = ""
	}
	if content == "" && r.Kind == storage.KindNote {
		content = name
	}
	r.Content = content
	r.ContentWarning, r.Sensitive = warningOf(post)
	return r
}

// linkOf is the link a Page or Article shares: its first Link
// attachment, else its url when that points to another site (a blog's
// url is the article's own page, not news it links to).
func linkOf(post postable) string {
	for _, a := range refsOf(post.GetActivityStreamsAttachment()) {
		if a.Type == nil && a.IRI != "" {
			return a.IRI // a Link attachment, read by its href
		}
	}
	if u := firstRef(post.GetActivityStreamsUrl()).IRI; u != "" && !sameHost(u, idOf(post)) {
		return u
	}
	return ""
}

var (
	htmlTag      = regexp.MustCompile(`<[^>]*>`)
	lineBreak    = regexp.MustCompile(`(?i)<br\s*/?>|</p>`)
	leadingNames = regexp.MustCompile(`^(\s*@[A-Za-z0-9_]+(@[A-Za-z0-9.:-]+)?)+\s*`)
)

// headlineFromText gives a post without a headline sent to a subwiki (a
// Mastodon note mentioning it) the first line of its text, up to 200
// characters, without the mentions it starts with, as Lemmy does.
func headlineFromText(r *storage.RemotePost) {
	if r.Headline != "" || r.InReplyTo != "" {
		return
	}
	text := html.UnescapeString(htmlTag.ReplaceAllString(lineBreak.ReplaceAllString(r.Content, "\n"), ""))
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(leadingNames.ReplaceAllString(line, ""))
		if line == "" {
			continue
		}
		if runes := []rune(line); len(runes) > storage.MaxHeadlineLength {
			line = string(runes[:storage.MaxHeadlineLength-1]) + "…"
		}
		r.Headline, r.Kind = line, storage.KindDiscussion
		return
	}
}

// visibility reads to and cc as Mastodon does.
func visibility(post postable, followers string) string {
	to, cc := iris(post.GetActivityStreamsTo()), iris(post.GetActivityStreamsCc())
	isPublic := func(uri string) bool { return uri == publicCollection || uri == "as:Public" || uri == "Public" }
	switch {
	case slices.ContainsFunc(to, isPublic):
		return storage.Public
	case slices.ContainsFunc(cc, isPublic):
		return storage.Unlisted
	case followers != "" && (slices.Contains(to, followers) || slices.Contains(cc, followers)):
		return storage.Followers
	}
	return storage.Direct
}

// mentioned lists the actors a post's Mention tags name.
func mentioned(post postable) []string {
	var uris []string
	for _, tag := range refsOf(post.GetActivityStreamsTag()) {
		if m, ok := tag.Type.(vocab.ActivityStreamsMention); ok && m.GetActivityStreamsHref() != nil && m.GetActivityStreamsHref().Get() != nil {
			uris = append(uris, m.GetActivityStreamsHref().Get().String())
		}
	}
	return uris
}
