package federation

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLinkPreview reads any page, with any Content-Type, as fetched from
// any web address, as a link preview does. Beyond FuzzPreviewHead's
// checks of the text: no markup or bidi controls in it, a canonical URL
// only on the page's own site (never from https to http), and an image
// only at an http(s) address without a user name.
func FuzzLinkPreview(f *testing.F) {
	for _, seed := range [][3]string{
		{`<!doctype html><html><head><meta charset="utf-8"><title>Ferry timetable changes | Harbour Gazette</title>
<meta property="og:title" content="Ferry timetable changes from Monday"><meta property="og:site_name" content="The Harbour Gazette">
<meta property="og:url" content="https://www.harbour.example/news/ferry"><meta property="og:image" content="/media/ferry.jpg">
<link rel="canonical" href="https://harbour.example/news/ferry"></head><body>`, "text/html; charset=utf-8", "https://harbour.example/news/ferry?ref=rss"},
		{`<meta name="twitter:title" content="<b>Bold</b> &lt;i&gt;claims&lt;/i&gt;"><meta name=description content="a&#10;b&#x202E;c">`, "text/html", "https://news.example/a"},
		{`<base href="https://cdn.example/"><meta property="og:image" content="img.png"><meta property="og:url" content="http://news.example/a">`, "text/html", "https://news.example/a"},
		{`<meta property="og:image" content="javascript:alert(1)"><meta property="og:url" content="https://user:pw@news.example/a">`, "text/html", "https://news.example/a"},
		{"<title>caf\xe9 \x93quoted\x94</title>", "text/html; charset=windows-1252", "http://[::1]:8080/a"},
		{`<title><<b>b>x</title>`, "application/xhtml+xml", "https://blog.github.io/a"},
		{`<meta property="og:url" content="https://other.github.io/a"><meta property="og:title" content="` + strings.Repeat("word ", 80) + `">`, "text/html", "https://blog.github.io/a"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, page, contentType, pageURL string) {
		from, err := url.Parse(pageURL)
		if err != nil || (from.Scheme != "http" && from.Scheme != "https") || from.Host == "" {
			return // the client only ever reads pages at web addresses
		}
		p, err := readPreview(strings.NewReader(page), pageURL, contentType)
		if err != nil {
			t.Fatal(err)
		}
		for name, text := range map[string]string{"title": p.Title, "description": p.Description, "site name": p.SiteName} {
			if !utf8.ValidString(text) || strings.ContainsFunc(text, isBidiControl) || tagPattern.MatchString(text) {
				t.Errorf("%s %q keeps markup, bidi controls or invalid UTF-8", name, text)
			}
		}
		if p.URL != from.String() {
			u, err := url.Parse(p.URL)
			switch {
			case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil:
				t.Errorf("canonical URL %q is not a web address", p.URL)
			case !sameSite(from, u):
				t.Errorf("canonical URL %q is not on the site of %q", p.URL, pageURL)
			case from.Scheme == "https" && u.Scheme != "https":
				t.Errorf("canonical URL %q of an https page is not https", p.URL)
			}
		}
		if p.ImageURL != "" {
			u, err := url.Parse(p.ImageURL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
				t.Errorf("image %q is not a web address", p.ImageURL)
			}
		}
	})
}

// isBidiControl reports the embedding, override and isolate controls
// that would reorder the page a preview is shown in.
func isBidiControl(r rune) bool {
	return r >= '\u202A' && r <= '\u202E' || r >= '\u2066' && r <= '\u2069'
}

// TestPreviewCleanText: what looks like markup goes, also markup that
// removing other markup brings together (FuzzLinkPreview found "<<b>b>").
func TestPreviewCleanText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"<b>Bold</b> claim", "Bold claim"},
		{"3 < 4 and 5 > 2", "3 < 4 and 5 > 2"},
		{"<<b>b>x", "x"},
		{"<<<i>i>b>x</<b>b>", "x"},
		{"<!-<!-- -->- c -->text", "text"},
		{"a\u202eb\u2066c", "abc"},
		{"  tab\there\nnew  line ", "tab here new line"},
	} {
		if got := cleanText(tt.in); got != tt.want {
			t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
