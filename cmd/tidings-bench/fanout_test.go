package main

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/federation"
)

func TestLatencyDraw(t *testing.T) {
	ms := time.Millisecond
	wide := latencyRange{50 * ms, 150 * ms}
	for _, tt := range []struct {
		name string
		l    latencyRange
		rnd  func(int64) int64
		want time.Duration
	}{
		{"lowest draw is min", wide, func(int64) int64 { return 0 }, 50 * ms},
		{"highest draw is max", wide, func(n int64) int64 { return n - 1 }, 150 * ms},
		{"middle", wide, func(n int64) int64 { return n / 2 }, 100 * ms},
		{"no range", latencyRange{7 * ms, 7 * ms}, func(int64) int64 { panic("drew from an empty range") }, 7 * ms},
		{"zero", latencyRange{}, func(int64) int64 { panic("drew from an empty range") }, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.l.draw(tt.rnd); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	seen := map[bool]int{}
	for range 10000 {
		d := wide.draw(rand.Int64N)
		if d < wide.min || d > wide.max {
			t.Fatalf("drew %v, outside %v–%v", d, wide.min, wide.max)
		}
		seen[d < 100*ms]++
	}
	if seen[true] < 4000 || seen[false] < 4000 {
		t.Errorf("10000 draws: %d below the middle, %d above; want both near half", seen[true], seen[false])
	}
}

func TestDeadStates(t *testing.T) {
	identity := func(n int) []int {
		p := make([]int, n)
		for i := range p {
			p[i] = i
		}
		return p
	}
	for _, tt := range []struct {
		n                        int
		share                    float64
		live, refused, blackHole int
	}{
		{1000, 0.05, 950, 25, 25},
		{1000, 0, 1000, 0, 0},
		{10, 0.3, 7, 2, 1}, // the odd one out refuses
		{3, 0.99, 0, 2, 1},
		{20, 0.01, 20, 0, 0}, // rounds to none
	} {
		states := deadStates(tt.n, tt.share, identity)
		count := map[hostState]int{}
		for _, s := range states {
			count[s]++
		}
		if len(states) != tt.n || count[hostLive] != tt.live || count[hostRefused] != tt.refused || count[hostBlackHole] != tt.blackHole {
			t.Errorf("%d at %v: got %d states, %v; want %d live, %d refused, %d black holes",
				tt.n, tt.share, len(states), count, tt.live, tt.refused, tt.blackHole)
		}
	}
	// The permutation picks which.
	states := deadStates(4, 0.5, func(int) []int { return []int{3, 1, 0, 2} })
	if want := []hostState{hostLive, hostBlackHole, hostLive, hostRefused}; !equalStates(states, want) {
		t.Errorf("got %v, want %v", states, want)
	}
}

func equalStates(a, b []hostState) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestBenchCA checks the certificate verifies for 127.0.0.1 under the CA
// alone, and not for another address, and that a TLS client trusting
// the CA's PEM file completes a handshake with the servers' config.
func TestBenchCA(t *testing.T) {
	ca, err := newBenchCA(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(ca.leaf.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: ca.pool, DNSName: "127.0.0.1"}); err != nil {
		t.Errorf("certificate does not verify for 127.0.0.1: %v", err)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: ca.pool, DNSName: "127.0.0.2"}); err == nil {
		t.Error("certificate verifies for 127.0.0.2, want only 127.0.0.1")
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: x509.NewCertPool(), DNSName: "127.0.0.1"}); err == nil {
		t.Error("certificate verifies without the CA")
	}
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := ca.writeCAFile(path); err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if pemText, err := os.ReadFile(path); err != nil || !roots.AppendCertsFromPEM(pemText) {
		t.Fatalf("CA file %s does not hold a certificate (%v)", path, err)
	}
	l, err := tls.Listen("tcp", "127.0.0.1:0", ca.serverConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		if c, err := l.Accept(); err == nil {
			c.(*tls.Conn).Handshake()
			c.Close()
		}
	}()
	c, err := tls.Dial("tcp", l.Addr().String(), &tls.Config{RootCAs: roots})
	if err != nil {
		t.Fatalf("handshake with a client trusting the CA file: %v", err)
	}
	c.Close()
}

