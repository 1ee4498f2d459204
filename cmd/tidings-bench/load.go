package main

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// wireRequest is a request made (and signed) before the timed part.
type wireRequest struct {
	method string
	url    string
	header http.Header
	body   []byte
}

// httpRequest makes the request to send.
func (w *wireRequest) httpRequest(ctx context.Context) (*http.Request, error) {
	var body io.Reader
	if w.body != nil {
		body = bytes.NewReader(w.body)
	}
	r, err := http.NewRequestWithContext(ctx, w.method, w.url, body)
	if err != nil {
		return nil, fmt.Errorf("make request: %w", err)
	}
	r.Header = w.header.Clone()
	return r, nil
}

// loadResult is what a flood of requests got.
type loadResult struct {
	statuses  map[int]int
	failures  int // no answer: connection errors
	latencies []time.Duration
	began     time.Time
	wall      time.Duration
	firstErr  error
}

// flood sends n requests, the i-th being reqs[i%len(reqs)], from conns
// connections at once, each sending its next request as soon as the
// previous one is answered. When ctx ends, no more are sent, and the
// result says so in firstErr.
func flood(ctx context.Context, reqs []*wireRequest, n, conns int) *loadResult {
	transport := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: time.Minute}
	res := &loadResult{statuses: map[int]int{}, latencies: make([]time.Duration, n)}
	var next atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	res.began = time.Now()
	for range conns {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := ctx.Err(); err != nil {
					mu.Lock()
					res.failures++
					res.firstErr = cmp.Or(res.firstErr, err)
					mu.Unlock()
					continue
				}
				start := time.Now()
				status, err := send(ctx, client, reqs[i%len(reqs)])
				res.latencies[i] = time.Since(start) // each goroutine writes its own elements
				mu.Lock()
				if err != nil {
					res.failures++
					res.firstErr = cmp.Or(res.firstErr, err)
				} else {
					res.statuses[status]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	res.wall = time.Since(res.began)
	return res
}

// send sends one request and reads the whole answer, so that the
// connection is reused.
func send(ctx context.Context, client *http.Client, w *wireRequest) (int, error) {
	r, err := w.httpRequest(ctx)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(r)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, fmt.Errorf("read answer: %w", err)
	}
	return resp.StatusCode, nil
}
