package web

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"
)

type contextKey int

const (
	requestIDKey contextKey = iota
	memberKey
	csrfCookieKey
)

// requestID returns the id the request is logged under.
func requestID(r *http.Request) string {
	id, _ := r.Context().Value(requestIDKey).(string)
	return id
}

// statusRecorder remembers what a handler answered, for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (rec *statusRecorder) WriteHeader(status int) {
	if rec.status == 0 {
		rec.status = status
	}
	rec.ResponseWriter.WriteHeader(status)
}

func (rec *statusRecorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	n, err := rec.ResponseWriter.Write(b)
	rec.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer.
func (rec *statusRecorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// logRequests gives each request an id and logs one line when it ends.
//
// It is on every request, so it is kept cheap (BenchmarkLogRequests): the
// id comes from the runtime's generator rather than the kernel's, the
// level is asked before anything is built, and the line goes to the
// handler as a record without the caller's program counter, which no
// handler here prints.
func (s *Server) logRequests(next http.Handler) http.Handler {
	handler := s.log.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		w.Header()["X-Request-Id"] = []string{id}
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelError
		}
		ctx := r.Context()
		if !handler.Enabled(ctx, level) {
			return
		}
		end := time.Now()
		line := slog.NewRecord(end, level, "request", 0)
		line.AddAttrs(
			slog.String("id", id),
			slog.String("method", r.Method),
			slog.String("path", loggedPath(r.URL.Path)),
			slog.Int("status", rec.status),
			slog.Int("bytes", rec.bytes),
			slog.Duration("duration", end.Sub(start)),
			slog.String("ip", s.clientIP(r)),
		)
		handler.Handle(ctx, line) // as slog.Logger does, a failed write is not reported
	})
}

// newRequestID is 16 hex digits from the runtime's random generator
// (ChaCha8, seeded by the kernel): unique enough to find a request in the
// log, and not to be guessed from others.
func newRequestID() string {
	var raw [8]byte
	binary.LittleEndian.PutUint64(raw[:], rand.Uint64())
	var text [16]byte
	hex.Encode(text[:], raw[:])
	return string(text[:])
}

// recoverPanics turns a panic in a handler into the error page and a log
// line, instead of a dropped connection.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic in handler", "path", loggedPath(r.URL.Path), "panic", v)
				s.renderError(w, r, http.StatusInternalServerError, "Something went wrong on our side. Please try again later.")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// secureHeaders sets headers that keep browsers from sniffing types,
// framing the site, leaking full URLs or running foreign scripts (the
// site's own, static/read-time.js, is the only script allowed).
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy",
			"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
				"form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		if s.cfg.secureCookies() {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}
