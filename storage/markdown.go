package storage

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Mention is an account named in a text, as @name (a member or subwiki
// here) or @name@host.
type Mention struct {
	Handle string // as written, without the leading @: "alice" or "bob@social.example"
	URI    string // the actor id it resolved to; filled by the caller before rendering
	URL    string // the profile page to link to (local: /@alice style absolute URL; remote: the actor's url or id)
}

// FindMentions returns the distinct handles mentioned in a Markdown text,
// in order of first appearance. Mentions in code, in e-mail addresses and
// in link texts do not count; handles differing only in case are one.
func FindMentions(markdown string) []string {
	source := []byte(markdown)
	doc := memberMarkdown().Parser().Parse(text.NewReader(source))
	var handles []string
	seen := map[string]bool{}
	forEachMention(doc, func(m *mentionNode) {
		if key := strings.ToLower(m.handle); !seen[key] {
			seen[key] = true
			handles = append(handles, m.handle)
		}
	})
	return handles
}

// RenderMarkdown turns a member's Markdown into HTML that Mastodon and
// Lemmy show well: only what Mastodon's sanitizer keeps, headings as
// strong paragraphs, images as links, raw HTML escaped. The mentions
// whose handle is listed become links as Mastodon writes them; others
// stay text. The sanitizer policy for remote HTML has the last word.
func RenderMarkdown(markdown string, mentions []Mention) string {
	return renderMarkdown(markdown, mentions, "")
}

// RenderPostMarkdown is RenderMarkdown for a post or comment: its
// hashtags also link to their pages here, tagBase + tag (Site.TagBase).
func RenderPostMarkdown(markdown string, mentions []Mention, tagBase string) string {
	return renderMarkdown(markdown, mentions, tagBase)
}

// renderMarkdown renders, linking hashtags under tagBase unless it is "".
func renderMarkdown(markdown string, mentions []Mention, tagBase string) string {
	profiles := map[string]string{}
	for _, m := range mentions {
		if webURL(m.URL) {
			profiles[strings.ToLower(m.Handle)] = m.URL
		}
	}
	source := []byte(markdown)
	md := memberMarkdown()
	doc := md.Parser().Parse(text.NewReader(source))
	forEachMention(doc, func(m *mentionNode) { m.url = profiles[strings.ToLower(m.handle)] })
	if tagBase != "" {
		linkHashtags(doc, tagBase)
	}
	var b bytes.Buffer
	if err := md.Renderer().Render(&b, source, doc); err != nil {
		// Rendering into a buffer cannot fail; should it, show the text.
		return TextToHTML(markdown)
	}
	return sanitizeHTML(b.String())
}

// memberMarkdown is the Markdown of members: CommonMark with GFM
// strikethrough and bare web links, a newline as a line break, and the
// renderers below for what federated HTML must not or cannot carry.
var memberMarkdown = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.Strikethrough,
			extension.NewLinkify(extension.WithLinkifyAllowedProtocols([]string{"http:", "https:"})),
		),
		goldmark.WithParserOptions(parser.WithInlineParsers(util.Prioritized(mentionParser{}, 999),
			util.Prioritized(hashtagParser{}, 999))),
		goldmark.WithRendererOptions(
			html.WithHardWraps(),
			renderer.WithNodeRenderers(util.Prioritized(memberRenderer{}, 100), util.Prioritized(hashtagRenderer{}, 100)),
		),
	)
})

// mentionPattern is an @name or @name@host at the start of the input.
// A host is dot-separated labels and an optional port; a trailing dot or
// comma is punctuation, not part of it.
var mentionPattern = regexp.MustCompile(`^@[A-Za-z0-9_]+(?:@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?)?`)

var kindMention = ast.NewNodeKind("Mention")

// mentionNode is an @handle in the text; url is set when it links to a profile.
type mentionNode struct {
	ast.BaseInline
	handle, url string
}

func (n *mentionNode) Kind() ast.NodeKind { return kindMention }

func (n *mentionNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Handle": n.handle}, nil)
}

// mentionParser finds mentions in inline text. Code spans, code blocks
// and autolinked URLs and e-mail addresses never reach it; an @ right
// after a letter, digit, _ or / or = (as in a@b or example.com/@a, the
// cases Mastodon also skips) is no mention.
type mentionParser struct{}

func (mentionParser) Trigger() []byte { return []byte{'@'} }

func (mentionParser) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	if r := block.PrecendingCharacter(); r == '_' || r == '/' || r == '=' || unicode.IsLetter(r) || unicode.IsDigit(r) {
		return nil
	}
	line, _ := block.PeekLine()
	end := len(mentionPattern.Find(line))
	if end == 0 {
		return nil
	}
	block.Advance(end)
	return &mentionNode{handle: string(line[1:end])}
}

