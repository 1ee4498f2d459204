package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// fanoutRound is one row of the fan-out: posts published one after
// another by the member and delivered to the fleet.
type fanoutRound struct {
	Round      string `json:"round"`
	Posts      int    `json:"posts"`
	Live       int    `json:"live"`
	Refused    int    `json:"refused"`
	BlackHoles int    `json:"black_holes"`
	Delivered  int    `json:"delivered"` // Creates received by live instances
	// Arrival at a live instance after the post was published, over all
	// posts; and for each post.
	P50Ms          float64        `json:"p50_ms"`
	P99Ms          float64        `json:"p99_ms"`
	MaxMs          float64        `json:"max_ms"`
	PerPost        []postDelivery `json:"per_post"`
	WallS          float64        `json:"wall_s"` // first publication to last arrival
	DeliveriesPerS float64        `json:"deliveries_per_s"`
	CPUS           float64        `json:"server_cpu_s"`
	// CPUPerDeliveryUs is the server's CPU time over the round per
	// Create delivered to a live instance, whatever the dead cost too.
	CPUPerDeliveryUs float64 `json:"server_cpu_us_per_delivery"`
	// BenchCPUS is the bench's own CPU time over the round, the fleet's
	// TLS and signature checks: what the server could not have of the
	// two cores.
	BenchCPUS     float64 `json:"bench_cpu_s"`
	PeakRSSMiB    float64 `json:"peak_rss_mib"`
	TLSHandshakes int64   `json:"tls_handshakes"` // new connections to live instances
	// Requests the dead hosts had in the round, each host's fewest and
	// most: attempts refused (from the server's log), connections a black
	// hole accepted.
	RefusedMin   int `json:"refused_requests_min,omitempty"`
	RefusedMax   int `json:"refused_requests_max,omitempty"`
	BlackHoleMin int `json:"black_hole_requests_min,omitempty"`
	BlackHoleMax int `json:"black_hole_requests_max,omitempty"`
}

// postDelivery is how long one post took to reach the live instances.
type postDelivery struct {
	P50Ms float64 `json:"p50_ms"`
	P99Ms float64 `json:"p99_ms"`
	MaxMs float64 `json:"max_ms"`
}

// published is a post and when its publication was sent.
type published struct {
	uri string
	at  time.Time
}

// fanoutRun is a fan-out under way: the instance, its database (for
// counting deliveries done), the member's browser and the fleet.
type fanoutRun struct {
	in        *instance
	db        *storage.DB
	member    *browser
	fl        *fleet
	timeout   time.Duration
	delivered int // deliveries the instance has recorded done so far
	posts     int // published so far, for headlines
}

