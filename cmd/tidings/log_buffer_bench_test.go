package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// BenchmarkRequestLogLine measures one request's log line as the server
// writes it (text format, seven attributes, as web's logRequests makes
// it) from both cores: straight to the output, one write(2) a line, and
// through the logBuffer. The output is a file on disk, as when stderr is
// redirected to one, or /dev/null, which costs nothing beyond the system
// call; a pipe or journald costs more per write.
func BenchmarkRequestLogLine(b *testing.B) {
	file, err := os.Create(filepath.Join(b.TempDir(), "serve.log"))
	if err != nil {
		b.Fatal(err)
	}
	defer file.Close()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer null.Close()
	for _, out := range []struct {
		name string
		f    *os.File
	}{{"file", file}, {"devnull", null}} {
		b.Run(out.name+"/direct", func(b *testing.B) {
			logLines(b, slog.NewTextHandler(out.f, nil))
		})
		b.Run(out.name+"/buffered", func(b *testing.B) {
			buf := newLogBuffer(out.f)
			defer buf.Close()
			logLines(b, flushingHandler{slog.NewTextHandler(buf, nil), buf})
		})
	}
}

// logLines logs a request line per iteration on every core and reports
// the CPU time (user and system, getrusage) per line.
func logLines(b *testing.B, h slog.Handler) {
	b.ReportAllocs()
	ctx := context.Background()
	start := processCPU()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			line := slog.NewRecord(time.Now(), slog.LevelInfo, "request", 0)
			line.AddAttrs(
				slog.String("id", "5f0c3d2a9b8e7f61"),
				slog.String("method", "GET"),
				slog.String("path", "/.well-known/webfinger"),
				slog.Int("status", 200),
				slog.Int("bytes", 412),
				slog.Duration("duration", 181*time.Microsecond),
				slog.String("ip", "127.0.0.1"),
			)
			h.Handle(ctx, line)
		}
	})
	b.ReportMetric(float64((processCPU()-start).Nanoseconds())/1e3/float64(b.N), "cpu-us/op")
}

// processCPU is the process's CPU time, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
