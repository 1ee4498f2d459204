package federation

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// testPNG is a small PNG of w×h pixels.
func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fileServer serves bodies by path with a Content-Type, counting fetches.
type fileServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func startFileServer(t *testing.T, files map[string][2]string) *fileServer {
	t.Helper()
	s := &fileServer{hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		f, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", f[0])
		w.Write([]byte(f[1]))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *fileServer) hitsOf(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func newTestMediaCache(t *testing.T, allowPrivate bool, maxBytes int64) *MediaCache {
	t.Helper()
	f := New(nil, Config{Version: "test", AllowPrivateAddresses: allowPrivate}, slog.New(slog.DiscardHandler))
	c, err := f.NewMediaCache(MediaCacheConfig{Dir: filepath.Join(t.TempDir(), "cache"), MaxBytes: maxBytes, MaxAge: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMediaCacheFetchesOnceAndExpires(t *testing.T) {
	pic := testPNG(t, 8, 8)
	srv := startFileServer(t, map[string][2]string{"/pic.png": {"application/octet-stream", string(pic)}})
	c := newTestMediaCache(t, true, 1<<20)
	ctx, now := context.Background(), time.Now()

	img, err := c.Image(ctx, srv.URL+"/pic.png", now)
	if err != nil {
		t.Fatal(err)
	}
	if img.MediaType != "image/png" {
		t.Errorf("media type = %q, want image/png (from the bytes, not the header)", img.MediaType)
	}
	if got, _ := os.ReadFile(img.Path); !bytes.Equal(got, pic) {
		t.Errorf("cached file differs from the image served")
	}
	if _, err := c.Image(ctx, srv.URL+"/pic.png", now.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := srv.hitsOf("/pic.png"); got != 1 {
		t.Errorf("fetches within the cache's age = %d, want 1", got)
	}
	if _, err := c.Image(ctx, srv.URL+"/pic.png", now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := srv.hitsOf("/pic.png"); got != 2 {
		t.Errorf("fetches after the cache's age = %d, want 2", got)
	}

	// Expire removes old copies, and leaves what is not the cache's.
	stranger := filepath.Join(c.cfg.Dir, "notes.txt")
	if err := os.WriteFile(stranger, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	n, err := c.Expire(time.Now().Add(time.Minute))
	if err != nil || n != 1 {
		t.Errorf("Expire = %d, %v; want 1 file removed", n, err)
	}
	if _, err := os.Stat(stranger); err != nil {
		t.Errorf("Expire removed a file not of the cache: %v", err)
	}
	if _, err := c.Image(ctx, srv.URL+"/pic.png", time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := srv.hitsOf("/pic.png"); got != 3 {
		t.Errorf("fetches after expiry = %d, want 3", got)
	}
}

func TestMediaCacheRefuses(t *testing.T) {
	srv := startFileServer(t, map[string][2]string{
		"/logo.svg":   {"image/svg+xml", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`},
		"/page.jpg":   {"image/jpeg", "<!doctype html><title>hi</title>"},
		"/big.png":    {"image/png", string(testPNG(t, 8, 8)) + string(make([]byte, 4096))},
		"/giant.png":  {"image/png", string(pngSized(t, 100000, 10))},
		"/broken.gif": {"image/gif", "GIF89a"},
	})
	c := newTestMediaCache(t, true, 2048)
	for _, tc := range []struct {
		path string
		want error
	}{
		{"/logo.svg", ErrNotImage},
		{"/page.jpg", ErrNotImage},
		{"/big.png", ErrBodyTooLarge},
		{"/giant.png", ErrNotImage},
		{"/broken.gif", ErrNotImage},
	} {
		_, err := c.Image(context.Background(), srv.URL+tc.path, time.Now())
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.path, err, tc.want)
		}
	}
	_, err := c.Image(context.Background(), srv.URL+"/missing.png", time.Now())
	var status *StatusError
	if !errors.As(err, &status) || status.Code != http.StatusNotFound {
		t.Errorf("missing: err = %v, want a 404 StatusError", err)
	}
	entries, _ := os.ReadDir(c.cfg.Dir)
	if len(entries) != 0 {
		t.Errorf("refused fetches left %d files in the cache", len(entries))
	}

	// Without allow_private_addresses, loopback is out of reach.
	closed := newTestMediaCache(t, false, 2048)
	if _, err := closed.Image(context.Background(), srv.URL+"/logo.svg", time.Now()); !errors.Is(err, ErrScheme) && !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("loopback without permission: err = %v, want a refusal", err)
	}
	if got := srv.hitsOf("/logo.svg"); got != 1 {
		t.Errorf("the refused client reached the server (%d fetches)", got)
	}
}

// pngSized is a PNG whose header states w×h pixels.
func pngSized(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
