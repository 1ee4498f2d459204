package federation

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tidings-social/tidings/storage"
)

// newPreviewFederator returns a federator whose client reaches loopback
// only if allowPrivate.
func newPreviewFederator(t *testing.T, allowPrivate bool) *Federator {
	t.Helper()
	site := storage.Site{Scheme: "http", Domain: "127.0.0.1:1"}
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), site)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := New(db, Config{Site: site, Version: "test", AllowPrivateAddresses: allowPrivate}, slog.New(slog.DiscardHandler))
	t.Cleanup(f.client.transport.CloseIdleConnections)
	return f
}

// servePage answers with testdata/pages/name as contentType, with
// {{origin}} replaced by the origin the request was sent to.
func servePage(t *testing.T, name, contentType string) http.HandlerFunc {
	t.Helper()
	page, err := os.ReadFile(filepath.Join("testdata", "pages", name))
	if err != nil {
		t.Fatal(err)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(bytes.ReplaceAll(page, []byte("{{origin}}"), []byte("http://"+r.Host)))
	}
}

func TestFetchLinkPreview(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/news/2026/ferry-timetable", servePage(t, "article.html", "text/html; charset=utf-8"))
	mux.Handle("/xhtml/ferry-timetable", servePage(t, "article.html", "application/xhtml+xml"))
	mux.Handle("/s/ferry", http.RedirectHandler("/news/2026/ferry-timetable?ref=short", http.StatusMovedPermanently))
	mux.Handle("/minutes/april", servePage(t, "plain.html", "text/html"))
	mux.Handle("/latin1/meta", servePage(t, "latin1.html", "text/html"))
	mux.Handle("/latin1/header", servePage(t, "latin1.html", "text/html; charset=ISO-8859-1"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got, want := r.Header.Get("Accept"), "text/html,application/xhtml+xml"; got != want {
			t.Errorf("Accept = %q, want %q", got, want)
		}
		if got := r.Header.Get("User-Agent"); !strings.HasPrefix(got, "Tidings/test ") {
			t.Errorf("User-Agent = %q, want Tidings/test …", got)
		}
		mux.ServeHTTP(w, r)
	}))
	defer srv.Close()
	f := newPreviewFederator(t, true)

	origin := srv.URL
	article := LinkPreview{
		URL:         origin + "/news/2026/ferry-timetable",
		Title:       "Ferry timetable changes from Monday: what commuters need to know",
		Description: "The early crossing moves to 6:40 & the last boat leaves at 22:15. The council says the change follows a summer of complaints about crowding on the 7:10.",
		SiteName:    "The Harbour Gazette",
		ImageURL:    origin + "/media/2026/05/ferry-at-dawn-1200x630.jpg",
	}
	latin1 := LinkPreview{
		Title:       "Café owners in Zürich welcome the “new” bike lanes — mostly",
		Description: "Along the Limmatquai, the owners of three cafés say trade is up by a fifth since the lanes opened. Prices: 4,50 € for a coffee, ½ price before nine.",
		SiteName:    "Seeblick Zeitung",
	}
	tests := []struct {
		name string
		path string
		want LinkPreview
	}{
		{"news article with OpenGraph", "/news/2026/ferry-timetable?utm_source=share", article},
		{"xhtml article", "/xhtml/ferry-timetable", article},
		{"redirect to the canonical page", "/s/ferry", article},
		{"title and description only", "/minutes/april", LinkPreview{
			URL:         origin + "/minutes/april",
			Title:       "Parish Council — Minutes of the April meeting",
			Description: "Minutes of the April meeting: the bus shelter, the village hall roof and the date of the summer fete.",
		}},
		{"ISO-8859-1 named in a meta tag", "/latin1/meta", withURL(latin1, origin+"/latin1/meta")},
		{"ISO-8859-1 named in the header", "/latin1/header", withURL(latin1, origin+"/latin1/header")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.FetchLinkPreview(context.Background(), origin+tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if *got != tt.want {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

// withURL returns p with its URL set.
func withURL(p LinkPreview, url string) LinkPreview {
	p.URL = url
	return p
}

// streamPage answers with head, then filler over and over, up to 64 MiB,
// counting the bytes it manages to write.
func streamPage(head, filler string, written *atomic.Int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		chunk := []byte(strings.Repeat(filler, 32<<10/len(filler)+1))
		n, err := io.WriteString(w, head)
		for written.Add(int64(n)); err == nil && written.Load() < 64<<20; written.Add(int64(n)) {
			n, err = w.Write(chunk)
		}
	}
}

func TestFetchLinkPreviewReadsOnlyTheHead(t *testing.T) {
	tests := []struct {
		name   string
		head   string
		filler string
		want   LinkPreview
	}{
		{
			name:   "oversized page, head first",
			head:   `<!doctype html><html><head><title>Budget vote tonight</title><meta property="og:site_name" content="The Harbour Gazette"></head><body>`,
			filler: `<p>Councillors debated the harbour budget late into the night.</p><meta property="og:description" content="from the body">` + "\n",
			want:   LinkPreview{Title: "Budget vote tonight", SiteName: "The Harbour Gazette"},
		},
		{
			name:   "head that never ends",
			head:   `<html><head><title>Tide tables for the week</title>` + "\n",
			filler: `<meta name="keywords" content="tides, harbour, boats, weather, moorings, pilots">` + "\n",
			want:   LinkPreview{Title: "Tide tables for the week"},
		},
	}
	f := newPreviewFederator(t, true)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var written atomic.Int64
			srv := httptest.NewServer(streamPage(tt.head, tt.filler, &written))
			defer srv.Close()
			start := time.Now()
			got, err := f.FetchLinkPreview(context.Background(), srv.URL+"/page")
			if err != nil {
				t.Fatal(err)
			}
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("took %v, want well under the 5 s timeout", took)
			}
			srv.Close() // waits for the handler, so written is final
			if n := written.Load(); n >= 32<<20 {
				t.Errorf("server wrote %d bytes before the client hung up, want far fewer", n)
			}
			tt.want.URL = srv.URL + "/page"
			if *got != tt.want {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestFetchLinkPreviewErrors(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/report.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		io.WriteString(w, "%PDF-1.7\n% the annual report of the harbour trust\n")
	})
	mux.HandleFunc("/untyped", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil // no sniffing either
		io.WriteString(w, "<title>untyped</title>")
	})
	mux.Handle("/loop", http.RedirectHandler("/loop", http.StatusFound))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := newPreviewFederator(t, true)

	tests := []struct {
		name    string
		url     string
		wantIs  error
		wantMsg string
	}{
		{"pdf", srv.URL + "/report.pdf", ErrNotWebPage, "Could not fetch the page: the link is not a web page."},
		{"no content type", srv.URL + "/untyped", ErrNotWebPage, "Could not fetch the page: the link is not a web page."},
		{"not found", srv.URL + "/gone", nil, "Could not fetch the page: the site answered 404 Not Found."},
		{"redirect loop", srv.URL + "/loop", ErrTooManyRedirects, "Could not fetch the page: the site redirected too many times."},
		{"ftp", "ftp://" + srv.Listener.Addr().String() + "/file", ErrScheme, "Could not fetch the page: the link is not an http or https address."},
		{"relative", "/news/2026/ferry-timetable", ErrInvalidURL, "Could not fetch the page: the link is not an http or https address."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.FetchLinkPreview(context.Background(), tt.url)
			checkPreviewError(t, err, tt.wantIs, tt.wantMsg)
		})
	}
}