// forEachMention calls f for the mentions that are not part of a link or image text.
func forEachMention(doc ast.Node, f func(*mentionNode)) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if m, ok := n.(*mentionNode); ok && entering && !inLink(m) {
			f(m)
		}
		return ast.WalkContinue, nil
	})
}

// inLink reports whether n is within a link or an image, where another
// link cannot be.
func inLink(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if k := p.Kind(); k == ast.KindLink || k == ast.KindImage {
			return true
		}
	}
	return false
}

// webURL reports whether s is an absolute http(s) URL.
func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// linkHref returns the escaped href for a link destination, or false if
// it may not be linked: only web and mailto addresses may.
func linkHref(dest []byte) ([]byte, bool) {
	escaped := util.URLEscape(dest, true)
	u, err := url.Parse(string(escaped))
	if err != nil || !(webURL(u.String()) || u.Scheme == "mailto" && u.Opaque != "") {
		return nil, false
	}
	return util.EscapeHTML(escaped), true
}

// writeLinkStart opens a link; the sanitizer keeps its own rel.
func writeLinkStart(w util.BufWriter, href []byte) {
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(href)
	_, _ = w.WriteString(`" rel="nofollow noopener noreferrer">`)
}

// memberRenderer renders what the default renderer would render in a
// way Mastodon drops or that is unsafe.
type memberRenderer struct{}

func (memberRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, renderHeading)
	reg.Register(ast.KindLink, renderLink)
	reg.Register(ast.KindImage, renderLink)
	reg.Register(ast.KindAutoLink, renderAutoLink)
	reg.Register(ast.KindRawHTML, renderRawHTML)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
	reg.Register(kindMention, renderMention)
}

func renderHeading(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<p><strong>")
	} else {
		_, _ = w.WriteString("</strong></p>\n")
	}
	return ast.WalkContinue, nil
}

// renderLink renders links and images, as a link to the image with its
// description as text (or its address, when it has none). A link that
// may not be linked, or an image within a link, is just its text.
func renderLink(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	var dest []byte
	switch n := n.(type) {
	case *ast.Link:
		dest = n.Destination
	case *ast.Image:
		if inLink(n) {
			return ast.WalkContinue, nil
		}
		dest = n.Destination
	}
	href, ok := linkHref(dest)
	switch {
	case !ok:
	case entering:
		writeLinkStart(w, href)
		if n.FirstChild() == nil {
			_, _ = w.Write(util.EscapeHTML(dest))
		}
	default:
		_, _ = w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

func renderAutoLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.AutoLink)
	if !entering {
		return ast.WalkContinue, nil
	}
	dest, label := n.URL(source), util.EscapeHTML(n.Label(source))
	if n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(dest), []byte("mailto:")) {
		dest = append([]byte("mailto:"), dest...)
	}
	if href, ok := linkHref(dest); ok {
		writeLinkStart(w, href)
		_, _ = w.Write(label)
		_, _ = w.WriteString("</a>")
	} else {
		_, _ = w.Write(label)
	}
	return ast.WalkContinue, nil
}

// renderRawHTML shows inline HTML as the text it is.
func renderRawHTML(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		segments := node.(*ast.RawHTML).Segments
		for i := 0; i < segments.Len(); i++ {
			segment := segments.At(i)
			_, _ = w.Write(util.EscapeHTML(segment.Value(source)))
		}
	}
	return ast.WalkSkipChildren, nil
}

// renderHTMLBlock shows a block of HTML as a paragraph of its text.
func renderHTMLBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.HTMLBlock)
	_, _ = w.WriteString("<p>")
	for i := 0; i < n.Lines().Len(); i++ {
		line := n.Lines().At(i)
		_, _ = w.Write(util.EscapeHTML(bytes.TrimRight(line.Value(source), "\r\n")))
		if i < n.Lines().Len()-1 || n.HasClosure() {
			_, _ = w.WriteString("<br>\n")
		}
	}
	if n.HasClosure() {
		_, _ = w.Write(util.EscapeHTML(bytes.TrimRight(n.ClosureLine.Value(source), "\r\n")))
	}
	_, _ = w.WriteString("</p>\n")
	return ast.WalkContinue, nil
}

// renderMention writes a linked mention as Mastodon does, showing only
// the name (the host is in the profile address), or else the text.
func renderMention(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*mentionNode)
	if !entering {
		return ast.WalkContinue, nil
	}
	if n.url == "" || inLink(n) {
		_, _ = w.Write(util.EscapeHTML([]byte("@" + n.handle)))
		return ast.WalkContinue, nil
	}
	name, _, _ := strings.Cut(n.handle, "@")
	_, _ = w.WriteString(`<span class="h-card"><a href="`)
	_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(n.url), true)))
	_, _ = w.WriteString(`" class="u-url mention">@<span>`)
	_, _ = w.Write(util.EscapeHTML([]byte(name)))
	_, _ = w.WriteString("</span></a></span>")
	return ast.WalkContinue, nil
}
