package federation

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// The federation benchmarks. docs/BENCHMARKS.md says how to run them,
// on what machine they last ran, and what they found.

// inboxBench is an instance taking deliveries from known remote authors,
// whom its member follows.
type inboxBench struct {
	db      *storage.DB
	fed     *Federator
	router  *mux.Router
	authors []remoteAuthor
	server  *httptest.Server // the router on a loopback port
	inbox   string           // the shared inbox on server
}

func newInboxBench(b *testing.B) *inboxBench {
	b.Helper()
	fx := &inboxBench{db: openBenchDB(b)}
	fx.fed = newBenchFederator(fx.db)
	fx.router = mux.NewRouter()
	fx.fed.Routes(fx.router)
	reader := createBenchMember(b, fx.db, "reader")
	fx.authors = saveRemoteAuthors(b, fx.db, reader)
	fx.server = httptest.NewServer(fx.router)
	b.Cleanup(fx.server.Close)
	fx.inbox = fx.server.URL + "/inbox"
	return fx
}

// failures counts requests a benchmark's goroutines saw fail, since only
// the benchmark's own goroutine may stop it.
type failures struct {
	n     atomic.Int64
	first atomic.Value // string
}

func (f *failures) add(format string, args ...any) {
	if f.n.Add(1) == 1 {
		f.first.Store(fmt.Sprintf(format, args...))
	}
}

func (f *failures) check(b *testing.B) {
	b.Helper()
	if n := f.n.Load(); n > 0 {
		b.Fatalf("%d of %d requests failed; first: %s", n, b.N, f.first.Load())
	}
}

// BenchmarkInboxSignedCreate measures how many signed Create(Note)
// activities from known actors the shared inbox takes per second: read,
// parsed, signature verified, stored, answered 202.
//
//   - handler: requests parsed from their wire form and served by the
//     router in this process, on every core;
//   - loopback: the same over TCP from 16 concurrent clients in this
//     process, which share the cores with the server;
//   - sustained: handler, with the inbox workers running, timed until
//     every stored activity has also been processed (here: kept as a
//     post, since the member follows the authors);
//   - verify: only what the signature check costs, PEM parsing and
//     RSA-2048 verification included;
//   - store: only the two writes the inbox makes for each activity.
func BenchmarkInboxSignedCreate(b *testing.B) {
	b.Run("handler", func(b *testing.B) {
		fx := newInboxBench(b)
		reqs := signCreates(b, fx.authors, fx.inbox, b.N)
		b.ReportAllocs()
		b.ResetTimer()
		cpu := cpuTime()
		fx.serveParallel(b, reqs)
		reportCPU(b, cpu)
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "activities/s")
	})
	b.Run("loopback", func(b *testing.B) {
		fx := newInboxBench(b)
		reqs := signCreates(b, fx.authors, fx.inbox, b.N)
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		defer client.CloseIdleConnections()
		var next atomic.Int64
		var failed failures
		b.SetParallelism(8)
		b.ReportAllocs()
		b.ResetTimer()
		cpu := cpuTime()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				s := reqs[next.Add(1)-1]
				resp, err := client.Do(s.request())
				if err != nil {
					failed.add("%v", err)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusAccepted {
					failed.add("status %d", resp.StatusCode)
				}
			}
		})
		b.StopTimer()
		reportCPU(b, cpu)
		failed.check(b)
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "activities/s")
	})
	b.Run("sustained", func(b *testing.B) {
		fx := newInboxBench(b)
		reqs := signCreates(b, fx.authors, fx.inbox, b.N)
		ctx, stop := context.WithCancel(context.Background())
		var workers sync.WaitGroup
		workers.Go(func() { fx.fed.Run(ctx) })
		defer func() { stop(); workers.Wait() }()
		b.ReportAllocs()
		b.ResetTimer()
		use := fx.db.WriterUse()
		cpu := cpuTime()
		fx.serveParallel(b, reqs)
		fx.waitProcessed(b)
		b.StopTimer()
		reportCPU(b, cpu)
		reportWriterUse(b, fx.db, use)
		if kept := fx.keptPosts(b); kept != b.N {
			b.Fatalf("%d of %d activities were kept as posts", kept, b.N)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "activities/s")
	})
	b.Run("process", func(b *testing.B) {
		// The inbox workers alone: the activities are received first,
		// untimed, then processed into posts.
		fx := newInboxBench(b)
		reqs := signCreates(b, fx.authors, fx.inbox, b.N)
		fx.serveParallel(b, reqs)
		ctx, stop := context.WithCancel(context.Background())
		var workers sync.WaitGroup
		defer func() { stop(); workers.Wait() }()
		b.ReportAllocs()
		b.ResetTimer()
		use := fx.db.WriterUse()
		cpu := cpuTime()
		workers.Go(func() { fx.fed.Run(ctx) })
		fx.waitProcessed(b)
		b.StopTimer()
		reportCPU(b, cpu)
		reportWriterUse(b, fx.db, use)
		if kept := fx.keptPosts(b); kept != b.N {
			b.Fatalf("%d of %d activities were kept as posts", kept, b.N)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "activities/s")
	})
	b.Run("verify", func(b *testing.B) {
		fx := newInboxBench(b)
		// Verifying caches nothing, so a thousand requests checked in turn
		// stand for any number, and spare signing one per operation.
		signed := signCreates(b, fx.authors, fx.inbox, min(b.N, 1000))
		type check struct {
			r    *http.Request
			body []byte
			pem  string
		}
		checks := make([]check, len(signed))
		for i, s := range signed {
			r, err := s.received()
			if err != nil {
				b.Fatal(err)
			}
			owner := fx.authors[i%len(fx.authors)]
			checks[i] = check{r, s.body, publicKeyPEM(b, owner.key)}
		}
		now := fx.fed.now()
		var next atomic.Int64
		var failed failures
		b.ReportAllocs()
		b.ResetTimer()
		cpu := cpuTime()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				c := checks[int(next.Add(1)-1)%len(checks)]
				pub, err := storage.ParsePublicKey(c.pem)
				if err == nil {
					err = VerifyRequest(c.r, c.body, pub, now)
				}
				if err != nil {
					failed.add("%v", err)
				}
			}
		})
		b.StopTimer()
		reportCPU(b, cpu)
		failed.check(b)
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verified/s")
	})
	b.Run("store", func(b *testing.B) {
		fx := newInboxBench(b)
		bodies := make([][]byte, b.N)
		for i := range bodies {
			bodies[i] = createNote(fx.authors[i%len(fx.authors)], benchStatus.Add(1), time.Now())
		}
		ctx := context.Background()
		var next atomic.Int64
		var failed failures
		b.ReportAllocs()
		b.ResetTimer()
		cpu := cpuTime()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := next.Add(1) - 1
				author := fx.authors[int(i)%len(fx.authors)]
				id := fmt.Sprintf("%s/store/%d", author.uri, i)
				if _, err := fx.db.StoreInbound(ctx, id, author.uri, "Create", "", bodies[i]); err != nil {
					failed.add("%v", err)
				}
				if err := fx.db.HostAnswered(ctx, hostOf(author.uri)); err != nil {
					failed.add("%v", err)
				}
			}
		})
		b.StopTimer()
		reportCPU(b, cpu)
		failed.check(b)
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "stored/s")
	})
}

