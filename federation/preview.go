package federation

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/publicsuffix"
)

// Limits of a link preview: it should appear while the member is still
// writing, and only the head of a page says anything about the page.
const (
	previewTimeout   = 5 * time.Second
	previewMaxBytes  = 1 << 20
	previewTitleMax  = 200  // characters of Title and SiteName
	previewDescMax   = 500  // characters of Description
	previewURLMax    = 2048 // bytes of a URL the page names; longer ones are ignored
	charsetPrescanAt = 1024 // how far into a page browsers look for <meta charset>
)

// ErrNotWebPage is a link to something other than an HTML page, such as a
// PDF or an image. The member can still post the link, without a preview.
var ErrNotWebPage = errors.New("not a web page")

// LinkPreview is what a news page says about itself, to pre-fill a post.
type LinkPreview struct {
	URL         string // the canonical URL when the page names one on the same site (og:url or <link rel=canonical>), else the final URL after redirects
	Title       string // og:title, else twitter:title, else <title>; whitespace collapsed, at most 200 characters (cut at a word boundary, with "…")
	Description string // og:description, else twitter:description, else <meta name=description>; collapsed, at most 500 characters
	SiteName    string // og:site_name; collapsed, at most 200 characters
	ImageURL    string // og:image resolved against the page URL, http(s) only
}

// PreviewError is a link preview that could not be made. Error is for the
// log; UserMessage is for the member who pasted the link.
type PreviewError struct {
	Reason string // why, in words safe to show: "the site answered 404 Not Found"
	Err    error  // what failed, with the URLs and addresses involved
}

// Error describes the failure with its details.
func (e *PreviewError) Error() string {
	if e.Err == nil {
		return "link preview: " + e.Reason
	}
	return "link preview: " + e.Err.Error()
}

// Unwrap returns the failure, for errors.Is and errors.As.
func (e *PreviewError) Unwrap() error { return e.Err }

// UserMessage says why there is no preview, naming no address or internal.
func (e *PreviewError) UserMessage() string { return "Could not fetch the page: " + e.Reason + "." }

// FetchLinkPreview fetches the page at rawURL, http or https, and reads what
// its head says about it. The fetch goes through the federation client, so
// non-public addresses are refused when dialled, at every redirect. It gives
// up after 5 s and reads at most 1 MiB, stopping where the head ends. Its
// errors are *PreviewError; a link to a file that is not a web page is also
// ErrNotWebPage.
func (f *Federator) FetchLinkPreview(ctx context.Context, rawURL string) (*LinkPreview, error) {
	ctx, cancel := context.WithTimeout(ctx, previewTimeout)
	defer cancel()
	var preview *LinkPreview
	err := f.client.GetHTML(ctx, rawURL, func(body io.Reader, final, contentType string) error {
		var err error
		// The client's own limit may be larger.
		preview, err = readPreview(io.LimitReader(body, previewMaxBytes), final, contentType)
		if err != nil && ctx.Err() != nil {
			// A read cut off by the deadline fails as a closed connection.
			return fmt.Errorf("%w: %w", ctx.Err(), err)
		}
		return err
	})
	if err != nil {
		if errors.Is(err, ErrContentType) {
			err = fmt.Errorf("%w: %w", ErrNotWebPage, err)
		}
		return nil, &PreviewError{Reason: previewReason(err), Err: err}
	}
	return preview, nil
}

// previewReason says what went wrong in words a member can be shown.
func previewReason(err error) string {
	var status *StatusError
	var dns *net.DNSError
	var netErr net.Error
	switch {
	case errors.Is(err, ErrNotWebPage):
		return "the link is not a web page"
	case errors.Is(err, ErrInvalidURL), errors.Is(err, ErrScheme):
		return "the link is not an http or https address"
	case errors.Is(err, ErrPrivateAddress):
		return "the site is not on the public internet"
	case errors.Is(err, ErrTooManyRedirects):
		return "the site redirected too many times"
	case errors.As(err, &status):
		return fmt.Sprintf("the site answered %d %s", status.Code, http.StatusText(status.Code))
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "the site took too long to answer"
	case errors.Is(err, context.Canceled):
		return "the fetch was cancelled"
	case errors.As(err, &dns) && dns.IsNotFound:
		return "no site has that name"
	}
	return "the site could not be reached"
}

// readPreview reads the head of the page at pageURL from body.
func readPreview(body io.Reader, pageURL, contentType string) (*LinkPreview, error) {
	page, err := url.Parse(pageURL)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidURL, err)
	}
	head, err := readHead(decodePage(body, contentType))
	if err != nil {
		return nil, err
	}
	return head.preview(page), nil
}

// headTags are the values in a page's head that a preview is made of. For
// each, the first one in the page wins.
type headTags struct {
	meta      map[string]string // content of the meta tags isPreviewKey names
	title     string
	canonical string
	base      string
}