// round publishes n posts and waits until each reached every live
// instance and the instance recorded every delivery to them done.
func (run *fanoutRun) round(ctx context.Context, name string, n int) (fanoutRound, error) {
	fl := run.fl
	r := fanoutRound{Round: name, Posts: n, Live: fl.live()}
	logFrom := logSize(run.in)
	holes0 := map[int]int64{}
	for _, ri := range fl.instances {
		holes0[ri.index] = ri.holeSeen.Load()
	}
	before, err := readUsage(run.in.pid())
	if err != nil {
		return r, err
	}
	bench0, err := readUsage(os.Getpid())
	if err != nil {
		return r, err
	}
	conns0 := fl.newConns()
	peak := watchPeak(run.in.pid())
	var posts []published
	for range n {
		run.posts++
		at := time.Now()
		uri, err := run.member.publish(ctx, fmt.Sprintf("Fan-out post %d", run.posts))
		if err != nil {
			peak.end(before)
			return r, err
		}
		posts = append(posts, published{uri, at})
	}
	arrived, err := run.waitArrivals(ctx, posts)
	if err != nil {
		peak.end(before)
		return r, err
	}
	run.delivered += n * r.Live
	if err := run.waitRecorded(ctx); err != nil {
		peak.end(before)
		return r, err
	}
	after, err := readUsage(run.in.pid())
	after = peak.end(after)
	if err != nil {
		return r, err
	}
	bench1, err := readUsage(os.Getpid())
	if err != nil {
		return r, err
	}
	r.BenchCPUS = bench1.CPUSeconds - bench0.CPUSeconds
	var all []time.Duration
	var last time.Time
	for i, p := range posts {
		var ds []time.Duration
		for _, at := range arrived[i] {
			ds = append(ds, at.Sub(p.at))
			if at.After(last) {
				last = at
			}
		}
		all = append(all, ds...)
		r.PerPost = append(r.PerPost, postDelivery{ms(percentile(ds, 50)), ms(percentile(ds, 99)), ms(slices.Max(ds))})
	}
	r.Delivered = len(all)
	r.P50Ms, r.P99Ms, r.MaxMs = ms(percentile(all, 50)), ms(percentile(all, 99)), ms(slices.Max(all))
	r.WallS = last.Sub(posts[0].at).Seconds()
	r.DeliveriesPerS = float64(r.Delivered) / r.WallS
	r.CPUS = after.CPUSeconds - before.CPUSeconds
	r.CPUPerDeliveryUs = r.CPUS / float64(r.Delivered) * 1e6
	r.PeakRSSMiB = mib(after.HWMKiB)
	r.TLSHandshakes = fl.newConns() - conns0
	// The server writes its log in batches, every 100 ms at the latest:
	// the last failed attempts reach the file only then.
	time.Sleep(300 * time.Millisecond)
	refused, err := failedAttempts(run.in, logFrom)
	if err != nil {
		return r, err
	}
	r.deadRequests(fl, refused, holes0)
	return r, nil
}

// waitArrivals waits until every post's Create reached every live
// instance, and returns the arrivals of each post; after the timeout it
// fails, saying how many are missing.
func (run *fanoutRun) waitArrivals(ctx context.Context, posts []published) ([]map[int]time.Time, error) {
	live := run.fl.live()
	deadline := time.Now().Add(run.timeout)
	arrived := make([]map[int]time.Time, len(posts))
	for {
		missing := 0
		for i, p := range posts {
			arrived[i] = run.fl.arrivals.ofObject("Create", p.uri)
			for _, ri := range run.fl.instances {
				if _, ok := arrived[i][ri.index]; ri.state == hostLive && !ok {
					missing++
				}
			}
		}
		if missing == 0 {
			return arrived, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%d of %d deliveries of %d posts to live instances missing after %s; see %s/serve.log",
				missing, live*len(posts), len(posts), run.timeout, run.in.dir)
		}
		if !sleep(ctx, 10*time.Millisecond) {
			return nil, ctx.Err()
		}
	}
}

// waitRecorded waits until the instance has recorded as done every
// delivery that arrived, so that the round's CPU time includes it.
func (run *fanoutRun) waitRecorded(ctx context.Context) error {
	deadline := time.Now().Add(run.timeout)
	for {
		_, done, _, err := run.db.DeliveryCounts(ctx)
		if err != nil {
			return fmt.Errorf("count deliveries: %w", err)
		}
		if done >= run.delivered {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d of %d deliveries recorded done after %s", done, run.delivered, run.timeout)
		}
		if !sleep(ctx, 5*time.Millisecond) {
			return ctx.Err()
		}
	}
}

// deadRequests fills in the requests each dead host had in the round.
func (r *fanoutRound) deadRequests(fl *fleet, refused map[string]int, holes0 map[int]int64) {
	first := map[hostState]bool{hostRefused: true, hostBlackHole: true}
	for _, ri := range fl.instances {
		var n int
		var lo, hi *int
		switch ri.state {
		case hostRefused:
			r.Refused++
			n, lo, hi = refused[ri.addr], &r.RefusedMin, &r.RefusedMax
		case hostBlackHole:
			r.BlackHoles++
			n, lo, hi = int(ri.holeSeen.Load()-holes0[ri.index]), &r.BlackHoleMin, &r.BlackHoleMax
		default:
			continue
		}
		if first[ri.state] {
			*lo, *hi, first[ri.state] = n, n, false
		}
		*lo, *hi = min(*lo, n), max(*hi, n)
	}
}