func TestArrivals(t *testing.T) {
	key, err := rsa.GenerateKey(crand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, err := rsa.GenerateKey(crand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	a := newArrivals()
	create := []byte(`{"id":"http://i/posts/1#create","type":"Create","object":{"id":"http://i/posts/1","type":"Note"}}`)
	accept := []byte(`{"id":"http://i/accepts/1","type":"Accept","object":"https://r/follows/1"}`)
	signed := func(body []byte, k *rsa.PrivateKey) *http.Request {
		r, _ := http.NewRequest(http.MethodPost, "https://127.0.0.1:1/inbox", bytes.NewReader(body))
		if err := federation.SignRequest(r, body, "http://i/users/bench#main-key", k, time.Now()); err != nil {
			t.Fatal(err)
		}
		return r
	}
	if err := a.check(signed(create, key), create); err == nil {
		t.Error("checked a signature before the key was known")
	}
	a.setKey(&key.PublicKey)
	t0 := time.Now()
	for i, step := range []struct {
		instance int
		body     []byte
		signer   *rsa.PrivateKey
	}{
		{0, create, key}, {1, create, key}, {0, create, key}, // again at 0: a duplicate
		{1, accept, key}, {2, accept, other}, // a bad signature
	} {
		at := t0.Add(time.Duration(i) * time.Millisecond)
		if err := a.record(step.instance, step.body, a.check(signed(step.body, step.signer), step.body), at); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	if err := a.record(0, []byte(`{"type":"Create"}`), nil, t0); err == nil {
		t.Error("recorded an activity without an id")
	}
	got := a.ofObject("Create", "http://i/posts/1")
	if len(got) != 2 || !got[0].Equal(t0) || !got[1].Equal(t0.Add(time.Millisecond)) {
		t.Errorf("Create arrivals %v, want instance 0 at +0 (the first) and 1 at +1ms", got)
	}
	if got := a.ofObject("Create", "http://i/posts/2"); got != nil {
		t.Errorf("arrivals of a post never sent: %v", got)
	}
	if accepts, total := a.ofKind("Accept"); len(accepts) != 2 || total != 2 {
		t.Errorf("Accepts at %d instances, %d in all; want 2 and 2", len(accepts), total)
	}
	checked, bad, dups, first := a.signatures()
	var sigErr *federation.SignatureError
	if checked != 5 || bad != 1 || dups != 1 || !errors.As(first, &sigErr) {
		t.Errorf("checked %d, bad %d, duplicates %d, first %v; want 5, 1, 1 and a signature error", checked, bad, dups, first)
	}
}

func TestCountFailedAttempts(t *testing.T) {
	log := `time=2026-12-05T01:00:00Z level=INFO msg=request method=POST path=/inbox status=202
time=2026-12-05T01:00:01Z level=INFO msg="delivery failed" inbox=https://127.0.0.1:4001/inbox attempt=1 err="deliver: dial tcp 127.0.0.1:4001: connect: connection refused" dropped=false
time=2026-12-05T01:00:02Z level=INFO msg="delivery failed" inbox=https://127.0.0.1:4001/users/reader/inbox attempt=1 err="x" dropped=false
time=2026-12-05T01:00:06Z level=INFO msg="delivery failed" inbox=https://127.0.0.1:4002/inbox attempt=2 err="deliver: net/http: TLS handshake timeout" dropped=false
`
	got, err := countFailedAttempts(strings.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["127.0.0.1:4001"] != 2 || got["127.0.0.1:4002"] != 1 {
		t.Errorf("got %v, want 127.0.0.1:4001 twice and 127.0.0.1:4002 once", got)
	}
}

// TestFleetDie checks that dead instances are dead in their two ways: a
// refused one refuses connections, a black hole accepts and never
// answers.
func TestFleetDie(t *testing.T) {
	ca, err := newBenchCA(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	key, err := rsa.GenerateKey(crand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	states := []hostState{hostLive, hostRefused, hostBlackHole}
	fl, err := startFleet(3, ca.serverConfig(), []*rsa.PrivateKey{key}, states, latencyRange{}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer fl.close()
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.pool}}}
	for _, ri := range fl.instances {
		resp, err := client.Get(ri.actor.uri)
		if err != nil {
			t.Fatalf("instance %d before dying: %v", ri.index, err)
		}
		resp.Body.Close()
	}
	if err := fl.die(); err != nil {
		t.Fatal(err)
	}
	if fl.live() != 1 {
		t.Errorf("%d live, want 1", fl.live())
	}
	if _, err := net.DialTimeout("tcp", fl.instances[1].addr, time.Second); err == nil {
		t.Error("the refusing instance accepted a connection")
	}
	c, err := net.DialTimeout("tcp", fl.instances[2].addr, time.Second)
	if err != nil {
		t.Fatalf("the black hole refused a connection: %v", err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	c.Write([]byte("GET / HTTP/1.0\r\n\r\n"))
	var b [1]byte
	n, err := c.Read(b[:])
	if ne, ok := err.(net.Error); n > 0 || !ok || !ne.Timeout() {
		t.Errorf("the black hole answered (%d bytes, %v), want nothing until the deadline", n, err)
	}
	if resp, err := client.Get(fl.instances[0].actor.uri); err != nil {
		t.Errorf("the live instance after the others died: %v", err)
	} else {
		resp.Body.Close()
	}
}

// TestFanoutSmoke runs the fan-out phase against a real tidings process
// with a few instances, one of each kind dead in the second round: every
// live one must get every post once, correctly signed, and each dead one
// be tried.
func TestFanoutSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("requires building and running tidings; skipped in short mode")
	}
	bin := filepath.Join(t.TempDir(), "tidings")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/tidings-social/tidings/cmd/tidings").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var stdout, stderr bytes.Buffer
	args := []string{"-tidings", bin, "-only", "fanout", "-instances", "6", "-dead", "0.34", "-posts", "2",
		"-latency-min", "1ms", "-latency-max", "5ms", "-conns", "3", "-timeout", "60s", "-json"}
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	var rep report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil || rep.Fanout == nil {
		t.Fatalf("report is not JSON with a fan-out (%v):\n%s", err, stdout.String())
	}
	f := rep.Fanout
	if f.Setup.Follows != 6 || f.Setup.TLSHandshakes < 6 {
		t.Errorf("set-up: %d follows, %d TLS connections; want 6 and at least 6", f.Setup.Follows, f.Setup.TLSHandshakes)
	}
	if len(f.Rounds) != 2 {
		t.Fatalf("got %d rounds, want 2: %+v", len(f.Rounds), f.Rounds)
	}
	for i, want := range []struct{ live, refused, holes int }{{6, 0, 0}, {4, 1, 1}} {
		r := f.Rounds[i]
		if r.Live != want.live || r.Delivered != 2*want.live || r.Refused != want.refused || r.BlackHoles != want.holes {
			t.Errorf("round %q: %d live, %d delivered, %d refused, %d black holes; want %d, %d, %d, %d",
				r.Round, r.Live, r.Delivered, r.Refused, r.BlackHoles, want.live, 2*want.live, want.refused, want.holes)
		}
		if len(r.PerPost) != 2 || r.DeliveriesPerS <= 0 || r.CPUPerDeliveryUs <= 0 || r.PeakRSSMiB <= 0 {
			t.Errorf("round %q: %d posts timed, %v/s, %v µs, %v MiB: want 2 and all positive", r.Round, len(r.PerPost),
				r.DeliveriesPerS, r.CPUPerDeliveryUs, r.PeakRSSMiB)
		}
	}
	if r := f.Rounds[1]; r.RefusedMin < 1 || r.BlackHoleMin < 1 {
		t.Errorf("dead hosts tried %d (refused) and %d (black hole) times, want at least once each", r.RefusedMin, r.BlackHoleMin)
	}
	// Six Accepts, twelve Creates to six, eight to four.
	if f.Received != 6+12+8 || f.BadSignatures != 0 || f.Duplicates != 0 {
		t.Errorf("received %d, %d bad signatures, %d duplicates; want 26, 0, 0", f.Received, f.BadSignatures, f.Duplicates)
	}
}
