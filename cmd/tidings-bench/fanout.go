package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"time"
)

// fanoutOptions are the fan-out phase's flags.
type fanoutOptions struct {
	instances int
	dead      float64 // share of the instances that die after the set-up
	latency   latencyRange
	posts     int // a round
	http1     bool
}

// fanoutReport is what the fan-out phase measured.
type fanoutReport struct {
	Instances    int           `json:"instances"`
	LatencyMinMs float64       `json:"latency_min_ms"`
	LatencyMaxMs float64       `json:"latency_max_ms"`
	HTTP1        bool          `json:"http1_only"`
	Setup        fanoutSetup   `json:"setup"`
	Rounds       []fanoutRound `json:"rounds"`
	// Every delivery the fleet received, its signature checked with the
	// member's key; and those received again by the same instance.
	Received      int    `json:"received"`
	BadSignatures int    `json:"bad_signatures"`
	FirstBad      string `json:"first_bad_signature,omitempty"`
	Duplicates    int    `json:"duplicates"`
	HTTP2         int64  `json:"http2_deliveries"` // of those received
}

// fanoutKeys is how many RSA keys the fleet's actors share: making 1,000
// would take minutes of both cores, and the instance keeps a key by its
// id, so sharing one changes nothing it does.
const fanoutKeys = 4

// measureFanout runs the fan-out phase: it starts the fleet and an
// instance trusting the fleet's CA, has the fleet follow the member, and
// publishes a round of posts with every instance live, then, when some
// are to die, kills them and publishes another round.
func measureFanout(ctx context.Context, bin, dir string, o options, progress io.Writer) (*fanoutReport, error) {
	fo := o.fanout
	ca, err := newBenchCA(time.Now())
	if err != nil {
		return nil, err
	}
	caFile := filepath.Join(dir, "ca.pem")
	if err := ca.writeCAFile(caFile); err != nil {
		return nil, err
	}
	keys, err := newRSAKeys(fanoutKeys)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(progress, "fanout: starting %d TLS instances…\n", fo.instances)
	states := deadStates(fo.instances, fo.dead, rand.Perm)
	fl, err := startFleet(fo.instances, ca.serverConfig(), keys, states, fo.latency, fo.http1)
	if err != nil {
		return nil, err
	}
	defer fl.close()

	// Posts as fast as the bench publishes them; SSL_CERT_FILE replaces
	// the system's roots with the bench's CA in Go's TLS.
	in, err := newInstance(bin, dir, "bench", false, "[limits]\nposts_per_hour = 10000\n")
	if err != nil {
		return nil, err
	}
	in.env = []string{"SSL_CERT_FILE=" + caFile}
	in.cpuProfile = o.cpuProfile
	db, err := openDatabase(ctx, in)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := in.start(ctx); err != nil {
		return nil, err
	}
	defer in.stop()
	key, err := memberKey(ctx, in)
	if err != nil {
		return nil, err
	}
	fl.arrivals.setKey(key)
	rep := &fanoutReport{Instances: fo.instances, HTTP1: fo.http1,
		LatencyMinMs: ms(fo.latency.min), LatencyMaxMs: ms(fo.latency.max)}

	fmt.Fprintf(progress, "fanout: %d actors follow the member…\n", fo.instances)
	if rep.Setup, err = followMember(ctx, in, fl, o.conns, o.timeout); err != nil {
		return nil, fmt.Errorf("fanout set-up: %w", err)
	}
	run := &fanoutRun{in: in, db: db, member: newBrowser(in), fl: fl, timeout: o.timeout, delivered: fo.instances}
	if err := run.member.signIn(ctx, in.member, benchPassword); err != nil {
		return nil, err
	}
	fmt.Fprintf(progress, "fanout: %d posts to %d live instances…\n", fo.posts, fo.instances)
	r, err := run.round(ctx, "all live", fo.posts)
	if err != nil {
		return nil, fmt.Errorf("fanout: %w", err)
	}
	rep.Rounds = append(rep.Rounds, r)
	if fo.dead > 0 {
		if err := fl.die(); err != nil {
			return nil, err
		}
		name := fmt.Sprintf("%d dead", fo.instances-fl.live())
		fmt.Fprintf(progress, "fanout: %d posts with %s…\n", fo.posts, name)
		r, err := run.round(ctx, name, fo.posts)
		if err != nil {
			return nil, fmt.Errorf("fanout: %w", err)
		}
		rep.Rounds = append(rep.Rounds, r)
	}
	var first error
	rep.Received, rep.BadSignatures, rep.Duplicates, first = fl.arrivals.signatures()
	if first != nil {
		rep.FirstBad = first.Error()
	}
	rep.HTTP2 = fl.http2.Load()
	if rep.BadSignatures > 0 || rep.Duplicates > 0 {
		return rep, fmt.Errorf("fanout: %d deliveries with a bad signature (first: %v), %d duplicates",
			rep.BadSignatures, first, rep.Duplicates)
	}
	return rep, in.stop()
}
