package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/tidings-social/tidings/federation"
	"github.com/tidings-social/tidings/storage"
)

// benchWriter is a ResponseWriter that keeps only the status, so that a
// benchmark measures the server rather than a recorder.
type benchWriter struct {
	h      http.Header
	status int
}

func (w *benchWriter) Header() http.Header         { return w.h }
func (w *benchWriter) WriteHeader(status int)      { w.status = status }
func (w *benchWriter) Write(b []byte) (int, error) { return len(b), nil }

// benchCPU is the process's CPU time, user and system (getrusage).
func benchCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// serveParallel serves r with h on every core and reports CPU per request.
func serveParallel(b *testing.B, h http.Handler, r *http.Request) {
	b.ReportAllocs()
	start := benchCPU()
	b.RunParallel(func(pb *testing.PB) {
		w := &benchWriter{h: http.Header{}}
		for pb.Next() {
			clear(w.h)
			w.status = 0
			h.ServeHTTP(w, r)
		}
	})
	b.ReportMetric(float64((benchCPU()-start).Nanoseconds())/1e3/float64(b.N), "cpu-us/op")
}

// BenchmarkLogRequests measures what the request log adds to a request
// whose handler does nothing: the id, the recorder and the JSON line the
// production logger writes, to io.Discard and to a file (/dev/null).
func BenchmarkLogRequests(b *testing.B) {
	s := &Server{log: slog.New(slog.NewJSONHandler(io.Discard, nil))}
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	r := httptest.NewRequest(http.MethodGet, "/.well-known/webfinger?resource=acct:a@b", nil)
	b.Run("logged", func(b *testing.B) { serveParallel(b, s.logRequests(ok), r) })
	b.Run("bare", func(b *testing.B) { serveParallel(b, ok, r) })
	// As in production, where each line is a write(2) to stderr.
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer null.Close()
	file := &Server{log: slog.New(slog.NewJSONHandler(null, nil))}
	b.Run("logged-to-file", func(b *testing.B) { serveParallel(b, file.logRequests(ok), r) })
}

// BenchmarkSiteDiscoveryGet measures WebFinger and actor GETs through the
// whole site handler, every middleware included, as `tidings serve`
// answers them.
func BenchmarkSiteDiscoveryGet(b *testing.B) {
	ctx := context.Background()
	site := storage.Site{Scheme: "https", Domain: "bench.example"}
	db, err := storage.Open(ctx, filepath.Join(b.TempDir(), "tidings.db"), site)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.CreateMember(ctx, storage.MemberCreate{Username: "reader", Email: "reader@example.org", Password: "a long password"}); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	fed := federation.New(db, federation.Config{Site: site, Version: "bench"}, log)
	s, err := NewServer(ctx, db, fed, Config{Domain: site.Domain, Scheme: site.Scheme, Version: "bench"}, log)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ name, path string }{
		{"webfinger", "/.well-known/webfinger?resource=acct:reader@bench.example"},
		{"actor", "/users/reader"},
	} {
		r := httptest.NewRequest(http.MethodGet, "https://bench.example"+c.path, nil)
		r.Header.Set("Accept", "application/activity+json")
		w := &benchWriter{h: http.Header{}}
		if s.ServeHTTP(w, r); w.status != 0 && w.status != http.StatusOK {
			b.Fatalf("%s: status %d", c.path, w.status)
		}
		b.Run(c.name, func(b *testing.B) { serveParallel(b, s, r) })
	}
}
