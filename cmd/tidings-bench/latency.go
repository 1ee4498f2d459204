package main

import (
	"math"
	"slices"
	"time"
)

// percentile returns the p-th percentile (0 < p <= 100) of the
// durations by the nearest-rank method: the smallest value that at least
// p% of them do not exceed. It sorts ds in place; zero when ds is empty.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	rank := int(math.Ceil(float64(len(ds)) * p / 100))
	rank = min(max(rank, 1), len(ds))
	return ds[rank-1]
}
