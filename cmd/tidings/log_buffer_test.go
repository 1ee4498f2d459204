package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the flusher and the test at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// newTestLogBuffer is a logBuffer flushed only by the ticks the test
// sends, so that nothing depends on timing.
func newTestLogBuffer(out *syncBuffer) (*logBuffer, chan time.Time) {
	b := &logBuffer{out: out, stop: make(chan struct{}), done: make(chan struct{})}
	ticks := make(chan time.Time)
	go b.run(ticks)
	return b, ticks
}

func TestLogBufferKeepsLinesUntilFlushed(t *testing.T) {
	out := &syncBuffer{}
	b, ticks := newTestLogBuffer(out)
	defer b.Close()
	fmt.Fprintln(b, "first")
	fmt.Fprintln(b, "second")
	if got := out.String(); got != "" {
		t.Errorf("written before any flush: %q", got)
	}
	ticks <- time.Now()
	ticks <- time.Now() // received only once the first tick's flush is done
	if got, want := out.String(), "first\nsecond\n"; got != want {
		t.Errorf("after a tick: got %q, want %q", got, want)
	}
}

func TestLogBufferWritesAFullBufferAtOnce(t *testing.T) {
	out := &syncBuffer{}
	b, _ := newTestLogBuffer(out)
	defer b.Close()
	line := strings.Repeat("x", 1023) + "\n"
	for range logFlushBytes / len(line) {
		b.Write([]byte(line))
	}
	if got, want := len(out.String()), logFlushBytes; got != want {
		t.Errorf("%d bytes written once %d gathered, want %d", got, logFlushBytes, want)
	}
}

// TestLogBufferCloseLosesNothing writes from many goroutines at once, as
// requests do, and checks that after Close every line is out whole.
func TestLogBufferCloseLosesNothing(t *testing.T) {
	out := &syncBuffer{}
	b, ticks := newTestLogBuffer(out)
	log := slog.New(slog.NewTextHandler(b, nil))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				log.Info("request", "g", g, "i", i, "pad", strings.Repeat("p", 100))
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			ticks <- time.Now()
		}
	})
	wg.Wait()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if got, want := len(lines), 8*500; got != want {
		t.Fatalf("%d lines out, want %d", got, want)
	}
	seen := map[string]bool{}
	for _, l := range lines {
		g, i := strings.Index(l, " g="), strings.Index(l, " i=")
		if !strings.HasPrefix(l, "time=") || g < 0 || i < 0 || !strings.HasSuffix(l, strings.Repeat("p", 100)) {
			t.Fatalf("a line is not whole: %q", l)
		}
		seen[l[g:strings.Index(l, " pad=")]] = true
	}
	if len(seen) != 8*500 {
		t.Errorf("%d distinct lines, want %d", len(seen), 8*500)
	}
}

func TestFlushingHandlerWritesWarningsAtOnce(t *testing.T) {
	out := &syncBuffer{}
	b, _ := newTestLogBuffer(out)
	defer b.Close()
	log := slog.New(flushingHandler{slog.NewTextHandler(b, nil), b}).With("component", "test")
	log.Info("an ordinary line")
	if got := out.String(); got != "" {
		t.Errorf("an info line was written at once: %q", got)
	}
	log.WithGroup("g").Warn("something is wrong")
	got := out.String()
	if !strings.Contains(got, "an ordinary line") || !strings.Contains(got, "something is wrong") || !strings.Contains(got, "component=test") {
		t.Errorf("after a warning, got %q, want both lines", got)
	}
	log.Error("failed", "err", context.Canceled)
	if !strings.Contains(out.String(), "msg=failed") {
		t.Errorf("an error line was not written at once: %q", out.String())
	}
}
