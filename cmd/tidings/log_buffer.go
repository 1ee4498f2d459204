package main

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// Lines of the log are written out together: every logFlushEvery, as
// soon as logFlushBytes have gathered, at once for a warning or an
// error, and when the server stops. One write(2) a request line was the
// largest cost of logging a request after encoding it; batched, a busy
// server writes one in a hundred or more.
const (
	logFlushEvery = 100 * time.Millisecond
	logFlushBytes = 32 << 10
)

// logBuffer is the server's log output: lines gather in memory and are
// written to out in batches. A line is lost only if the process dies
// without stopping (SIGKILL, a crash): at most the last logFlushEvery of
// informational lines, never a warning or an error (flushingHandler).
type logBuffer struct {
	out io.Writer

	mu  sync.Mutex
	buf []byte

	// flushing keeps batches in order: one is written at a time.
	flushing sync.Mutex
	// spare is the last batch's memory, for the next: the two are used in
	// turn, so that gathering lines allocates nothing once both have grown.
	spare []byte

	stop chan struct{}
	done chan struct{}
}

// newLogBuffer starts a buffer that writes to out every logFlushEvery
// until Close.
func newLogBuffer(out io.Writer) *logBuffer {
	b := &logBuffer{out: out, stop: make(chan struct{}), done: make(chan struct{})}
	tick := time.NewTicker(logFlushEvery)
	go func() {
		defer tick.Stop()
		b.run(tick.C)
	}()
	return b
}

// run flushes at each tick until Close.
func (b *logBuffer) run(ticks <-chan time.Time) {
	defer close(b.done)
	for {
		select {
		case <-b.stop:
			return
		case <-ticks:
			b.Flush()
		}
	}
}

// Write keeps a copy of p, a whole line as slog's handlers write them,
// and writes out what has gathered once it is logFlushBytes or more.
func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	b.buf = append(b.buf, p...)
	full := len(b.buf) >= logFlushBytes
	b.mu.Unlock()
	if full {
		return len(p), b.Flush()
	}
	return len(p), nil
}

// Flush writes out every line gathered so far. Lines written meanwhile
// gather for the next batch instead of waiting for this one.
func (b *logBuffer) Flush() error {
	b.flushing.Lock()
	defer b.flushing.Unlock()
	b.mu.Lock()
	batch := b.buf
	b.buf = b.spare[:0]
	b.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	_, err := b.out.Write(batch)
	if cap(batch) <= 2*logFlushBytes {
		b.spare = batch // a batch that grew past that is let go, not kept
	} else {
		b.spare = nil
	}
	return err
}

// Close stops the periodic flushing and writes out what is left. Lines
// written after it are written out only by a later Flush.
func (b *logBuffer) Close() error {
	close(b.stop)
	<-b.done
	return b.Flush()
}

// flushingHandler is a log handler whose warnings and errors are written
// out at once, so that the lines that explain a failure are on disk even
// if the process dies just after them.
type flushingHandler struct {
	slog.Handler
	out *logBuffer
}

// Handle logs r and, for a warning or worse, flushes the buffer.
func (h flushingHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		h.out.Flush()
	}
	return err
}

// WithAttrs returns the handler with attrs added, still flushing.
func (h flushingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return flushingHandler{h.Handler.WithAttrs(attrs), h.out}
}

// WithGroup returns the handler with a group opened, still flushing.
func (h flushingHandler) WithGroup(name string) slog.Handler {
	return flushingHandler{h.Handler.WithGroup(name), h.out}
}
