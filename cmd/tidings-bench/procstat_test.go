package main

import (
	"os"
	"strings"
	"testing"
)

func TestParseStatCPU(t *testing.T) {
	// Fields after the name: state ppid pgrp session tty tpgid flags
	// minflt cminflt majflt cmajflt utime stime ...
	tail := " S 1 2 3 0 -1 4194304 100 0 0 0 250 75 0 0 20 0 8 0"
	for _, tt := range []struct {
		name, stat string
		want       float64
		wantErr    string
	}{
		{"plain name", "4242 (tidings)" + tail, 3.25, ""},
		{"name with spaces and parentheses", "4242 (a (b) c)" + tail, 3.25, ""},
		{"name ending in a parenthesis and digits", "4242 (x) 1 2)" + tail, 3.25, ""},
		{"no name", "4242 tidings S 1", 0, "no command name"},
		{"cut short", "4242 (tidings) S 1 2 3", 0, "fields after the command name"},
		{"not a number", "4242 (tidings) S 1 2 3 0 -1 4194304 100 0 0 0 x 75 0", 0, "utime"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseStatCPU(tt.stat)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %v, %v, want %v", got, err, tt.want)
			}
		})
	}
}

func TestParseStatusKiB(t *testing.T) {
	status := "Name:\ttidings\nVmPeak:\t 1265000 kB\nVmHWM:\t   52344 kB\nVmRSS:\t   28100 kB\nThreads:\t8\n"
	for _, tt := range []struct {
		status, key string
		want        int64
		wantErr     bool
	}{
		{status, "VmRSS", 28100, false},
		{status, "VmHWM", 52344, false},
		{status, "VmSwap", 0, true},
		{status, "Threads", 0, true}, // not a size
		{"VmRSS:\t12 MB\n", "VmRSS", 0, true},
	} {
		got, err := parseStatusKiB(tt.status, tt.key)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parseStatusKiB(%q) = %d, %v; want %d, error %v", tt.key, got, err, tt.want, tt.wantErr)
		}
	}
}

// TestReadUsage reads this test process's own /proc files, which the
// parsers must understand as the kernel writes them.
func TestReadUsage(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("requires Linux's /proc, which this system has not")
	}
	u, err := readUsage(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if u.RSSKiB <= 0 || u.HWMKiB < u.RSSKiB || u.CPUSeconds < 0 {
		t.Errorf("usage %+v: want RSS > 0, peak >= RSS, CPU >= 0", u)
	}
}