// keptPosts counts the posts stored of the remote authors.
func (fx *inboxBench) keptPosts(b *testing.B) int {
	b.Helper()
	kept := 0
	for _, a := range fx.authors {
		n, err := fx.db.CountPostsBy(context.Background(), storage.Stranger, a.id)
		if err != nil {
			b.Fatal(err)
		}
		kept += n
	}
	return kept
}

// serveParallel has the router serve the requests, as read off the
// wire, on every core.
func (fx *inboxBench) serveParallel(b *testing.B, reqs []*signedCreate) {
	var next atomic.Int64
	var failed failures
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r, err := reqs[next.Add(1)-1].received()
			if err != nil {
				failed.add("%v", err)
				continue
			}
			w := httptest.NewRecorder()
			fx.router.ServeHTTP(w, r)
			if w.Code != http.StatusAccepted {
				failed.add("status %d: %s", w.Code, w.Body)
			}
		}
	})
	failed.check(b)
}

// The fan-out: followers spread over instances that all have a shared
// inbox, so that one post makes fanOutInstances deliveries.
const (
	fanOutInstances   = 1000
	fanOutPerInstance = 10
)

// fanOutBench is an instance whose member has fanOutInstances *
// fanOutPerInstance followers, with the followers' servers: one loopback
// HTTP server per instance, answering 202.
type fanOutBench struct {
	db       *storage.DB
	fed      *Federator
	author   *storage.Member
	servers  []*httptest.Server
	received []atomic.Int64 // deliveries each server took
	refused  failures
}

