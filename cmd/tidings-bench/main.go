// Command tidings-bench measures a real `tidings serve` from outside, as
// other servers meet it: it starts the server as a separate process on
// loopback with a fresh data directory, plays a remote ActivityPub server
// itself, and floods the shared inbox with signed Creates, then sends
// WebFinger and signed actor GETs. For each phase it prints requests per
// second, p50 and p99 latency, and the server process's CPU time per
// operation and memory, read from /proc; and the time from starting the
// server on the existing data to its first answer.
//
// The fan-out phase runs only on request (-only fanout), since with
// 1,000 instances it takes minutes: the bench plays that many remote
// servers, each an HTTPS server on its own loopback port with a
// certificate from a CA made for the run (the server trusts it through
// SSL_CERT_FILE), whose inboxes answer after a latency drawn from
// -latency-min to -latency-max. An actor on each follows the member;
// then the member publishes -posts posts through the web pages with
// every instance live, and again after -dead of them died (half refusing
// connections, half accepting and never answering). It prints the time
// from publishing to each live instance's receipt, deliveries per
// second, the server's CPU per delivery, new TLS connections and the
// requests each dead host had; every delivery's signature is checked,
// and a missing, duplicated or badly signed one fails the run.
//
//	go run ./cmd/tidings-bench [-tidings PATH] [-creates 3000] [-conns 16]
//	    [-webfinger 20000] [-actors 10000] [-authors 20] [-only inbox|webfinger|actor|fanout]
//	    [-instances 1000] [-dead 0.05] [-latency-min 50ms] [-latency-max 150ms] [-posts 5] [-http1]
//	    [-authorized-fetch] [-cpu-profile FILE] [-timeout 10m] [-keep] [-json]
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"
	"time"
)

// options are the command's flags.
type options struct {
	tidings   string
	creates   int
	conns     int
	webfinger int
	actors    int
	authors   int
	only      string
	json      bool
	keep      bool
	timeout   time.Duration
	// cpuProfile, when set, is where the server writes a CPU profile of
	// its first run, the one measured.
	cpuProfile string
	// authorizedFetch turns on the instance's authorized fetch, so that
	// the signatures of the actor GETs are verified; else they are
	// ignored, as for any GET when it is off.
	authorizedFetch bool
	fanout          fanoutOptions
}

// report is everything one run measured.
type report struct {
	Started         time.Time `json:"started"`
	Conns           int       `json:"conns"`
	AuthorizedFetch bool      `json:"authorized_fetch"`
	Authors         int       `json:"authors"`
	FirstStartS     float64   `json:"first_start_s"` // empty database
	RestartS        float64   `json:"restart_s"`     // start to first answer with the run's data
	IdleRSSMiB      float64   `json:"idle_rss_mib"`  // 1 s after the first start
	// RemoteFetches counts the requests the instance made of the remote
	// server: fetching each author's key once is expected, more means
	// the instance fetched during the timed parts.
	RemoteFetches int64         `json:"remote_fetches"`
	Phases        []phaseResult `json:"phases"`
	Fanout        *fanoutReport `json:"fanout,omitempty"`
	DataDir       string        `json:"data_dir,omitempty"` // when kept
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return // -h: the usage is printed
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tidings-bench:", err)
		stop()
		os.Exit(1)
	}
}

