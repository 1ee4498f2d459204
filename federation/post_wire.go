package federation

import (
	"html"
	"strings"
	"unicode/utf8"

	"github.com/go-fed/activity/streams"

	"github.com/tidings-social/tidings/storage"
)

// The text of a post as other servers read it. Each server reads a
// different part of one document (docs/federation.md, "How other servers
// read our posts"), and an object has one document at its id, so every
// part is written for its reader:
//
//   - the headline is in nameMap, not a plain name: GoToSocial shows a
//     plain name (or summary) as a content warning, and reads no language
//     map; Mastodon and Tidings read nameMap as the name, and Lemmy, which
//     reads no nameMap, takes the first line of content, which is the
//     headline;
//   - content leads with the headline (and, for news, the link), since
//     Mastodon and GoToSocial show a Note's content and GoToSocial shows
//     a Page's;
//   - a news Page's commentary is also its summaryMap, which Mastodon
//     shows (as plain text) between the headline and the link, where it
//     shows nothing of the content;
//   - source is the Markdown the member wrote, which Lemmy shows as the
//     body instead of content, so the headline and link are not repeated;
//   - a content warning is a plain summary with sensitive, as Mastodon
//     sends it.

// headlineLanguage is the language the headline is tagged with in
// nameMap: undetermined, since members do not say which they write in.
const headlineLanguage = "und"

// maxSummaryLength bounds the commentary given as a news post's
// summaryMap, a teaser as FEP-b2b8 recommends; content has all of it.
const maxSummaryLength = 500

// postText sets the headline, content, summary, sensitivity and source of
// a post's object.
func postText(p *storage.Post, obj postType) {
	if p.Headline != "" {
		name := streams.NewActivityStreamsNameProperty()
		name.AppendRDFLangString(map[string]string{headlineLanguage: p.Headline})
		obj.SetActivityStreamsName(name)
	}
	body := streams.NewActivityStreamsContentProperty()
	body.AppendXMLSchemaString(leadOf(p) + p.Content)
	obj.SetActivityStreamsContent(body)
	extra := obj.GetUnknownProperties()
	summary := streams.NewActivityStreamsSummaryProperty()
	switch {
	case p.ContentWarning != "":
		summary.AppendXMLSchemaString(p.ContentWarning)
	case p.Kind == storage.KindNews:
		if teaser := teaserOf(p.Content); teaser != "" {
			summary.AppendRDFLangString(map[string]string{headlineLanguage: teaser})
		}
	}
	if summary.Len() > 0 {
		obj.SetActivityStreamsSummary(summary)
	}
	if p.Sensitive || p.ContentWarning != "" {
		extra["sensitive"] = true
	}
	if p.Local && p.Source != "" {
		extra["source"] = map[string]any{"content": p.Source, "mediaType": "text/markdown"}
	}
}

// leadOf is what a post's content starts with before the text: the
// headline, and the link of news, each a paragraph of its own.
func leadOf(p *storage.Post) string {
	if p.Headline == "" || (p.Kind != storage.KindNews && p.Kind != storage.KindDiscussion) {
		return ""
	}
	lead := "<p><strong>" + html.EscapeString(p.Headline) + "</strong></p>"
	if p.Kind == storage.KindNews && p.LinkURL != "" {
		link := html.EscapeString(p.LinkURL)
		lead += `<p><a href="` + link + `">` + link + "</a></p>"
	}
	return lead
}

// withoutLead strips the lead a Tidings post's content starts with, so
// the headline and link are not shown twice here.
func withoutLead(content, headline, link string) string {
	lead := "<p><strong>" + html.EscapeString(headline) + "</strong></p>"
	rest, ok := strings.CutPrefix(content, lead)
	if !ok {
		return content
	}
	if link != "" {
		escaped := html.EscapeString(link)
		rest = strings.TrimPrefix(rest, `<p><a href="`+escaped+`">`+escaped+"</a></p>")
	}
	return rest
}

// teaserOf is the text of sanitized HTML on one line, shortened to
// maxSummaryLength, escaped again for Mastodon, which puts the summary of
// a Page into the HTML it shows.
func teaserOf(content string) string {
	text := html.UnescapeString(htmlTag.ReplaceAllString(lineBreak.ReplaceAllString(content, " "), ""))
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) > maxSummaryLength {
		text = string([]rune(text)[:maxSummaryLength-1]) + "…"
	}
	return html.EscapeString(text)
}
