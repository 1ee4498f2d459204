package main

import (
	"bufio"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
)

// serveLog is the server's log file, which start writes.
func serveLog(in *instance) string { return filepath.Join(in.dir, "serve.log") }

// logSize is how long the server's log is now (0 when it cannot be read).
func logSize(in *instance) int64 {
	fi, err := os.Stat(serveLog(in))
	if err != nil {
		return 0
	}
	return fi.Size()
}

// deliveryFailedLine is the server's log line for a failed delivery
// attempt, in the text format logging has by default.
var deliveryFailedLine = regexp.MustCompile(`msg="delivery failed" inbox=(\S+)`)

// failedAttempts counts the failed delivery attempts the server logged
// after offset from in its log, by the inbox's host.
func failedAttempts(in *instance, from int64) (map[string]int, error) {
	f, err := os.Open(serveLog(in))
	if err != nil {
		return nil, fmt.Errorf("read server log: %w", err)
	}
	defer f.Close()
	if _, err := f.Seek(from, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read server log: %w", err)
	}
	return countFailedAttempts(f)
}

// countFailedAttempts counts the failed delivery lines of a log by host.
func countFailedAttempts(r io.Reader) (map[string]int, error) {
	counts := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		m := deliveryFailedLine.FindSubmatch(sc.Bytes())
		if m == nil {
			continue
		}
		if u, err := url.Parse(string(m[1])); err == nil {
			counts[u.Host]++
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read server log: %w", err)
	}
	return counts, nil
}