// parseOptions reads the flags.
func parseOptions(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("tidings-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.tidings, "tidings", "", "a built tidings binary (default: build ./cmd/tidings into a temporary directory); its database gets this command's migrations")
	fs.IntVar(&o.creates, "creates", 3000, "signed Create(Note)s posted to the shared inbox")
	fs.IntVar(&o.conns, "conns", 16, "concurrent connections")
	fs.IntVar(&o.webfinger, "webfinger", 20000, "WebFinger GETs")
	fs.IntVar(&o.actors, "actors", 10000, "signed GETs of the member's actor document")
	fs.IntVar(&o.authors, "authors", 20, "remote authors (each with an RSA-2048 key) sending the Creates and signing the GETs")
	fs.StringVar(&o.only, "only", "", "run one phase only: inbox, webfinger, actor or fanout (fanout runs only when asked)")
	fs.IntVar(&o.fanout.instances, "instances", 1000, "fanout: remote HTTPS instances, each following the member")
	fs.Float64Var(&o.fanout.dead, "dead", 0.05, "fanout: share of the instances that die before the second round (0: one round, all live)")
	fs.DurationVar(&o.fanout.latency.min, "latency-min", 50*time.Millisecond, "fanout: least time an inbox takes to answer")
	fs.DurationVar(&o.fanout.latency.max, "latency-max", 150*time.Millisecond, "fanout: most time an inbox takes to answer")
	fs.IntVar(&o.fanout.posts, "posts", 5, "fanout: posts published a round")
	fs.BoolVar(&o.fanout.http1, "http1", false, "fanout: the instances speak HTTP/1.1 only, not HTTP/2")
	fs.BoolVar(&o.json, "json", false, "print the report as JSON")
	fs.BoolVar(&o.keep, "keep", false, "keep the data directory (its path is printed)")
	fs.BoolVar(&o.authorizedFetch, "authorized-fetch", false, "turn on authorized fetch, so that the instance verifies the actor GETs' signatures")
	fs.StringVar(&o.cpuProfile, "cpu-profile", "", "have the server write a CPU profile of the measured run to this file (go tool pprof FILE)")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Minute, "how long to wait for the inbox's posts to be processed")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.only != "" && o.only != "inbox" && o.only != "webfinger" && o.only != "actor" && o.only != "fanout":
		return o, fmt.Errorf("-only %q: want inbox, webfinger, actor or fanout", o.only)
	case o.fanout.instances < 1 || o.fanout.instances > 5000:
		return o, fmt.Errorf("-instances %d: want 1 to 5000", o.fanout.instances)
	case o.fanout.dead < 0 || o.fanout.dead >= 1:
		return o, fmt.Errorf("-dead %v: want a share from 0 up to (not including) 1", o.fanout.dead)
	case o.fanout.latency.min < 0 || o.fanout.latency.max < o.fanout.latency.min:
		return o, fmt.Errorf("-latency-min %s, -latency-max %s: want 0 <= min <= max", o.fanout.latency.min, o.fanout.latency.max)
	case o.fanout.posts < 1:
		return o, errors.New("-posts must be at least 1")
	case o.creates < 1 || o.webfinger < 1 || o.actors < 1:
		return o, errors.New("-creates, -webfinger and -actors must be at least 1")
	case o.conns < 1 || o.conns > 1000:
		return o, fmt.Errorf("-conns %d: want 1 to 1000", o.conns)
	case o.authors < 1 || o.authors > 1000:
		return o, fmt.Errorf("-authors %d: want 1 to 1000", o.authors)
	}
	return o, nil
}

// run runs the bench with the command-line args and prints the report.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, stderr)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "tidings-bench-")
	if err != nil {
		return fmt.Errorf("make data directory: %w", err)
	}
	if !o.keep {
		defer os.RemoveAll(dir)
	}
	rep, err := measure(ctx, o, dir, stderr)
	if err != nil {
		return err
	}
	if o.keep {
		rep.DataDir = dir
	}
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printReport(stdout, rep)
	return nil
}