// checkPreviewError fails unless err is a *PreviewError matching wantIs
// (when not nil) whose user message is wantMsg and names no address.
func checkPreviewError(t *testing.T, err error, wantIs error, wantMsg string) {
	t.Helper()
	var pe *PreviewError
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v, want a *PreviewError", err)
	}
	if wantIs != nil && !errors.Is(err, wantIs) {
		t.Errorf("error = %v, want errors.Is %v", err, wantIs)
	}
	if got := pe.UserMessage(); got != wantMsg {
		t.Errorf("UserMessage() = %q, want %q", got, wantMsg)
	}
	if strings.Contains(pe.UserMessage(), "127.0.0.1") || strings.Contains(pe.UserMessage(), "localhost") {
		t.Errorf("UserMessage() = %q names an address", pe.UserMessage())
	}
}

func TestFetchLinkPreviewRefusesPrivateAddresses(t *testing.T) {
	srv, hits := countingServer(t, "127.0.0.1:0", false, servePage(t, "plain.html", "text/html"))
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	f := newPreviewFederator(t, false)
	for _, url := range []string{srv.URL + "/minutes/april", "http://localhost:" + port + "/minutes/april"} {
		t.Run(url, func(t *testing.T) {
			_, err := f.FetchLinkPreview(context.Background(), url)
			checkPreviewError(t, err, ErrPrivateAddress, "Could not fetch the page: the site is not on the public internet.")
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("server got %d requests, want 0", n)
	}
}

func TestFetchLinkPreviewTimeout(t *testing.T) {
	tests := []struct {
		name string
		head string // written before the server stalls; "" for no answer at all
	}{
		{"no answer", ""},
		{"head cut short", `<html><head><title>Slow news</title><meta property="og:desc`},
	}
	f := newPreviewFederator(t, true)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.head != "" {
					w.Header().Set("Content-Type", "text/html")
					io.WriteString(w, tt.head)
					w.(http.Flusher).Flush()
				}
				select {
				case <-r.Context().Done():
				case <-time.After(10 * time.Second):
				}
			}))
			defer srv.Close()
			// The caller's deadline stands in for the 5 s one, to keep the test fast.
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := f.FetchLinkPreview(ctx, srv.URL+"/slow")
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("took %v, want about 200ms", took)
			}
			checkPreviewError(t, err, context.DeadlineExceeded, "Could not fetch the page: the site took too long to answer.")
		})
	}
}

