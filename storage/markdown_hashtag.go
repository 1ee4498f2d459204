package storage

import (
	"regexp"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// hashtagWord is a #tag at the start of the input, as hashtagPattern
// reads it after its leading character.
var hashtagWord = regexp.MustCompile(`^#[\p{L}\p{M}\p{N}_]+`)

var kindHashtag = ast.NewNodeKind("Hashtag")

// hashtagNode is a #tag in a member's text; href is set when it links to
// the hashtag's page.
type hashtagNode struct {
	ast.BaseInline
	text, href string
}

func (n *hashtagNode) Kind() ast.NodeKind { return kindHashtag }

func (n *hashtagNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Text": n.text}, nil)
}

// hashtagParser finds hashtags in inline text where HashtagsIn would:
// not after a letter, digit, _, /, &, #, ) or =. Code and links never
// reach it.
type hashtagParser struct{}

func (hashtagParser) Trigger() []byte { return []byte{'#'} }

func (hashtagParser) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	r := block.PrecendingCharacter()
	if r == '_' || r == '/' || r == '&' || r == '#' || r == ')' || r == '=' || unicode.IsLetter(r) || unicode.IsDigit(r) {
		return nil
	}
	line, _ := block.PeekLine()
	word := hashtagWord.Find(line)
	if word == nil || NormalizeHashtag(string(word)) == "" {
		return nil
	}
	block.Advance(len(word))
	return &hashtagNode{text: string(word[1:])}
}

// linkHashtags points the hashtags of a parsed text, outside links, to
// their pages under base (".../tags/").
func linkHashtags(doc ast.Node, base string) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*hashtagNode); ok && entering && !inLink(h) {
			h.href = base + NormalizeHashtag(h.text)
		}
		return ast.WalkContinue, nil
	})
}

// hashtagRenderer writes a linked hashtag as Mastodon does, or the text.
type hashtagRenderer struct{}

func (hashtagRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindHashtag, renderHashtag)
}

func renderHashtag(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*hashtagNode)
	if !entering {
		return ast.WalkContinue, nil
	}
	if n.href == "" {
		_, _ = w.Write(util.EscapeHTML([]byte("#" + n.text)))
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(n.href), true)))
	_, _ = w.WriteString(`" class="mention hashtag" rel="tag">#<span>`)
	_, _ = w.Write(util.EscapeHTML([]byte(n.text)))
	_, _ = w.WriteString("</span></a>")
	return ast.WalkContinue, nil
}
