package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// imageServer is a server of files on loopback, each with the
// Content-Type a test gives it, counting how often each is fetched.
type imageServer struct {
	*httptest.Server
	mu    sync.Mutex
	files map[string]servedFile
	hits  map[string]int
}

type servedFile struct {
	contentType string
	body        []byte
}

func startImageServer(t *testing.T) *imageServer {
	t.Helper()
	s := &imageServer{files: map[string]servedFile{}, hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		f, ok := s.files[r.URL.Path]
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", f.contentType)
		w.Write(f.body)
	}))
	t.Cleanup(s.Close)
	return s
}

// put serves body at the path and returns its URL.
func (s *imageServer) put(path, contentType string, body []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[path] = servedFile{contentType, body}
	return s.URL + path
}

func (s *imageServer) hitsOf(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// testImage is a w×h picture, noisy when noisy (so it compresses badly),
// with transparency when alpha.
func testImage(w, h int, noisy, alpha bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			c := color.NRGBA{uint8(x), uint8(y), 128, 255}
			if noisy {
				c = color.NRGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255}
			}
			if alpha && x < w/2 {
				c.A = 0
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func encodeJPEG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withEXIF puts an APP1 EXIF segment, with a camera's name in it, right
// after the JPEG's start marker, as cameras and phones write them.
func withEXIF(jpegBytes []byte) []byte {
	payload := append([]byte("Exif\x00\x00"), []byte("MM\x00\x2a\x00\x00\x00\x08 SECRET-CAMERA GPS 51.5N 0.1W")...)
	segment := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(segment[2:], uint16(len(payload)+2))
	out := append([]byte{}, jpegBytes[:2]...)
	out = append(out, segment...)
	out = append(out, payload...)
	return append(out, jpegBytes[2:]...)
}

// pngClaiming is a small PNG whose header claims w×h pixels: a
// decompression bomb, as far as a decoder that trusts it is concerned.
func pngClaiming(t *testing.T, w, h uint32) []byte {
	t.Helper()
	b := encodePNG(t, testImage(1, 1, false, false))
	// The IHDR chunk follows the 8-byte signature: length, type, data, CRC.
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

var imgSrc = regexp.MustCompile(`<img[^>]* src="([^"]*)"`)

// localImages returns the src of every img on the page, and fails the
// test if one points elsewhere than this instance.
func localImages(t *testing.T, p page) []string {
	t.Helper()
	var srcs []string
	for _, m := range imgSrc.FindAllStringSubmatch(p.Body, -1) {
		if !strings.HasPrefix(m[1], "/") || strings.HasPrefix(m[1], "//") {
			t.Errorf("image from elsewhere on the page: %s", m[1])
		}
		srcs = append(srcs, m[1])
	}
	return srcs
}

// fetchMedia gets a media URL of the instance as the visitor.
func fetchMedia(t *testing.T, v *visitor, path string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, v.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := v.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp, buf.Bytes()
}

func TestRemoteImagesShownThroughTheCache(t *testing.T) {
	files := startImageServer(t)
	photo := encodeJPEG(t, testImage(64, 48, false, false))
	diagram := encodePNG(t, testImage(32, 32, false, true))
	photoURL := files.put("/media/photo.jpg", "image/jpeg", photo)
	diagramURL := files.put("/media/diagram.png", "image/png", diagram)
	svgURL := files.put("/media/logo.svg", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`))
	fakeURL := files.put("/media/page.jpg", "image/jpeg", []byte("<!doctype html><html><body><script>alert(1)</script></body></html>"))
	hugeURL := files.put("/media/huge.png", "image/png", encodePNG(t, testImage(300, 300, true, false)))
	avatarURL := files.put("/media/avatar.png", "image/png", encodePNG(t, testImage(40, 40, false, false)))
	headerURL := files.put("/media/header.jpg", "image/jpeg", encodeJPEG(t, testImage(150, 50, false, false)))
	fifthURL := files.put("/media/fifth.jpg", "image/jpeg", photo)

	inst := startInstance(t, func(c *Config) {
		federating(c)
		c.Media.MaxRemoteBytes = 64 << 10
	})
	alice := member(t, inst, "alice")
	stranger := newVisitor(t, inst)
	aliceURI := actorOf(t, inst, "alice").URI

	srv := startHostileServer(t)
	carl := srv.actor(t, "Person", "carl", map[string]any{
		"icon":  map[string]any{"type": "Image", "mediaType": "image/png", "url": avatarURL},
		"image": map[string]any{"type": "Image", "mediaType": "image/jpeg", "url": headerURL},
	})
	doc := func(mediaType, url, alt string) map[string]any {
		return map[string]any{"type": "Document", "mediaType": mediaType, "url": url, "name": alt}
	}
	note := map[string]any{
		"id": srv.URL + "/notes/1", "type": "Note", "attributedTo": carl,
		"content":   `<p>Pictures from the harbour, <span class="h-card"><a href="` + aliceURI + `">@alice</a></span></p>`,
		"published": time.Now().UTC().Format(time.RFC3339),
		"to":        []any{asPublic}, "cc": []any{carl + "/followers", aliceURI},
		"tag": []any{map[string]any{"type": "Mention", "href": aliceURI}},
		"attachment": []any{
			doc("image/jpeg", photoURL, "Fishing boats at dawn"),
			// GoToSocial's shape: an Image whose url is a Link.
			map[string]any{"type": "Image", "url": map[string]any{"type": "Link", "href": diagramURL, "mediaType": "image/png"}, "name": "A tide chart"},
			doc("image/svg+xml", svgURL, "a logo"),
			doc("video/mp4", srv.URL+"/media/clip.mp4", "a clip"),
			doc("image/jpeg", fakeURL, "not a picture"),
			doc("image/png", hugeURL, "too large"),
			doc("image/jpeg", fifthURL, "one too many"),
		},
	}
	srv.send(t, inst, map[string]any{"id": srv.URL + "/activities/1", "type": "Create", "actor": carl,
		"object": note, "to": note["to"], "cc": note["cc"]})
	settle(t, inst)

	post, err := inst.DB.PostByURI(context.Background(), srv.URL+"/notes/1")
	if err != nil {
		t.Fatal(err)
	}
	page := stranger.get("/posts/" + post.ID)
	wantStatus(t, page, http.StatusOK)
	if csp := pageCSP(t, stranger, "/posts/"+post.ID); !strings.Contains(csp, "img-src 'self' data:;") {
		t.Errorf("CSP = %q, want img-src 'self' data: only", csp)
	}
	srcs := localImages(t, page)
	if strings.Contains(page.Body, files.URL) {
		t.Errorf("the page names the image server %s", files.URL)
	}
	wantBody(t, page, `alt="Fishing boats at dawn"`, `alt="A tide chart"`, "<p>Fishing boats at dawn</p>")
	var attachments []string
	for _, src := range srcs {
		if strings.HasPrefix(src, "/media/attachment/"+post.ID+"/") {
			attachments = append(attachments, src)
		}
	}
	// The photo, the chart, the fake and the huge one: the SVG and the
	// video are no images shown, and four are kept, as Mastodon keeps.
	if got, want := len(attachments), 4; got != want {
		t.Fatalf("attachments shown = %d %v, want %d", got, attachments, want)
	}
	for _, tc := range []struct {
		src         string
		status      int
		contentType string
		body        []byte
	}{
		{attachments[0], http.StatusOK, "image/jpeg", photo},
		{attachments[1], http.StatusOK, "image/png", diagram},
		{attachments[2], http.StatusBadGateway, "", nil}, // HTML named .jpg
		{attachments[3], http.StatusBadGateway, "", nil}, // over max_remote_bytes
	} {
		resp, body := fetchMedia(t, stranger, tc.src)
		if resp.StatusCode != tc.status {
			t.Errorf("GET %s: status = %d, want %d (%s)", tc.src, resp.StatusCode, tc.status, body)
			continue
		}
		if tc.status != http.StatusOK {
			continue
		}
		if got := resp.Header.Get("Content-Type"); got != tc.contentType {
			t.Errorf("GET %s: Content-Type = %q, want %q", tc.src, got, tc.contentType)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options = %q, want nosniff", tc.src, got)
		}
		if got := resp.Header.Get("Cache-Control"); !strings.HasPrefix(got, "public, max-age=604800") {
			t.Errorf("GET %s: Cache-Control = %q, want public for 7 days", tc.src, got)
		}
		if !bytes.Equal(body, tc.body) {
			t.Errorf("GET %s: %d bytes, not the image served", tc.src, len(body))
		}
	}
	fetchMedia(t, alice, attachments[0])
	if got := files.hitsOf("/media/photo.jpg"); got != 1 {
		t.Errorf("photo fetched %d times from its server, want once (then cached)", got)
	}
	if got := files.hitsOf("/media/logo.svg") + files.hitsOf("/media/fifth.jpg"); got != 0 {
		t.Errorf("images not kept were fetched %d times", got)
	}

	// No open proxy: only what a stored post or actor points to.
	for _, path := range []string{
		"/media/attachment/" + post.ID + "/5/" + strings.Split(attachments[0], "/")[5],
		"/media/attachment/" + post.ID + "/0/0000000000000000",
		"/media/attachment/unknown/0/" + strings.Split(attachments[0], "/")[5],
		"/media/avatar/unknown/0000000000000000",
		"/media/u/tidings.db",
		"/media/u/0123456789abcdef0123456789abcdef.svg",
	} {
		if resp, _ := fetchMedia(t, stranger, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status = %d, want 404", path, resp.StatusCode)
		}
	}

	// The author's avatar and header, on their profile, through the cache.
	profile := alice.get("/@carl@" + strings.TrimPrefix(srv.URL, "http://"))
	wantStatus(t, profile, http.StatusOK)
	// The author's posts listed there show the images too, from here.
	if n := strings.Count(strings.Join(localImages(t, profile), " "), "/media/attachment/"+post.ID+"/"); n != 4 {
		t.Errorf("images of the post in the list of the author's posts = %d, want 4", n)
	}
	var avatar, header string
	for _, src := range localImages(t, profile) {
		switch {
		case strings.HasPrefix(src, "/media/avatar/"):
			avatar = src
		case strings.HasPrefix(src, "/media/header/"):
			header = src
		}
	}
	for _, src := range []string{avatar, header} {
		if src == "" {
			t.Fatalf("the profile shows no avatar or header from here:\n%s", profile.Body)
		}
		if resp, _ := fetchMedia(t, stranger, src); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status = %d, want 200", src, resp.StatusCode)
		}
	}
}

func TestPastedAvatarShownThroughTheCache(t *testing.T) {
	files := startImageServer(t)
	pasted := files.put("/me.png", "image/png", encodePNG(t, testImage(30, 30, false, false)))
	inst := startInstance(t, federating)
	member(t, inst, "alice")
	// An avatar address pasted before uploads existed.
	if _, err := inst.DB.UpdateProfile(context.Background(), actorOf(t, inst, "alice").ID,
		storage.ProfileUpdate{AvatarURL: &pasted}); err != nil {
		t.Fatal(err)
	}
	stranger := newVisitor(t, inst)
	profile := stranger.get("/@alice")
	srcs := localImages(t, profile)
	if len(srcs) != 1 || !strings.HasPrefix(srcs[0], "/media/avatar/") {
		t.Fatalf("images on the profile = %v, want the avatar from here", srcs)
	}
	if resp, _ := fetchMedia(t, stranger, srcs[0]); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
		t.Errorf("GET %s: %d %s, want the png", srcs[0], resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// pageCSP is the Content-Security-Policy the page at path is served with.
func pageCSP(t *testing.T, v *visitor, path string) string {
	t.Helper()
	resp, _ := fetchMedia(t, v, path)
	return resp.Header.Get("Content-Security-Policy")
}

func TestAttachmentsBehindTheContentWarning(t *testing.T) {
	files := startImageServer(t)
	photoURL := files.put("/p.jpg", "image/jpeg", encodeJPEG(t, testImage(20, 20, false, false)))
	inst := startInstance(t, federating)
	stranger := newVisitor(t, inst)
	srv := startHostileServer(t)
	carlURI := srv.actor(t, "Person", "carl", nil)
	carl, err := inst.Federator.ResolveActor(context.Background(), carlURI)
	if err != nil {
		t.Fatal(err)
	}
	p, err := inst.DB.SaveRemotePost(context.Background(), storage.RemotePost{
		URI: srv.URL + "/notes/cw", AuthorID: carl.ID, Content: "<p>Found in the shed</p>", Visibility: storage.Public,
		ContentWarning: "Spiders", Sensitive: true,
		Attachments: []storage.Attachment{{URL: photoURL, MediaType: "image/jpeg", Alt: "A large spider"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	page := stranger.get("/posts/" + p.ID)
	wantStatus(t, page, http.StatusOK)
	behind(t, page.Body, `<details class="content-warning"><summary>Spiders</summary>`, `alt="A large spider"`)

	// Sensitive media without a warning hide behind a details of their own.
	p, err = inst.DB.SaveRemotePost(context.Background(), storage.RemotePost{
		URI: srv.URL + "/notes/sensitive", AuthorID: carl.ID, Content: "<p>The shed again</p>", Visibility: storage.Public,
		Sensitive:   true,
		Attachments: []storage.Attachment{{URL: photoURL, MediaType: "image/jpeg", Alt: "Another spider"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	page = stranger.get("/posts/" + p.ID)
	wantStatus(t, page, http.StatusOK)
	behind(t, page.Body, `<details class="attachments-hidden"><summary>Sensitive media`, `alt="Another spider"`)
	if strings.Contains(page.Body, `class="content-warning"`) {
		t.Errorf("a post without a warning shows one:\n%s", page.Body)
	}
}

// behind checks that what is found in body after the opening of a
// details element, before it closes.
func behind(t *testing.T, body, opening, what string) {
	t.Helper()
	start := strings.Index(body, opening)
	if start < 0 {
		t.Fatalf("no %s in the page:\n%s", opening, body)
	}
	end := start + strings.Index(body[start:], "</details>")
	if at := strings.Index(body, what); at < start || at > end {
		t.Errorf("%s is not behind %s (details %d–%d, found at %d):\n%s", what, opening, start, end, at, body)
	}
}
