package main

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(100-i) * time.Millisecond // reversed: percentile must sort
	}
	ms := time.Millisecond
	for _, tt := range []struct {
		name string
		ds   []time.Duration
		p    float64
		want time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one", []time.Duration{7 * ms}, 99, 7 * ms},
		{"p50 of 1..100", hundred, 50, 50 * ms},
		{"p99 of 1..100", hundred, 99, 99 * ms},
		{"p100 of 1..100", hundred, 100, 100 * ms},
		{"p50 of four is the second", []time.Duration{4 * ms, 1 * ms, 3 * ms, 2 * ms}, 50, 2 * ms},
		{"p99 of four is the largest", []time.Duration{4 * ms, 1 * ms, 3 * ms, 2 * ms}, 99, 4 * ms},
		{"tiny p is the smallest", []time.Duration{4 * ms, 1 * ms, 3 * ms}, 0.1, 1 * ms},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ds := append([]time.Duration(nil), tt.ds...)
			if got := percentile(ds, tt.p); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