// measure starts the instance and the remote server and runs the phases.
func measure(ctx context.Context, o options, dir string, progress io.Writer) (*report, error) {
	bin := o.tidings
	if bin == "" {
		fmt.Fprintln(progress, "building tidings…")
		var err error
		if bin, err = buildTidings(dir); err != nil {
			return nil, err
		}
	}
	if o.only == "fanout" {
		rep := &report{Started: time.Now().UTC(), Conns: o.conns}
		var err error
		rep.Fanout, err = measureFanout(ctx, bin, dir, o, progress)
		return rep, err
	}
	fmt.Fprintf(progress, "making %d remote authors…\n", o.authors)
	remote, err := newRemoteServer(o.authors)
	if err != nil {
		return nil, err
	}
	defer remote.close()
	in, err := newInstance(bin, dir, "bench", o.authorizedFetch, "")
	if err != nil {
		return nil, err
	}
	db, err := openDatabase(ctx, in)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rep := &report{Started: time.Now().UTC(), Conns: o.conns, Authors: o.authors, AuthorizedFetch: o.authorizedFetch}
	in.cpuProfile = o.cpuProfile
	first, err := in.start(ctx)
	if err != nil {
		return nil, err
	}
	defer in.stop()
	in.cpuProfile = "" // the restart is not profiled
	rep.FirstStartS = first.Seconds()
	time.Sleep(time.Second) // let start-up work settle before reading idle memory
	idle, err := readUsage(in.pid())
	if err != nil {
		return nil, err
	}
	rep.IdleRSSMiB = mib(idle.RSSKiB)

	if o.only == "" || o.only == "inbox" {
		fmt.Fprintf(progress, "inbox: %d signed Creates from %d connections…\n", o.creates, o.conns)
		rows, err := inboxPhase(ctx, in, db, remote.authors, o.creates, o.conns, o.timeout)
		if err != nil {
			return nil, fmt.Errorf("inbox: %w", err)
		}
		rep.Phases = append(rep.Phases, rows...)
	}
	if o.only == "" || o.only == "webfinger" {
		fmt.Fprintf(progress, "webfinger: %d GETs…\n", o.webfinger)
		row, err := getPhase(ctx, "WebFinger GET", in, webfingerRequests(in), o.webfinger, o.conns)
		if err != nil {
			return nil, fmt.Errorf("webfinger: %w", err)
		}
		rep.Phases = append(rep.Phases, row)
	}
	if o.only == "" || o.only == "actor" {
		fmt.Fprintf(progress, "actor: %d signed GETs…\n", o.actors)
		reqs, err := actorRequests(in, remote.authors)
		if err != nil {
			return nil, err
		}
		name := "signed actor GET"
		if o.authorizedFetch {
			name += " (authorized fetch)"
		}
		row, err := getPhase(ctx, name, in, reqs, o.actors, o.conns)
		if err != nil {
			return nil, fmt.Errorf("actor: %w", err)
		}
		rep.Phases = append(rep.Phases, row)
	}

	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("interrupted: %w", err)
	}
	if err := in.stop(); err != nil {
		return nil, err
	}
	again, err := in.start(ctx)
	if err != nil {
		return nil, fmt.Errorf("restart: %w", err)
	}
	rep.RestartS = again.Seconds()
	rep.RemoteFetches = remote.served.Load()
	return rep, in.stop()
}

// printReport prints the report as a table.
func printReport(w io.Writer, rep *report) {
	if rep.Fanout != nil {
		printFanout(w, rep)
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\tops\tok\tper s\tp50 ms\tp99 ms\twall s\tserver CPU s\tCPU µs/op\tidle RSS MiB\tpeak RSS MiB\t")
	for _, p := range rep.Phases {
		p50, p99 := "-", "-" // none for processing, which has no single request to time
		if p.P99Ms > 0 {
			p50, p99 = fmt.Sprintf("%.2f", p.P50Ms), fmt.Sprintf("%.2f", p.P99Ms)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%s\t%s\t%.2f\t%.2f\t%.0f\t%.1f\t%.1f\t\n", p.Phase, p.Requests, p.OK,
			p.PerSecond, p50, p99, p.WallS, p.CPUS, p.CPUPerOpUs, p.IdleRSSMiB, p.PeakRSSMiB)
	}
	tw.Flush()
	for _, p := range rep.Phases {
		if p.Note != "" {
			fmt.Fprintf(w, "%s: %s\n", p.Phase, p.Note)
		}
	}
	fmt.Fprintf(w, "start to first request: %.3f s empty, %.3f s with the run's data; idle RSS after start %.1f MiB\n",
		rep.FirstStartS, rep.RestartS, rep.IdleRSSMiB)
	fmt.Fprintf(w, "%d connections, %d remote authors (%d requests made of their server), %s\n",
		rep.Conns, rep.Authors, rep.RemoteFetches, rep.Started.Format(time.RFC3339))
	if rep.DataDir != "" {
		fmt.Fprintf(w, "data kept in %s\n", rep.DataDir)
	}
}
