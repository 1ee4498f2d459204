package main

import (
	"crypto/rsa"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// hostState is how a remote instance of the fan-out meets the instance's
// deliveries.
type hostState int

const (
	hostLive      hostState = iota
	hostRefused             // its port is closed: every connection is refused at once
	hostBlackHole           // connections are accepted and never answered, not even the TLS handshake
)

func (s hostState) String() string {
	switch s {
	case hostRefused:
		return "refused"
	case hostBlackHole:
		return "black hole"
	}
	return "live"
}

// deadStates chooses which of n instances die after the set-up: share of
// them (rounded), the first of the permutation perm makes (rand.Perm in
// the bench), half refusing connections and half black holes, the
// refusing ones taking an odd one out.
func deadStates(n int, share float64, perm func(int) []int) []hostState {
	states := make([]hostState, n)
	dead := min(int(math.Round(float64(n)*share)), n)
	for i, idx := range perm(n)[:dead] {
		states[idx] = hostRefused
		if i%2 == 1 {
			states[idx] = hostBlackHole
		}
	}
	return states
}

// latencyRange is how long a live inbox takes to answer: drawn uniformly
// from min to max, both included.
type latencyRange struct{ min, max time.Duration }

// draw picks a latency with rnd, which returns a number in [0, n) as
// rand.Int64N does.
func (l latencyRange) draw(rnd func(n int64) int64) time.Duration {
	if l.max <= l.min {
		return l.min
	}
	return l.min + time.Duration(rnd(int64(l.max-l.min)+1))
}

// fleet is the remote instances of the fan-out, each an HTTPS server on
// its own loopback port with one actor who follows the member.
type fleet struct {
	instances []*remoteInstance
	latency   latencyRange
	arrivals  *arrivals
	http2     atomic.Int64 // deliveries that came over HTTP/2
}

// remoteInstance is one remote server: 127.0.0.1:PORT is its host.
type remoteInstance struct {
	index int
	addr  string
	base  string // https://addr
	actor remoteAuthor
	state hostState // how it answers now: live until it dies
	doom  hostState // what it becomes when it dies
	srv   *http.Server
	conns atomic.Int64 // connections accepted: each is a full TLS handshake

	mu        sync.Mutex
	hole      net.Listener // the black hole's listener, once dead
	holeConns []net.Conn   // held open, never answered
	holeSeen  atomic.Int64 // connections the black hole accepted
}

// startFleet starts n instances on loopback with cfg, their actors
// signing with keys taken in turn from keys (RSA-2048 keys are slow to
// make, and which key an actor has does not change what is measured),
// and states telling which die later. http1 turns HTTP/2 off.
func startFleet(n int, cfg *tls.Config, keys []*rsa.PrivateKey, states []hostState, latency latencyRange, http1 bool) (*fleet, error) {
	fl := &fleet{latency: latency, arrivals: newArrivals()}
	for i := range n {
		ri, err := fl.start(i, cfg, keys[i%len(keys)], states[i], http1)
		if err != nil {
			fl.close()
			return nil, err
		}
		fl.instances = append(fl.instances, ri)
	}
	return fl, nil
}

// start starts the i-th instance.
func (fl *fleet) start(i int, cfg *tls.Config, key *rsa.PrivateKey, state hostState, http1 bool) (*remoteInstance, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("remote instance %d: %w", i, err)
	}
	ri := &remoteInstance{index: i, addr: l.Addr().String(), doom: state}
	ri.base = "https://" + ri.addr
	ri.actor, err = authorWithKey(ri.base+"/users/reader", key)
	if err != nil {
		l.Close()
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users/reader", ri.serveActor)
	mux.HandleFunc("GET /.well-known/webfinger", ri.serveWebFinger)
	mux.HandleFunc("POST /inbox", fl.serveInbox(ri))
	mux.HandleFunc("POST /users/reader/inbox", fl.serveInbox(ri))
	ri.srv = &http.Server{
		Handler:   mux,
		TLSConfig: cfg.Clone(),
		ConnState: func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				ri.conns.Add(1)
			}
		},
		ErrorLog:          log.New(io.Discard, "", 0), // connections cut by the dying are expected
		ReadHeaderTimeout: 30 * time.Second,
	}
	if http1 {
		ri.srv.TLSConfig.NextProtos = []string{"http/1.1"}
		ri.srv.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){}
	}
	go ri.srv.ServeTLS(l, "", "")
	return ri, nil
}

// serveInbox answers a delivery after the injected latency with 202,
// and records its arrival then: that is when the instance's delivery is
// done. A request whose sender gives up first is not recorded.
func (fl *fleet) serveInbox(ri *remoteInstance) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, "read body", http.StatusBadRequest)
			return
		}
		if r.ProtoMajor == 2 {
			fl.http2.Add(1)
		}
		checked := fl.arrivals.check(r, body)
		select {
		case <-time.After(fl.latency.draw(rand.Int64N)):
		case <-r.Context().Done():
			return
		}
		if err := fl.arrivals.record(ri.index, body, checked, time.Now()); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}
}

// serveActor serves the instance's actor with its key.
func (ri *remoteInstance) serveActor(w http.ResponseWriter, r *http.Request) {
	writeActor(w, ri.actor, "reader", ri.base+"/inbox")
}

// serveWebFinger answers acct:reader@host.
func (ri *remoteInstance) serveWebFinger(w http.ResponseWriter, r *http.Request) {
	writeWebFinger(w, r, ri.actor.uri)
}

// die makes a doomed instance dead: its server stops, cutting its
// connections, and a black hole listens on its port again.
func (ri *remoteInstance) die() error {
	if ri.doom == hostLive || ri.state != hostLive {
		return nil
	}
	ri.state = ri.doom
	ri.srv.Close()
	if ri.state != hostBlackHole {
		return nil
	}
	l, err := net.Listen("tcp", ri.addr)
	if err != nil {
		return fmt.Errorf("black hole on %s: %w", ri.addr, err)
	}
	ri.mu.Lock()
	ri.hole = l
	ri.mu.Unlock()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			ri.holeSeen.Add(1)
			ri.mu.Lock()
			ri.holeConns = append(ri.holeConns, c)
			ri.mu.Unlock()
		}
	}()
	return nil
}

// close stops the instance, dead or alive.
func (ri *remoteInstance) close() {
	ri.srv.Close()
	ri.mu.Lock()
	defer ri.mu.Unlock()
	if ri.hole != nil {
		ri.hole.Close()
	}
	for _, c := range ri.holeConns {
		c.Close()
	}
}

// newConns is how many connections the live instances accepted so far.
func (fl *fleet) newConns() int64 {
	var n int64
	for _, ri := range fl.instances {
		if ri.state == hostLive {
			n += ri.conns.Load()
		}
	}
	return n
}

// live is how many instances stay live.
func (fl *fleet) live() int {
	n := 0
	for _, ri := range fl.instances {
		if ri.state == hostLive {
			n++
		}
	}
	return n
}

// die makes the doomed instances dead.
func (fl *fleet) die() error {
	for _, ri := range fl.instances {
		if err := ri.die(); err != nil {
			return err
		}
	}
	return nil
}

// close stops every instance.
func (fl *fleet) close() {
	for _, ri := range fl.instances {
		ri.close()
	}
}
