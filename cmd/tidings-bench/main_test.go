package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseOptions(t *testing.T) {
	for _, tt := range []struct {
		args    []string
		wantErr string
	}{
		{nil, ""},
		{[]string{"-only", "inbox", "-creates", "20", "-json"}, ""},
		{[]string{"-only", "outbox"}, "want inbox, webfinger, actor or fanout"},
		{[]string{"-only", "fanout", "-instances", "10", "-dead", "0.2", "-latency-min", "1ms", "-latency-max", "2ms"}, ""},
		{[]string{"-instances", "0"}, "want 1 to 5000"},
		{[]string{"-dead", "1"}, "want a share"},
		{[]string{"-dead", "-0.1"}, "want a share"},
		{[]string{"-latency-min", "200ms"}, "want 0 <= min <= max"},
		{[]string{"-posts", "0"}, "at least 1"},
		{[]string{"-creates", "0"}, "at least 1"},
		{[]string{"-conns", "0"}, "want 1 to 1000"},
		{[]string{"-authors", "5000"}, "want 1 to 1000"},
		{[]string{"inbox"}, "unexpected argument"},
		{[]string{"-nope"}, "not defined"},
	} {
		var stderr bytes.Buffer
		_, err := parseOptions(tt.args, &stderr)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("%q: %v", tt.args, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%q: err = %v, want one saying %q", tt.args, err, tt.wantErr)
		}
	}
	o, _ := parseOptions(nil, &bytes.Buffer{})
	if o.creates != 3000 || o.conns != 16 || o.webfinger != 20000 || o.actors != 10000 {
		t.Errorf("defaults %+v, want the issue's counts: 3000 creates, 16 connections, 20000 and 10000 GETs", o)
	}
}

// TestBenchSmoke runs the whole command with tiny counts against a real
// tidings process: every request must be answered as expected and every
// Create kept as a post.
func TestBenchSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs tidings; skipped in short mode")
	}
	bin := filepath.Join(t.TempDir(), "tidings")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/tidings-social/tidings/cmd/tidings").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var stdout, stderr bytes.Buffer
	args := []string{"-tidings", bin, "-creates", "20", "-webfinger", "50", "-actors", "50", "-authors", "3", "-conns", "4", "-timeout", "60s", "-json"}
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	var rep report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, stdout.String())
	}
	want := map[string]int{"inbox accepted (202)": 20, "inbox processed end to end": 20, "WebFinger GET": 50, "signed actor GET": 50}
	if len(rep.Phases) != len(want) {
		t.Fatalf("got %d phases, want %d: %+v", len(rep.Phases), len(want), rep.Phases)
	}
	for _, p := range rep.Phases {
		if n, ok := want[p.Phase]; !ok || p.Requests != n || p.OK != n {
			t.Errorf("%s: %d of %d ok, want %d of %d (%s)", p.Phase, p.OK, p.Requests, n, n, p.Note)
		}
		if p.PerSecond <= 0 || p.PeakRSSMiB <= 0 || p.IdleRSSMiB <= 0 {
			t.Errorf("%s: rate %v, memory %v/%v MiB: want all positive", p.Phase, p.PerSecond, p.IdleRSSMiB, p.PeakRSSMiB)
		}
	}
	if rep.FirstStartS <= 0 || rep.RestartS <= 0 || rep.IdleRSSMiB <= 0 {
		t.Errorf("start %v s, restart %v s, idle %v MiB: want all positive", rep.FirstStartS, rep.RestartS, rep.IdleRSSMiB)
	}
}
