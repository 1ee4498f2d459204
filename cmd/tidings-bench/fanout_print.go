package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// printFanout prints the fan-out's set-up and rounds as tables.
func printFanout(w io.Writer, rep *report) {
	f := rep.Fanout
	s := f.Setup
	fmt.Fprintf(w, "set-up: %d signed Follows at %.0f/s (202); every Accept received %.2f s after the first Follow "+
		"(p50 %.0f ms, p99 %.0f ms); server CPU %.2f s, %.0f µs a follow; %d TLS connections; peak RSS %.1f MiB\n",
		s.Follows, s.FollowsPerS, s.AcceptsS, s.AcceptP50Ms, s.AcceptP99Ms, s.CPUS, s.CPUPerFollowU, s.TLSHandshakes, s.PeakRSSMiB)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "round\tposts\tlive\tdelivered\tp50 ms\tp99 ms\tmax ms\twall s\tdeliveries/s\tserver CPU s\tCPU µs/delivery\tbench CPU s\tpeak RSS MiB\tnew TLS conns\trefused: requests\tblack hole: requests\t")
	for _, r := range f.Rounds {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.0f\t%.0f\t%.0f\t%.2f\t%.0f\t%.2f\t%.0f\t%.2f\t%.1f\t%d\t%s\t%s\t\n", r.Round, r.Posts, r.Live,
			r.Delivered, r.P50Ms, r.P99Ms, r.MaxMs, r.WallS, r.DeliveriesPerS, r.CPUS, r.CPUPerDeliveryUs, r.BenchCPUS, r.PeakRSSMiB,
			r.TLSHandshakes, deadRange(r.Refused, r.RefusedMin, r.RefusedMax), deadRange(r.BlackHoles, r.BlackHoleMin, r.BlackHoleMax))
	}
	tw.Flush()
	for _, r := range f.Rounds {
		fmt.Fprintf(w, "%s, each post's arrival p50/p99/max ms:", r.Round)
		for _, p := range r.PerPost {
			fmt.Fprintf(w, " %.0f/%.0f/%.0f", p.P50Ms, p.P99Ms, p.MaxMs)
		}
		fmt.Fprintln(w)
	}
	offered := "HTTP/2 and HTTP/1.1"
	if f.HTTP1 {
		offered = "HTTP/1.1 only"
	}
	fmt.Fprintf(w, "%d instances (%s), inboxes answering in %.0f–%.0f ms; %d deliveries received (%d over HTTP/2), %d with a bad signature, %d duplicates; %s\n",
		f.Instances, offered, f.LatencyMinMs, f.LatencyMaxMs, f.Received, f.HTTP2, f.BadSignatures, f.Duplicates,
		rep.Started.Format(time.RFC3339))
	if rep.DataDir != "" {
		fmt.Fprintf(w, "data kept in %s\n", rep.DataDir)
	}
}

// deadRange is "N hosts: lo–hi each", or "-" without such hosts.
func deadRange(hosts, lo, hi int) string {
	if hosts == 0 {
		return "-"
	}
	return fmt.Sprintf("%d hosts, %d–%d each", hosts, lo, hi)
}
