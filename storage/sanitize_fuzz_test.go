package storage

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// keptElements are the elements the sanitizer keeps, with the attributes
// each may have.
var keptElements = map[string][]string{
	"a": {"href", "rel", "class"}, "span": {"class"},
	"p": nil, "br": nil, "del": nil, "pre": nil, "code": nil, "em": nil, "strong": nil, "b": nil, "i": nil,
	"u": nil, "ul": nil, "ol": nil, "li": nil, "blockquote": nil,
}

// checkSanitized reports what in s the sanitizer should have removed:
// other elements (script, style, iframe...), other attributes (on*,
// style, src...), comments, and links that are not to http(s) pages.
func checkSanitized(s string) error {
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				return nil
			}
			return z.Err()
		case html.CommentToken, html.DoctypeToken:
			return errors.New("has a comment or doctype")
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			attrs, ok := keptElements[string(name)]
			if !ok {
				return fmt.Errorf("has a <%s> element", name)
			}
			for more := true; more; {
				var key, val []byte
				key, val, more = z.TagAttr()
				if key == nil {
					break
				}
				if !slices.Contains(attrs, string(key)) {
					return fmt.Errorf("has a %s attribute on <%s>", key, name)
				}
				if string(key) == "href" {
					if u, err := url.Parse(string(val)); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
						return fmt.Errorf("links to %q", val)
					}
				}
			}
		}
	}
}

// FuzzSanitizeHTML sanitizes any HTML, as post content and actor
// summaries from other servers are: what comes out has only the kept
// elements and attributes, links to http(s) only, and is left as it is
// when sanitized again (so that an edit of a stored text changes nothing
// it did not change).
func FuzzSanitizeHTML(f *testing.F) {
	for _, seed := range []string{
		`<p>Hello <span class="h-card"><a href="https://social.example/@bob" class="u-url mention">@<span>bob</span></a></span></p>`,
		`<p>Tagged <a href="https://social.example/tags/news" class="mention hashtag" rel="tag">#<span>news</span></a></p>`,
		`<h1>Lemmy heading</h1><img src="https://lemmy.example/pictrs/image/x.webp" alt="x"><table><tr><td>1</td></tr></table>`,
		`<script>alert(1)</script><style>p{}</style><iframe src="https://evil.example"></iframe>`,
		`<a href="javascript:alert(1)" onclick="x()">x</a><a href="jav&#x09;ascript:alert(1)">y</a><a href=" https://ok.example">z</a>`,
		`<svg><script>alert(1)</script></svg><math><mi xlink:href="javascript:alert(1)">x</mi></math>`,
		`<p>unclosed <b>bold <i>both</p><p>next`,
		`<!-- comment --><![CDATA[x]]><?php echo 1 ?><!doctype html>`,
		`&lt;script&gt; &amp;lt; &#0; &#x110000; &nonexistent; &amp`,
		"<p>\u202eevil\u202c \u0000 \xff\xfe</p>",
		`<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`,
		`<a href="https://ok.example/?q=<script>">text</a><a href="https:///x">no host</a><a href="https:x">opaque</a>`,
		strings.Repeat("<blockquote>", 200) + "deep" + strings.Repeat("</blockquote>", 200),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := sanitizeHTML(in)
		if err := checkSanitized(out); err != nil {
			t.Errorf("sanitizeHTML(%q) = %q: %v", in, out, err)
		}
		if again := sanitizeHTML(out); again != out {
			t.Errorf("sanitizing again changes it:\n once %q\ntwice %q", out, again)
		}
	})
}

// FuzzCleanLine cleans any line from elsewhere (a headline, a display
// name, a reason) at the limits storage uses: valid UTF-8 without control
// characters, no longer than the limit.
func FuzzCleanLine(f *testing.F) {
	for _, seed := range []string{
		"Glacier retreat doubles", "  padded\t", "two\nlines\r\n", "\x00\x1b[31mred\x7f", "caf\xe9 \xff",
		"\u202eevil\u202c", "e\u0301\u0301\u0301", "👩‍👩‍👧‍👦 family", strings.Repeat("é", MaxHeadlineLength+1),
		"\u0085next line\u2028line separator",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, limit := range []int{MaxHeadlineLength, maxReasonLength, 2 * maxDisplayNameLength} {
			out := cleanLine(in, limit)
			switch {
			case !utf8.ValidString(out):
				t.Errorf("cleanLine(%q, %d) = %q: not valid UTF-8", in, limit, out)
			case strings.ContainsFunc(out, unicode.IsControl):
				t.Errorf("cleanLine(%q, %d) = %q: has a control character", in, limit, out)
			case utf8.RuneCountInString(out) > limit:
				t.Errorf("cleanLine(%q, %d) = %q: longer than %d", in, limit, out, limit)
			}
		}
	})
}
