package main

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// stripeMockInstall is how to get stripe-mock, named when it is absent.
const stripeMockInstall = "go install github.com/stripe/stripe-mock@v0.203.0"

// stripeMock is a stripe-mock started for a test on loopback, behind a
// recording proxy, so that tests see what the instance asked Stripe.
type stripeMock struct {
	URL      string // the proxy's address: give it as stripe_api_url
	mu       sync.Mutex
	requests []stripeRequest
}

// stripeRequest is a request the instance made to Stripe's API.
type stripeRequest struct {
	Method, Path string
	Form         url.Values
}

// startStripeMock starts stripe-mock on 127.0.0.1 and stops it when the
// test ends. It skips the test when stripe-mock is not installed, unless
// CI=true, where it must be.
func startStripeMock(t *testing.T) *stripeMock {
	t.Helper()
	bin, err := exec.LookPath("stripe-mock")
	if err != nil {
		if home, herr := os.UserHomeDir(); herr == nil {
			if _, serr := os.Stat(filepath.Join(home, "go", "bin", "stripe-mock")); serr == nil {
				bin, err = filepath.Join(home, "go", "bin", "stripe-mock"), nil
			}
		}
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("stripe-mock is not installed; CI must install it: %s", stripeMockInstall)
		}
		t.Skipf("stripe-mock is not installed; to run this test: %s", stripeMockInstall)
	}
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:", "-https-addr", "127.0.0.1:")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("start stripe-mock: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	// stripe-mock prints its address once it listens.
	const listening = "Listening for HTTP at address: "
	lines := bufio.NewScanner(out)
	addr := ""
	for addr == "" && lines.Scan() {
		if after, ok := strings.CutPrefix(lines.Text(), listening); ok {
			addr = strings.TrimSpace(after)
		}
	}
	if addr == "" {
		t.Fatal("stripe-mock stopped before it listened")
	}
	go io.Copy(io.Discard, out)
	target, err := url.Parse("http://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	m := &stripeMock{}
	proxy := httputil.NewSingleHostReverseProxy(target)
	recorder := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		form, _ := url.ParseQuery(string(body))
		if r.Method == http.MethodGet {
			form = r.URL.Query()
		}
		m.mu.Lock()
		m.requests = append(m.requests, stripeRequest{Method: r.Method, Path: r.URL.Path, Form: form})
		m.mu.Unlock()
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(recorder.Close)
	m.URL = recorder.URL
	return m
}

// requestsTo lists the requests made to the API path.
func (m *stripeMock) requestsTo(method, path string) []stripeRequest {
	m.mu.Lock()
	defer m.mu.Unlock()
	var list []stripeRequest
	for _, r := range m.requests {
		if r.Method == method && r.Path == path {
			list = append(list, r)
		}
	}
	return list
}
