package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat:
// 100 on every Linux architecture Go runs on.
const clockTicks = 100

// procUsage is what the kernel says a process has used so far.
type procUsage struct {
	CPUSeconds float64 // user and system time
	RSSKiB     int64   // VmRSS: resident now
	HWMKiB     int64   // VmHWM: the peak resident since start or the last reset
}

// parseStatCPU reads utime and stime (fields 14 and 15) from the text of
// /proc/PID/stat, in seconds. The command name (field 2) is in parentheses
// and may hold spaces or parentheses itself, so fields are counted from
// the last ')'.
func parseStatCPU(stat string) (float64, error) {
	end := strings.LastIndexByte(stat, ')')
	if end < 0 {
		return 0, fmt.Errorf("no command name in %.40q", stat)
	}
	fields := strings.Fields(stat[end+1:])
	// fields[0] is field 3 (state), so utime (14) is fields[11].
	if len(fields) < 13 {
		return 0, fmt.Errorf("%d fields after the command name, want at least 13", len(fields))
	}
	utime, err := strconv.ParseUint(fields[11], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("utime: %w", err)
	}
	stime, err := strconv.ParseUint(fields[12], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("stime: %w", err)
	}
	return float64(utime+stime) / clockTicks, nil
}

// parseStatusKiB reads a "Key:   123 kB" line of /proc/PID/status.
func parseStatusKiB(status, key string) (int64, error) {
	for line := range strings.Lines(status) {
		rest, ok := strings.CutPrefix(line, key+":")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, fmt.Errorf("%s: unexpected %q", key, strings.TrimSpace(rest))
		}
		return strconv.ParseInt(fields[0], 10, 64)
	}
	return 0, fmt.Errorf("no %s line", key)
}

// readUsage reads the process's CPU time and memory from /proc.
func readUsage(pid int) (procUsage, error) {
	var u procUsage
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return u, fmt.Errorf("read stat: %w", err)
	}
	if u.CPUSeconds, err = parseStatCPU(string(stat)); err != nil {
		return u, fmt.Errorf("parse /proc/%d/stat: %w", pid, err)
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return u, fmt.Errorf("read status: %w", err)
	}
	if u.RSSKiB, err = parseStatusKiB(string(status), "VmRSS"); err != nil {
		return u, fmt.Errorf("parse /proc/%d/status: %w", pid, err)
	}
	if u.HWMKiB, err = parseStatusKiB(string(status), "VmHWM"); err != nil {
		return u, fmt.Errorf("parse /proc/%d/status: %w", pid, err)
	}
	return u, nil
}

// resetPeak sets the process's VmHWM back to its current resident size
// (writing 5 to clear_refs, Linux 4.0 and later), so that each phase
// reports its own peak. It reports whether that worked; when not, the
// peak is the process's since it started.
func resetPeak(pid int) bool {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0) == nil
}

// peakWatch samples a process's resident size every 10 ms, since VmHWM
// alone can miss a peak: the kernel folds the current size into it only
// at some points, and a reset (resetPeak) may not be allowed.
type peakWatch struct {
	stop chan struct{}
	done chan int64
}

// watchPeak resets the process's VmHWM and starts sampling.
func watchPeak(pid int) *peakWatch {
	resetPeak(pid)
	w := &peakWatch{stop: make(chan struct{}), done: make(chan int64, 1)}
	go func() {
		var peak int64
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			if status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
				if kib, err := parseStatusKiB(string(status), "VmRSS"); err == nil {
					peak = max(peak, kib)
				}
			}
			select {
			case <-w.stop:
				w.done <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return w
}

// end stops sampling and returns the usage u with its peak raised to the
// highest size sampled.
func (w *peakWatch) end(u procUsage) procUsage {
	close(w.stop)
	u.HWMKiB = max(u.HWMKiB, <-w.done)
	return u
}