// isPreviewKey reports a meta tag a preview reads, by property or name.
func isPreviewKey(key string) bool {
	switch key {
	case "og:title", "og:description", "og:site_name", "og:url", "og:image",
		"twitter:title", "twitter:description", "description":
		return true
	}
	return false
}

// readHead tokenizes r until the head ends: at </head>, <body> or the end
// of r. Nothing of the page is kept but the tags a preview reads.
func readHead(r io.Reader) (*headTags, error) {
	h := &headTags{meta: map[string]string{}}
	z := html.NewTokenizer(r)
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if errors.Is(z.Err(), io.EOF) {
				return h, nil
			}
			return nil, z.Err()
		}
		name, hasAttr := z.TagName()
		switch {
		case tt == html.EndTagToken && string(name) == "head":
			return h, nil
		case tt != html.StartTagToken && tt != html.SelfClosingTagToken:
			// Text, comments and other end tags say nothing.
		case string(name) == "body":
			return h, nil
		case string(name) == "title" && h.title == "":
			h.title = readText(z)
		case hasAttr:
			h.addTag(string(name), tagAttrs(z))
		}
	}
}

// addTag records a meta, link or base tag, unless one came first.
func (h *headTags) addTag(name string, attrs map[string]string) {
	switch name {
	case "meta":
		content := strings.TrimSpace(attrs["content"])
		for _, key := range []string{attrs["property"], attrs["name"]} {
			key = strings.ToLower(strings.TrimSpace(key))
			if isPreviewKey(key) && content != "" && h.meta[key] == "" {
				h.meta[key] = content
			}
		}
	case "link":
		rel := strings.Fields(strings.ToLower(attrs["rel"]))
		if h.canonical == "" && slices.Contains(rel, "canonical") {
			h.canonical = attrs["href"]
		}
	case "base":
		if h.base == "" {
			h.base = attrs["href"]
		}
	}
}

// readText reads the text of an element the tokenizer reads as text only,
// such as <title>, up to its end tag.
func readText(z *html.Tokenizer) string {
	var b strings.Builder
	for z.Next() == html.TextToken {
		b.Write(z.Text())
	}
	return b.String()
}

// tagAttrs returns the attributes of the current tag, by lower-cased name;
// of a name given twice, the first value wins, as in browsers.
func tagAttrs(z *html.Tokenizer) map[string]string {
	attrs := map[string]string{}
	for more := true; more; {
		var key, val []byte
		key, val, more = z.TagAttr()
		if _, seen := attrs[string(key)]; !seen {
			attrs[string(key)] = string(val)
		}
	}
	return attrs
}

// preview makes the preview of the page at page from its head.
func (h *headTags) preview(page *url.URL) *LinkPreview {
	base := page
	if b, ok := webURL(page, h.base); ok {
		base = b
	}
	p := &LinkPreview{
		URL:         page.String(),
		Title:       clip(firstText(h.meta["og:title"], h.meta["twitter:title"], h.title), previewTitleMax),
		Description: clip(firstText(h.meta["og:description"], h.meta["twitter:description"], h.meta["description"]), previewDescMax),
		SiteName:    clip(firstText(h.meta["og:site_name"]), previewTitleMax),
	}
	for _, ref := range []string{h.meta["og:url"], h.canonical} {
		if u, ok := webURL(base, ref); ok && sameSite(page, u) {
			p.URL = u.String()
			break
		}
	}
	if u, ok := webURL(base, h.meta["og:image"]); ok {
		p.ImageURL = u.String()
	}
	return p
}

// webURL resolves ref against base, if the result is an http or https URL
// with a host and no user name or password.
func webURL(base *url.URL, ref string) (*url.URL, bool) {
	ref = strings.TrimSpace(ref)
	if ref == "" || len(ref) > previewURLMax {
		return nil, false
	}
	u, err := base.Parse(ref)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, false
	}
	return u, true
}

// sameSite reports whether u is on the site of page: the same host, or the
// same registered domain (www. and amp. of one newspaper are one site, two
// blogs on one hosting domain are not). An https page is never swapped for
// an http URL.
func sameSite(page, u *url.URL) bool {
	if page.Scheme == "https" && u.Scheme != "https" {
		return false
	}
	a, b := strings.ToLower(page.Hostname()), strings.ToLower(u.Hostname())
	if a == b {
		return true
	}
	if _, err := netip.ParseAddr(a); err == nil {
		return false
	}
	siteA, errA := publicsuffix.EffectiveTLDPlusOne(a)
	siteB, errB := publicsuffix.EffectiveTLDPlusOne(b)
	return errA == nil && errB == nil && siteA == siteB
}

