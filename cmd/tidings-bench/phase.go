package main

import (
	"fmt"
	"time"
)

// phaseResult is one row of the report.
type phaseResult struct {
	Phase      string  `json:"phase"`
	Requests   int     `json:"requests"`
	OK         int     `json:"ok"` // answered as expected (202 or 200); for "processed", posts made
	PerSecond  float64 `json:"per_second"`
	P50Ms      float64 `json:"p50_ms,omitempty"`
	P99Ms      float64 `json:"p99_ms,omitempty"`
	WallS      float64 `json:"wall_s"`
	CPUS       float64 `json:"server_cpu_s"`
	CPUPerOpUs float64 `json:"server_cpu_us_per_op"`
	IdleRSSMiB float64 `json:"idle_rss_mib"`
	PeakRSSMiB float64 `json:"peak_rss_mib"`
	Note       string  `json:"note,omitempty"`
}

// measured fills a row from a flood, the answers that count as success,
// and the server's usage before and after.
func measured(name string, res *loadResult, okStatus int, before, after procUsage) phaseResult {
	n := len(res.latencies)
	p := phaseResult{Phase: name, Requests: n, OK: res.statuses[okStatus], WallS: res.wall.Seconds()}
	if res.wall > 0 {
		p.PerSecond = float64(p.OK) / res.wall.Seconds()
	}
	p.P50Ms = ms(percentile(res.latencies, 50))
	p.P99Ms = ms(percentile(res.latencies, 99))
	p.setUsage(n, before, after)
	if p.OK != n {
		p.Note = fmt.Sprintf("answers %v, %d without an answer", res.statuses, res.failures)
		if res.firstErr != nil {
			p.Note += fmt.Sprintf(" (first: %v)", res.firstErr)
		}
	}
	return p
}

// setUsage sets the server's CPU time and memory for n operations.
func (p *phaseResult) setUsage(n int, before, after procUsage) {
	p.CPUS = after.CPUSeconds - before.CPUSeconds
	if n > 0 {
		p.CPUPerOpUs = p.CPUS / float64(n) * 1e6
	}
	p.IdleRSSMiB = mib(before.RSSKiB)
	p.PeakRSSMiB = mib(after.HWMKiB)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func mib(kib int64) float64 { return float64(kib) / 1024 }
