package storage

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// handlePattern is a handle as FindMentions returns it: a name, and
// maybe a host with a port.
var handlePattern = regexp.MustCompile(`^[A-Za-z0-9_]+(@[A-Za-z0-9.-]+(:[0-9]{1,5})?)?$`)

// FuzzRenderMarkdown renders any member's Markdown and finds its
// mentions. The HTML is what the sanitizer lets through and stays so
// when sanitized again; each mention found is a handle written in the
// text, found once whatever its case, and becomes a profile link when it
// is resolved, and never when it is not.
func FuzzRenderMarkdown(f *testing.F) {
	for _, seed := range []string{
		"# Big *news*\nThanks @alice and @bob@social.example, see https://news.example/story?id=1",
		"[the report](https://a.example/r) ![cat](https://img.example/c.png) <https://a.example> www.a.example",
		"> quoted @carol\n\n- one\n- two\n\n```\n@dave in code\n```\n\n    @erin indented",
		"<script>alert(1)</script> <b onclick=x>b</b>\n<div>\n*hi*\n</div>",
		"[x](javascript:alert(1)) [y](java&#x09;script:alert(1)) [z](<javascript:alert(1)>)",
		"@Alice @ALICE @alice@Social.Example @alice@social.example:443/path a@b.example",
		"[@alice](https://a.example) [![@bob](https://i.example/b.png)](https://a.example)",
		strings.Repeat(">", 500) + " deep " + strings.Repeat("*", 500),
		strings.Repeat("[", 300) + "x" + strings.Repeat("](https://a.example)", 300),
		"\u202e@eve\u202c \x00 \xff @bob@xn--bcher-kva.example",
		"~~gone~~ `code` **strong** _em_ ***both*** \\@escaped",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if utf8.RuneCountInString(in) > maxBodyLength {
			// Refused before it is rendered. (Longer texts only show that
			// goldmark takes time quadratic in unclosed "[a](" and the like.)
			return
		}
		handles := FindMentions(in)
		seen := map[string]bool{}
		var resolved []Mention
		for _, h := range handles {
			key := strings.ToLower(h)
			switch {
			case seen[key]:
				t.Errorf("FindMentions(%q) = %q: %q twice", in, handles, h)
			case !handlePattern.MatchString(h):
				t.Errorf("FindMentions(%q) = %q: %q is not a handle", in, handles, h)
			case !strings.Contains(in, "@"+h):
				t.Errorf("FindMentions(%q) = %q: %q is not in the text", in, handles, h)
			}
			seen[key] = true
			resolved = append(resolved, Mention{Handle: h, URL: "https://tidings.test/@" + h})
		}
		for _, mentions := range [][]Mention{nil, resolved} {
			out := RenderMarkdown(in, mentions)
			if err := checkSanitized(out); err != nil {
				t.Errorf("RenderMarkdown(%q) = %q: %v", in, out, err)
			}
			if again := sanitizeHTML(out); again != out {
				t.Errorf("RenderMarkdown(%q) is changed by the sanitizer:\n got %q\nthen %q", in, out, again)
			}
			links := strings.Count(out, `class="u-url mention"`)
			if mentions == nil && links > 0 {
				t.Errorf("RenderMarkdown(%q) links %d mentions that were not resolved: %q", in, links, out)
			}
			if mentions != nil && links < len(handles) {
				t.Errorf("RenderMarkdown(%q) links %d mentions, found %d: %q", in, links, len(handles), out)
			}
		}
	})
}
