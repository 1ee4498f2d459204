package storage

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

var testMentions = []Mention{
	{Handle: "alice", URI: "https://tidings.test/members/alice", URL: "https://tidings.test/@alice"},
	{Handle: "bob@social.example", URI: "https://social.example/users/bob", URL: "https://social.example/@bob"},
	{Handle: "bob@localhost:8080", URI: "http://localhost:8080/u/bob", URL: "http://localhost:8080/u/bob"},
}

const (
	aliceLink = `<span class="h-card"><a href="https://tidings.test/@alice" class="u-url mention" rel="nofollow noreferrer">@<span>alice</span></a></span>`
	bobLink   = `<span class="h-card"><a href="https://social.example/@bob" class="u-url mention" rel="nofollow noreferrer">@<span>bob</span></a></span>`
)

func TestRenderMarkdown(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"paragraphs and line breaks", "one\ntwo\n\nthree", "<p>one<br>\ntwo</p>\n<p>three</p>"},
		{"emphasis", "*em* _also_ **strong** __too__", "<p><em>em</em> <em>also</em> <strong>strong</strong> <strong>too</strong></p>"},
		{"strikethrough", "~~gone~~ stays", "<p><del>gone</del> stays</p>"},
		{"inline code", "run `a < b && c`", "<p>run <code>a &lt; b &amp;&amp; c</code></p>"},
		{"fenced code", "```go\nif a < b {\n}\n```", "<pre><code>if a &lt; b {\n}\n</code></pre>"},
		{"indented code", "    x := 1", "<pre><code>x := 1\n</code></pre>"},
		{"block quote", "> quoted\n> more", "<blockquote>\n<p>quoted<br>\nmore</p>\n</blockquote>"},
		{"lists", "- a\n- b\n\n1. one\n2. two", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<ol>\n<li>one</li>\n<li>two</li>\n</ol>"},
		{"link", "[Tidings](https://tidings.example/a?b=1&c=2)",
			`<p><a href="https://tidings.example/a?b=1&amp;c=2" rel="nofollow noreferrer">Tidings</a></p>`},
		{"link title dropped", `[x](https://a.example "Title")`, `<p><a href="https://a.example" rel="nofollow noreferrer">x</a></p>`},
		{"bare URL, trailing dot", "see https://a.example/x?y=1.",
			`<p>see <a href="https://a.example/x?y=1" rel="nofollow noreferrer">https://a.example/x?y=1</a>.</p>`},
		{"www URL", "www.a.example", `<p><a href="http://www.a.example" rel="nofollow noreferrer">www.a.example</a></p>`},
		{"angle autolink", "<https://a.example>", `<p><a href="https://a.example" rel="nofollow noreferrer">https://a.example</a></p>`},
		{"ftp not linked", "ftp://a.example/f", "<p>ftp://a.example/f</p>"},
		{"relative link is text", "[x](/local)", "<p>x</p>"},
		{"heading", "# Big *news*\ntext", "<p><strong>Big <em>news</em></strong></p>\n<p>text</p>"},
		{"small heading", "### Small", "<p><strong>Small</strong></p>"},
		{"setext heading", "Title\n=====", "<p><strong>Title</strong></p>"},
		{"image", "![a cat](https://img.example/cat.png)", `<p><a href="https://img.example/cat.png" rel="nofollow noreferrer">a cat</a></p>`},
		{"image without text", "![](https://img.example/cat.png)",
			`<p><a href="https://img.example/cat.png" rel="nofollow noreferrer">https://img.example/cat.png</a></p>`},
		{"image in link", "[![cat](https://img.example/c.png)](https://a.example)", `<p><a href="https://a.example" rel="nofollow noreferrer">cat</a></p>`},
		{"raw inline HTML escaped", "a <b>bold</b> move", "<p>a &lt;b&gt;bold&lt;/b&gt; move</p>"},
		{"HTML block escaped", "<div>\n*hi*\n</div>", "<p>&lt;div&gt;<br>\n*hi*<br>\n&lt;/div&gt;</p>"},
		{"entities", "&amp; &lt;b&gt; &copy;", "<p>&amp; &lt;b&gt; ©</p>"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RenderMarkdown(tt.in, nil); got != tt.want {
				t.Errorf("RenderMarkdown(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRenderMarkdownMentions(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"local", "hi @alice", "<p>hi " + aliceLink + "</p>"},
		{"remote", "@bob@social.example hi", "<p>" + bobLink + " hi</p>"},
		{"remote with port", "cc @bob@localhost:8080",
			`<p>cc <span class="h-card"><a href="http://localhost:8080/u/bob" class="u-url mention" rel="nofollow noreferrer">@<span>bob</span></a></span></p>`},
		{"trailing dot and comma", "@alice, @bob@social.example.", "<p>" + aliceLink + ", " + bobLink + ".</p>"},
		{"any case", "@Alice", `<p><span class="h-card"><a href="https://tidings.test/@alice" class="u-url mention" rel="nofollow noreferrer">@<span>Alice</span></a></span></p>`},
		{"in emphasis", "**@alice**", "<p><strong>" + aliceLink + "</strong></p>"},
		{"in heading", "# to @alice", "<p><strong>to " + aliceLink + "</strong></p>"},
		{"unknown stays text", "@carol and @bob@other.example", "<p>@carol and @bob@other.example</p>"},
		{"in code span", "`@alice`", "<p><code>@alice</code></p>"},
		{"in fenced code", "```\n@alice\n```", "<pre><code>@alice\n</code></pre>"},
		{"in link text", "[@alice](https://a.example)", `<p><a href="https://a.example" rel="nofollow noreferrer">@alice</a></p>`},
		{"in a URL", "https://social.example/@alice",
			`<p><a href="https://social.example/@alice" rel="nofollow noreferrer">https://social.example/@alice</a></p>`},
		{"after a word", "x@alice", "<p>x@alice</p>"},
		{"no name", "@ alice", "<p>@ alice</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RenderMarkdown(tt.in, testMentions); got != tt.want {
				t.Errorf("RenderMarkdown(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRenderMarkdownEmailIsNoMention(t *testing.T) {
	got := RenderMarkdown("write to a@b.example", []Mention{{Handle: "b.example", URL: "https://b.example/"}})
	if strings.Contains(got, "mention") || !strings.Contains(got, "a@b.example") {
		t.Errorf("got %q", got)
	}
}

func TestRenderMarkdownMentionURLs(t *testing.T) {
	for _, bad := range []string{"", "javascript:alert(1)", "/@alice", "data:text/html,x"} {
		got := RenderMarkdown("@alice", []Mention{{Handle: "alice", URL: bad}})
		if got != "<p>@alice</p>" {
			t.Errorf("URL %q: got %q", bad, got)
		}
	}
}

// TestRenderMarkdownSafe renders attacks and checks the HTML has only the
// elements and attributes Mastodon keeps, with web links only.
func TestRenderMarkdownSafe(t *testing.T) {
	attacks := []string{
		"<script>alert(1)</script>",
		"<img src=x onerror=alert(1)>",
		"a <img src=x onerror=alert(1)> b",
		`<a href="javascript:alert(1)">x</a>`,
		"<div onclick=alert(1)>\nx\n</div>",
		"<!-- --><script>alert(1)</script>",
		"<style>*{display:none}</style>",
		"<iframe src=https://evil.example></iframe>",
		"[x](javascript:alert(1))",
		"[x](JaVaScRiPt:alert(1))",
		"[x](&#106;avascript:alert(1))",
		"[x](java&#x09;script:alert(1))",
		"[x](<javascript:alert(1)>)",
		"[x](vbscript:msgbox(1))",
		"<javascript:alert(1)>",
		"![x](javascript:alert(1))",
		"[x][r]\n\n[r]: javascript:alert(1)",
		"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
		"![x](data:image/svg+xml,<svg onload=alert(1)>)",
		`[x](https://ok.example "t\" onmouseover=\"alert(1)")`,
		`[x](https://ok.example/"onmouseover="alert(1))`,
		"&lt;script&gt;alert(1)&lt;/script&gt;",
		"&#60;script&#62;alert(1)&#60;/script&#62;",
		"`</code><script>alert(1)</script>`",
		"```\n</code></pre><script>alert(1)</script>\n```",
		"# <script>alert(1)</script>",
		"@eve",
	}
	mentions := []Mention{{Handle: "eve", URL: `https://evil.example/"><script>alert(1)</script>`}}
	allowed := map[string]bool{"p": true, "br": true, "span": true, "a": true, "del": true, "pre": true, "code": true,
		"em": true, "strong": true, "b": true, "i": true, "u": true, "ul": true, "ol": true, "li": true, "blockquote": true}
	for _, in := range attacks {
		got := RenderMarkdown(in, mentions)
		z := html.NewTokenizer(strings.NewReader(got))
		for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
			tok := z.Token()
			switch tt {
			case html.CommentToken, html.DoctypeToken:
				t.Errorf("RenderMarkdown(%q) = %q: has %s", in, got, tok)
			case html.StartTagToken, html.SelfClosingTagToken:
				if !allowed[tok.Data] {
					t.Errorf("RenderMarkdown(%q) = %q: has <%s>", in, got, tok.Data)
				}
				for _, a := range tok.Attr {
					if !checkAttr(a) {
						t.Errorf("RenderMarkdown(%q) = %q: has %s=%q", in, got, a.Key, a.Val)
					}
				}
			}
		}
	}
}

func checkAttr(a html.Attribute) bool {
	switch a.Key {
	case "class", "rel":
		return true
	case "href":
		u, err := url.Parse(a.Val)
		return err == nil && (u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "mailto")
	}
	return false
}

// TestMarkdownLinkHref checks the renderer's own link check, which the
// sanitizer would otherwise hide.
func TestMarkdownLinkHref(t *testing.T) {
	tests := []struct{ dest, want string }{
		{"https://a.example/x?a=1&b=2", "https://a.example/x?a=1&amp;b=2"},
		{"http://a.example/a b", "http://a.example/a%20b"},
		{"mailto:a@b.example", "mailto:a@b.example"},
		{`https://a.example/"x`, "https://a.example/%22x"},
		{"javascript:alert(1)", ""},
		{"JAVASCRIPT:alert(1)", ""},
		{"data:text/html,x", ""},
		{"ftp://a.example/f", ""},
		{"/local", ""},
		{"//a.example/x", ""},
		{"https:///x", ""},
		{"mailto:", ""},
	}
	for _, tt := range tests {
		got, ok := linkHref([]byte(tt.dest))
		if string(got) != tt.want || ok != (tt.want != "") {
			t.Errorf("linkHref(%q) = %q, %v; want %q", tt.dest, got, ok, tt.want)
		}
	}
}

func TestRenderMarkdownShowsEscapedHTML(t *testing.T) {
	got := RenderMarkdown("<script>alert(1)</script>", nil)
	if want := "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFindMentions(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"@alice", []string{"alice"}},
		{"hi @bob@social.example!", []string{"bob@social.example"}},
		{"@bob@localhost:8080 hi", []string{"bob@localhost:8080"}},
		{"@alice. And @bob@social.example, too.", []string{"alice", "bob@social.example"}},
		{"@alice_b2 (@carol)", []string{"alice_b2", "carol"}},
		{"@bob @alice @bob @Alice @alice", []string{"bob", "alice"}},
		{"*@alice* > no\n\n> @carol\n\n- @dave", []string{"alice", "carol", "dave"}},
		{"# hi @alice", []string{"alice"}},
		{"mail a@b.example or x@y", nil},
		{"`@alice` and ``@bob``", nil},
		{"```\n@alice\n```", nil},
		{"    @alice", nil},
		{"https://social.example/@alice and example.com/@bob", nil},
		{"[@alice](https://a.example) ![@bob](https://a.example/i.png)", nil},
		{"é@alice @ alice @", nil},
		{"@bob@social.example.org:443/path", []string{"bob@social.example.org:443"}},
	}
	for _, tt := range tests {
		if got := FindMentions(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("FindMentions(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// BenchmarkRenderMarkdown renders about 20 KB of a busy discussion; it
// should take well under 50 ms.
func BenchmarkRenderMarkdown(b *testing.B) {
	para := "## Point\n\nThanks @alice and @bob@social.example, see https://news.example/story?id=1 and " +
		"[the report](https://a.example/r). *Emphasis*, **strong**, ~~old~~ and `code`.\nA second line.\n\n" +
		"> quoted @carol\n\n- one\n- two\n\n```\nfunc main() {}\n```\n\n"
	text := strings.Repeat(para, 20*1024/len(para)+1)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		RenderMarkdown(text, testMentions)
	}
}