func newFanOutBench(b *testing.B) *fanOutBench {
	b.Helper()
	fx := &fanOutBench{db: openBenchDB(b), received: make([]atomic.Int64, fanOutInstances)}
	fx.fed = newBenchFederator(fx.db)
	fx.author = createBenchMember(b, fx.db, "alice")
	b.Cleanup(func() {
		fx.fed.client.transport.CloseIdleConnections()
		for _, s := range fx.servers {
			s.Close()
		}
	})
	ctx := context.Background()
	followerKey := publicKeyPEM(b, remoteKeys(b)[0]) // never used: followers only receive
	for i := range fanOutInstances {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			if r.Method != http.MethodPost || r.URL.Path != "/inbox" || r.Header.Get("Signature") == "" {
				fx.refused.add("%s %s, signature %q", r.Method, r.URL.Path, r.Header.Get("Signature"))
				http.Error(w, "not a signed delivery to the shared inbox", http.StatusBadRequest)
				return
			}
			fx.received[i].Add(1)
			w.WriteHeader(http.StatusAccepted)
		}))
		fx.servers = append(fx.servers, srv)
		for j := range fanOutPerInstance {
			uri := fmt.Sprintf("%s/users/u%d", srv.URL, j)
			follower, err := fx.db.SaveRemoteActor(ctx, storage.RemoteActor{
				URI: uri, Kind: storage.KindPerson, Username: fmt.Sprintf("u%d", j),
				Inbox: uri + "/inbox", SharedInbox: srv.URL + "/inbox",
				KeyID: uri + "#main-key", PublicKeyPEM: followerKey,
			})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := fx.db.ReceiveFollow(ctx, follower.ID, fx.author.ID, uri+"/follows/1"); err != nil {
				b.Fatal(err)
			}
		}
	}
	discardOutbox(b, fx.db) // the Accepts of the follows
	return fx
}

// allReceived reports whether every server took n deliveries.
func (fx *fanOutBench) allReceived(n int64) bool {
	for i := range fx.received {
		if fx.received[i].Load() < n {
			return false
		}
	}
	return true
}

// BenchmarkFanOut measures the time from a member's post to its
// acknowledgement by 1,000 instances (10,000 followers), with the real
// workers: outbox expansion, signing, sending, recording. It also
// reports the process's resident memory idle and at its peak during the
// fan-out; the process includes the 1,000 loopback servers.
func BenchmarkFanOut(b *testing.B) {
	fx := newFanOutBench(b)
	ctx, stop := context.WithCancel(context.Background())
	var workers sync.WaitGroup
	workers.Go(func() { fx.fed.Run(ctx) })
	defer func() { stop(); workers.Wait() }()

	// Idle: workers polling, setup garbage returned to the system.
	time.Sleep(time.Second)
	runtime.GC()
	debug.FreeOSMemory()
	idleRSS := float64(residentKiB()) / 1024
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	idleHeap := float64(mem.HeapInuse) / (1 << 20)

	var took, cpu time.Duration
	peakRSS := 0.0
	b.ResetTimer()
	for i := range b.N {
		rss := sampleRSS()
		start, startCPU := time.Now(), cpuTime()
		if _, err := fx.db.CreatePost(ctx, fx.author.ID, fmt.Sprintf("Fan-out %d: the council approves the tram line.", i)); err != nil {
			b.Fatal(err)
		}
		want := (i + 1) * fanOutInstances
		deadline := start.Add(2 * time.Minute)
		// Watch the servers' counters first, which costs nothing, then the
		// database until it has recorded every acknowledgement.
		for !fx.allReceived(int64(i+1)) && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		for {
			pending, delivered, dropped, err := fx.db.DeliveryCounts(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if dropped > 0 {
				b.Fatalf("%d deliveries dropped", dropped)
			}
			if pending == 0 && delivered == want {
				break
			}
			if time.Now().After(deadline) {
				b.Fatalf("after 2 min: %d pending, %d of %d delivered", pending, delivered, want)
			}
			time.Sleep(5 * time.Millisecond)
		}
		took += time.Since(start)
		cpu += cpuTime() - startCPU
		peakRSS = max(peakRSS, rss.end())
		for s := range fx.received {
			if n := fx.received[s].Load(); n != int64(i+1) {
				b.Fatalf("server %d took %d deliveries, want %d", s, n, i+1)
			}
		}
	}
	b.StopTimer()
	fx.refused.check(b)
	b.ReportMetric(took.Seconds()/float64(b.N), "s/fanout")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/fanout")
	b.ReportMetric(float64(b.N*fanOutInstances)/took.Seconds(), "deliveries/s")
	b.ReportMetric(idleRSS, "idle-RSS-MiB")
	b.ReportMetric(idleHeap, "idle-heap-MiB")
	b.ReportMetric(peakRSS, "peak-RSS-MiB")
}

// waitProcessed waits until no received activity is left to process.
func (fx *inboxBench) waitProcessed(b *testing.B) {
	for {
		n, err := fx.db.PendingInbound(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			return
		}
		// Often enough for a run of seconds; more often, the count itself
		// would take a tenth of the CPU measured.
		time.Sleep(10 * time.Millisecond)
	}
}