// tagPattern matches what looks like an HTML tag or comment inside text:
// some sites put markup in og:title. "3 < 4" is not a tag.
var tagPattern = regexp.MustCompile(`</?[A-Za-z][^<>]*>|<!--.*?-->`)

// firstText returns the first of candidates that is not empty once cleaned.
func firstText(candidates ...string) string {
	for _, c := range candidates {
		if text := cleanText(c); text != "" {
			return text
		}
	}
	return ""
}

// cleanText strips tags and control characters from s and collapses its
// whitespace. Entities are already decoded by the tokenizer, once.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	// Until none is left: removing "<b>" from "<<b>b>" leaves another.
	for tagPattern.MatchString(s) {
		s = tagPattern.ReplaceAllString(s, "")
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r):
			return ' '
		case r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069':
			// An unclosed bidi embedding or override would reorder the
			// page the preview is shown in.
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// clip shortens s to at most max characters, cutting at a space when one
// is in the second half, and marks the cut with "…".
func clip(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	cut := string([]rune(s)[:max-1])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.-–—") + "…"
}

// decodePage returns the page as UTF-8. Its encoding is found as browsers
// find it: a byte order mark, else the charset of the Content-Type, else a
// <meta> in the first 1024 bytes. Only UTF-8 and windows-1252 (which
// browsers read for pages labelled ISO-8859-1 or ASCII) are decoded:
// golang.org/x/net/html/charset needs golang.org/x/text, which the module
// does not require. A page in any other encoding is read as UTF-8, so its
// markup is parsed but its text shows U+FFFD for what is not UTF-8.
func decodePage(body io.Reader, contentType string) io.Reader {
	br := bufio.NewReader(body)
	// An error here is the tokenizer's to meet when it reads.
	prefix, _ := br.Peek(charsetPrescanAt)
	if isWindows1252(pageCharset(contentType, prefix)) {
		return &windows1252Reader{r: br}
	}
	return br
}

// pageCharset returns the charset label of a page that starts with prefix.
func pageCharset(contentType string, prefix []byte) string {
	switch {
	case bytes.HasPrefix(prefix, []byte("\xEF\xBB\xBF")):
		return "utf-8"
	case bytes.HasPrefix(prefix, []byte("\xFE\xFF")), bytes.HasPrefix(prefix, []byte("\xFF\xFE")):
		return "utf-16"
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
		return params["charset"]
	}
	z := html.NewTokenizer(bytes.NewReader(prefix))
	for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
		if name, hasAttr := z.TagName(); string(name) != "meta" || !hasAttr {
			continue
		}
		attrs := tagAttrs(z)
		if attrs["charset"] != "" {
			return attrs["charset"]
		}
		if strings.EqualFold(strings.TrimSpace(attrs["http-equiv"]), "content-type") {
			if label := charsetParam(attrs["content"]); label != "" {
				return label
			}
		}
	}
	return ""
}

// charsetParam returns the charset named in a meta content value such as
// "text/html; charset=iso-8859-1", which pages often get slightly wrong.
func charsetParam(content string) string {
	_, after, found := strings.Cut(strings.ToLower(content), "charset=")
	if !found {
		return ""
	}
	after = strings.TrimLeft(after, ` "'`)
	if i := strings.IndexAny(after, ` ;"'`); i >= 0 {
		after = after[:i]
	}
	return after
}

// isWindows1252 reports a charset label that browsers decode as
// windows-1252 (the WHATWG Encoding Standard's labels).
func isWindows1252(label string) bool {
	switch strings.ToLower(strings.Trim(label, " \t\"'")) {
	case "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
		"iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1",
		"us-ascii", "windows-1252", "x-cp1252":
		return true
	}
	return false
}

// windows1252High are the characters of bytes 0x80 to 0x9F in
// windows-1252; the other bytes are the code points of their value.
var windows1252High = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// windows1252Reader decodes windows-1252 from r into UTF-8.
type windows1252Reader struct {
	r   io.Reader
	raw [512]byte
	buf []byte // holds out
	out []byte // decoded and not yet read
	err error  // r's error, returned once out is read
}

// Read implements io.Reader.
func (d *windows1252Reader) Read(p []byte) (int, error) {
	if len(d.out) == 0 && d.err == nil {
		var n int
		n, d.err = d.r.Read(d.raw[:])
		d.buf = d.buf[:0]
		for _, b := range d.raw[:n] {
			r := rune(b)
			if b >= 0x80 && b < 0xA0 {
				r = windows1252High[b-0x80]
			}
			d.buf = utf8.AppendRune(d.buf, r)
		}
		d.out = d.buf
	}
	n := copy(p, d.out)
	d.out = d.out[n:]
	if len(d.out) == 0 {
		return n, d.err
	}
	return n, nil
}