func TestPreviewHead(t *testing.T) {
	const page = "https://www.harbour.example/news/1"
	long := strings.Repeat("harbour ", 60)
	tests := []struct {
		name string
		in   string
		want LinkPreview // URL is page unless given
	}{
		{"empty", "", LinkPreview{}},
		{"no head", `<title>Only a title</title><p>and text`, LinkPreview{Title: "Only a title"}},
		{"no html at all", "just some words", LinkPreview{}},
		{"unclosed title", `<head><title>Storm warning for the coast`, LinkPreview{Title: "Storm warning for the coast"}},
		{"unclosed meta", `<head><meta property="og:title" content="Kept"><meta name="description" content="cut`, LinkPreview{Title: "Kept"}},
		{"meta without content", `<meta property="og:title"><meta property="og:title" content="  "><meta property="og:title" content="Has content">`, LinkPreview{Title: "Has content"}},
		{"multiple og:title, first wins", `<meta property="og:title" content="First"><meta property="og:title" content="Second">`, LinkPreview{Title: "First"}},
		{"uppercase names", `<HEAD><META PROPERTY="OG:TITLE" CONTENT="Shouting"><Meta Name="DESCRIPTION" Content="Loud"></HEAD>`, LinkPreview{Title: "Shouting", Description: "Loud"}},
		{"property or name", `<meta name="og:title" content="By name"><meta property="twitter:description" content="By property">`, LinkPreview{Title: "By name", Description: "By property"}},
		{"both attributes", `<meta name="description" property="og:description" content="Both">`, LinkPreview{Description: "Both"}},
		{"duplicate attribute, first wins", `<meta property="og:title" property="og:url" content="Dup">`, LinkPreview{Title: "Dup"}},
		{"unquoted and self-closing", `<meta property=og:title content=Unquoted /><meta property="og:site_name" content="Gazette"/>`, LinkPreview{Title: "Unquoted", SiteName: "Gazette"}},
		{"og before twitter before title", `<title>T</title><meta name="twitter:title" content="TW"><meta property="og:title" content="OG">`, LinkPreview{Title: "OG"}},
		{"twitter before title", `<title>T</title><meta name="twitter:title" content="TW">`, LinkPreview{Title: "TW"}},
		{"description order", `<meta name="description" content="D"><meta name="twitter:description" content="TW">`, LinkPreview{Description: "TW"}},
		{"empty og:title falls back", `<title>Fallback</title><meta property="og:title" content="<b></b>">`, LinkPreview{Title: "Fallback"}},
		{"entities decoded once", `<meta property="og:title" content="Q&amp;A: &#8220;cuts&#8221; &eacute;t&eacute; 3 &lt; 4 &amp;amp;">`, LinkPreview{Title: "Q&A: “cuts” été 3 < 4 &amp;"}},
		{"tags stripped", `<meta property="og:title" content="&lt;b&gt;Budget&lt;/b&gt; passes <br/>tonight&lt;!-- x --&gt;"><title><i>ignored</i></title>`, LinkPreview{Title: "Budget passes tonight"}},
		{"tags in title element", `<title>The <em>real</em> story</title>`, LinkPreview{Title: "The real story"}},
		{"whitespace collapsed", "<title>\n\t Ferry \u00a0 news\r\n </title>", LinkPreview{Title: "Ferry news"}},
		{"control characters", "<meta property=\"og:title\" content=\"bell\x07 esc\x1b[31m nul\x00 \u202eevil\u202c end\">", LinkPreview{Title: "bell esc [31m nul\ufffd evil end"}},
		{"invalid UTF-8", "<title>caf\xe9 \xff</title>", LinkPreview{Title: "caf\ufffd \ufffd"}},
		{"body ends the head", `<head></head><body><meta property="og:title" content="Body">`, LinkPreview{}},
		{"body without head end", `<title>A</title><body><meta property="og:title" content="Body">`, LinkPreview{Title: "A"}},
		{"head end without body", `<title>A</title></head><meta property="og:title" content="After">`, LinkPreview{Title: "A"}},
		{"comment", `<head><!-- <meta property="og:title" content="commented"> --><title>Real</title>`, LinkPreview{Title: "Real"}},
		{"head end in a script", `<script>var s = "</head><body>";</script><meta property="og:title" content="After script">`, LinkPreview{Title: "After script"}},
		{"garbage", "\xff\xfe<<<>>>&&&;;<!--<meta<", LinkPreview{}},
		{"long title clipped", `<title>` + long + `</title>`, LinkPreview{Title: strings.TrimSpace(long[:192]) + "…"}},
		{"canonical relative", `<link rel="canonical" href="/news/1-ferry">`, LinkPreview{URL: "https://www.harbour.example/news/1-ferry"}},
		{"og:url before canonical", `<link rel="canonical" href="/c"><meta property="og:url" content="https://www.harbour.example/og">`, LinkPreview{URL: "https://www.harbour.example/og"}},
		{"other site ignored", `<meta property="og:url" content="https://elsewhere.example/x"><link rel="Alternate CANONICAL" href="https://amp.harbour.example/news/1">`, LinkPreview{URL: "https://amp.harbour.example/news/1"}},
		{"other site only", `<meta property="og:url" content="https://elsewhere.example/x">`, LinkPreview{}},
		{"no downgrade to http", `<link rel="canonical" href="http://www.harbour.example/news/1">`, LinkPreview{}},
		{"canonical with password", `<link rel="canonical" href="https://u:p@www.harbour.example/news/1">`, LinkPreview{}},
		{"image relative", `<meta property="og:image" content="img/a.jpg">`, LinkPreview{ImageURL: "https://www.harbour.example/news/img/a.jpg"}},
		{"image against base", `<base href="https://cdn.harbour.example/assets/"><meta property="og:image" content="img/a.jpg">`, LinkPreview{ImageURL: "https://cdn.harbour.example/assets/img/a.jpg"}},
		{"image protocol-relative", `<meta property="og:image" content="//cdn.example/a.png">`, LinkPreview{ImageURL: "https://cdn.example/a.png"}},
		{"image javascript", `<meta property="og:image" content="javascript:alert(1)">`, LinkPreview{}},
		{"image data", `<meta property="og:image" content="data:image/png;base64,AAAA">`, LinkPreview{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readPreview(strings.NewReader(tt.in), page, "text/html")
			if err != nil {
				t.Fatal(err)
			}
			if tt.want.URL == "" {
				tt.want.URL = page
			}
			if *got != tt.want {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestPreviewClip(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"exactly ten", 11, "exactly ten"},
		{"the ferry leaves at dawn", 12, "the ferry…"},
		{"the ferry, leaves", 11, "the ferry…"},
		{"Donaudampfschifffahrt", 10, "Donaudamp…"},
		{"港の渡し船の時刻表が変わります", 8, "港の渡し船の時…"},
		{"a bcdefghijklmnop", 10, "a bcdefgh…"},
	}
	for _, tt := range tests {
		if got := clip(tt.in, tt.max); got != tt.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
		if n := utf8.RuneCountInString(clip(tt.in, tt.max)); n > tt.max {
			t.Errorf("clip(%q, %d) has %d characters", tt.in, tt.max, n)
		}
	}
}

func TestPreviewCharset(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		prefix      string
		want        string
	}{
		{"nothing", "text/html", "<html><head><title>x</title>", ""},
		{"header", "text/html; charset=ISO-8859-1", "<meta charset=utf-8>", "ISO-8859-1"},
		{"byte order mark beats header", "text/html; charset=ISO-8859-1", "\xEF\xBB\xBF<html>", "utf-8"},
		{"meta charset", "text/html", `<!doctype html><meta charset="windows-1252">`, "windows-1252"},
		{"http-equiv", "text/html", `<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=Latin1;">`, "latin1"},
		{"http-equiv without charset", "text/html", `<meta http-equiv="content-type" content="text/html">`, ""},
		{"meta past the prescan", "text/html", strings.Repeat(" ", charsetPrescanAt) + `<meta charset="latin1">`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := []byte(tt.prefix)
			prefix = prefix[:min(len(prefix), charsetPrescanAt)]
			if got := pageCharset(tt.contentType, prefix); got != tt.want {
				t.Errorf("pageCharset = %q, want %q", got, tt.want)
			}
		})
	}
	for label, want := range map[string]bool{"ISO-8859-1": true, `"latin1"`: true, "Windows-1252": true, "us-ascii": true, "utf-8": false, "iso-8859-2": false, "": false} {
		if got := isWindows1252(label); got != want {
			t.Errorf("isWindows1252(%q) = %v, want %v", label, got, want)
		}
	}
}

func TestPreviewWindows1252Reader(t *testing.T) {
	in := "caf\xe9 \x93quoted\x94 \x80 \x96 \x9f \x81 \xff"
	want := "café “quoted” € – Ÿ \u0081 ÿ"
	got, err := io.ReadAll(iotest.OneByteReader(&windows1252Reader{r: strings.NewReader(in)}))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if err := iotest.TestReader(&windows1252Reader{r: strings.NewReader(in)}, []byte(want)); err != nil {
		t.Error(err)
	}
	errBroken := errors.New("connection reset")
	r := &windows1252Reader{r: io.MultiReader(strings.NewReader("ok"), iotest.ErrReader(errBroken))}
	if got, err := io.ReadAll(r); string(got) != "ok" || !errors.Is(err, errBroken) {
		t.Errorf("ReadAll = %q, %v; want %q, %v", got, err, "ok", errBroken)
	}
}

// FuzzPreviewHead checks that no page makes the reader panic or return
// text that breaks the preview's promises.
func FuzzPreviewHead(f *testing.F) {
	for _, seed := range []string{
		"", "<head><title>x</title></head>", `<meta property="og:title" content="a &amp; b">`,
		"<title>unclosed", "<<<>>>", "\xff\xfe\x00<meta", `<link rel=canonical href="//x">`,
		`<base href="javascript:x"><meta property=og:image content="a">`,
	} {
		f.Add(seed, "text/html")
	}
	f.Add("caf\xe9", "text/html; charset=latin1")
	f.Fuzz(func(t *testing.T, in, contentType string) {
		p, err := readPreview(strings.NewReader(in), "https://news.example/a", contentType)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{p.Title, p.Description, p.SiteName} {
			if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 || s != strings.TrimSpace(s) {
				t.Errorf("text %q is not clean", s)
			}
		}
		if n := utf8.RuneCountInString(p.Title); n > previewTitleMax {
			t.Errorf("title has %d characters", n)
		}
		if n := utf8.RuneCountInString(p.Description); n > previewDescMax {
			t.Errorf("description has %d characters", n)
		}
	})
}
