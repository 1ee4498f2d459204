package main

import (
	"os"
	"runtime/debug"
)

// serveGCPercent is the garbage collector's target for a serving
// instance, unless GOGC says otherwise. At Go's default of 100, a busy
// inbox spent 13% of its CPU more per processed activity than at 200,
// which costs 5 to 10 MiB more at the peak of a flood of 3,000 and
// nothing measurable at idle, where the live heap is about 2 MB
// (docs/BENCHMARKS.md, "Inbox batches").
const serveGCPercent = 200

// setGCPercent applies serveGCPercent when the operator has not set GOGC.
func setGCPercent() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
}
