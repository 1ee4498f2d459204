package federation

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// Fixtures for the benchmarks in bench_test.go.

// benchSite is the instance the benchmarks run as.
var benchSite = storage.Site{Scheme: "https", Domain: "tidings.test"}

// benchRemoteKeys are the RSA-2048 keys of the remote authors, made once
// per test binary: making them takes about 0.1 s each.
var benchRemoteKeys struct {
	once sync.Once
	keys []*rsa.PrivateKey
}

// benchAuthors is how many remote authors send the inbox benchmark's
// activities, each with a key of its own.
const benchAuthors = 20

func remoteKeys(tb testing.TB) []*rsa.PrivateKey {
	tb.Helper()
	benchRemoteKeys.once.Do(func() {
		keys := make([]*rsa.PrivateKey, benchAuthors)
		var wg sync.WaitGroup
		for i := range keys {
			wg.Go(func() { keys[i], _ = rsa.GenerateKey(rand.Reader, 2048) })
		}
		wg.Wait()
		benchRemoteKeys.keys = keys
	})
	for _, k := range benchRemoteKeys.keys {
		if k == nil {
			tb.Fatal("generate RSA keys failed")
		}
	}
	return benchRemoteKeys.keys
}

// publicKeyPEM is the publicKeyPem an actor document would carry.
func publicKeyPEM(tb testing.TB, key *rsa.PrivateKey) string {
	tb.Helper()
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		tb.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// openBenchDB opens a fresh database in a temporary directory.
func openBenchDB(b *testing.B) *storage.DB {
	b.Helper()
	db, err := storage.Open(context.Background(), filepath.Join(b.TempDir(), "tidings.db"), benchSite)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// newBenchFederator is the federator of the instance on db, reaching
// loopback servers, logging nothing.
func newBenchFederator(db *storage.DB) *Federator {
	return New(db, Config{Site: benchSite, Version: "bench", AllowPrivateAddresses: true},
		slog.New(slog.DiscardHandler))
}

// createBenchMember makes an active local member.
func createBenchMember(b *testing.B, db *storage.DB, name string) *storage.Member {
	b.Helper()
	m, err := db.CreateMember(context.Background(), storage.MemberCreate{
		Username: name, Email: name + "@example.org", Password: "a long password",
	})
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// discardOutbox marks every pending outbox event done with nothing to
// send, so that a benchmark's deliveries are only the ones it measures.
func discardOutbox(b *testing.B, db *storage.DB) {
	b.Helper()
	ctx := context.Background()
	for {
		events, err := db.PendingOutbox(ctx, 500)
		if err != nil {
			b.Fatal(err)
		}
		if len(events) == 0 {
			return
		}
		for _, e := range events {
			if _, err := db.ExpandOutbox(ctx, e.ID, nil, "", nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// remoteAuthor is a known remote actor who signs what it sends.
type remoteAuthor struct {
	id, uri, keyID string
	key            *rsa.PrivateKey
}

// saveRemoteAuthors stores one remote author per key, each on a server
// of its own, followed by the local member follower, as a news feed's
// authors are.
func saveRemoteAuthors(b *testing.B, db *storage.DB, follower *storage.Member) []remoteAuthor {
	b.Helper()
	ctx := context.Background()
	var authors []remoteAuthor
	for i, key := range remoteKeys(b) {
		base := fmt.Sprintf("https://remote%d.example", i)
		uri := base + "/users/reporter"
		a, err := db.SaveRemoteActor(ctx, storage.RemoteActor{
			URI: uri, Kind: storage.KindPerson, Username: "reporter",
			Inbox: uri + "/inbox", SharedInbox: base + "/inbox", Followers: uri + "/followers",
			KeyID: uri + "#main-key", PublicKeyPEM: publicKeyPEM(b, key),
		})
		if err != nil {
			b.Fatal(err)
		}
		f, err := db.Follow(ctx, follower.ID, a.ID)
		if err != nil {
			b.Fatal(err)
		}
		if err := db.ReceiveAccept(ctx, a.ID, f.ActivityURI, follower.ID); err != nil {
			b.Fatal(err)
		}
		authors = append(authors, remoteAuthor{id: a.ID, uri: uri, keyID: a.KeyID, key: key})
	}
	discardOutbox(b, db) // the Follows
	return authors
}

// benchStatus numbers the remote posts, so that every activity has an
// id of its own.
var benchStatus atomic.Int64

// createNote is a Create(Note) as Mastodon 4 sends it, about 2 KB.
func createNote(author remoteAuthor, n int64, now time.Time) []byte {
	status := fmt.Sprintf("%s/statuses/%d", author.uri, n)
	published := now.UTC().Format(time.RFC3339)
	public := "https://www.w3.org/ns/activitystreams#Public"
	note := map[string]any{
		"id": status, "type": "Note", "summary": nil, "inReplyTo": nil, "published": published,
		"url":          strings.Replace(status, "/users/reporter/statuses/", "/@reporter/", 1),
		"attributedTo": author.uri, "to": []string{public}, "cc": []string{author.uri + "/followers"},
		"sensitive": false, "atomUri": status, "inReplyToAtomUri": nil,
		"conversation": fmt.Sprintf("tag:remote.example,2025:objectId=%d:objectType=Conversation", n),
		"content": `<p>Council approves the new tram line after a two-year review; construction starts in spring. ` +
			`<a href="https://news.example/2025/tram" rel="nofollow noopener" target="_blank">news.example/2025/tram</a></p>`,
		"contentMap": map[string]string{"en": "<p>Council approves the new tram line.</p>"},
		"attachment": []any{}, "tag": []any{},
		"replies": map[string]any{
			"id": status + "/replies", "type": "Collection",
			"first": map[string]any{"type": "CollectionPage", "next": status + "/replies?only_other_accounts=true&page=true",
				"partOf": status + "/replies", "items": []any{}},
		},
	}
	create := map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
			map[string]any{"ostatus": "http://ostatus.org#", "atomUri": "ostatus:atomUri",
				"inReplyToAtomUri": "ostatus:inReplyToAtomUri", "conversation": "ostatus:conversation",
				"sensitive": "as:sensitive", "toot": "http://joinmastodon.org/ns#"}},
		"id": status + "/activity", "type": "Create", "actor": author.uri, "published": published,
		"to": []string{public}, "cc": []string{author.uri + "/followers"}, "object": note,
	}
	body, _ := json.Marshal(create)
	return body
}

// signedCreate is one signed delivery, kept as the parts a client sends.
type signedCreate struct {
	url    string
	header http.Header
	body   []byte
	wire   []byte // the whole request as it crosses the network
}

// request is the delivery as a client sends it.
func (s *signedCreate) request() *http.Request {
	r, _ := http.NewRequest(http.MethodPost, s.url, bytes.NewReader(s.body))
	r.Header = s.header.Clone()
	r.ContentLength = int64(len(s.body))
	return r
}

// received is the delivery as the inbox's server reads it.
func (s *signedCreate) received() (*http.Request, error) {
	return http.ReadRequest(bufio.NewReader(bytes.NewReader(s.wire)))
}

// signCreates makes n signed Create(Note) deliveries to inbox from the
// authors in turn, signing on every core.
func signCreates(b *testing.B, authors []remoteAuthor, inbox string, n int) []*signedCreate {
	b.Helper()
	out := make([]*signedCreate, n)
	errs := make(chan error, runtime.GOMAXPROCS(0))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range cap(errs) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				author := authors[i%len(authors)]
				body := createNote(author, benchStatus.Add(1), time.Now())
				r, err := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
				if err != nil {
					errs <- err
					return
				}
				r.Header.Set("Content-Type", deliveryContentType)
				r.Header.Set("User-Agent", "Mastodon/4.3 (bench)")
				if err := SignRequest(r, body, author.keyID, author.key, time.Now()); err != nil {
					errs <- err
					return
				}
				var wire bytes.Buffer
				if err := r.Write(&wire); err != nil {
					errs <- err
					return
				}
				out[i] = &signedCreate{url: inbox, header: r.Header, body: body, wire: wire.Bytes()}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	return out
}

// residentKiB is this process's resident set size (VmRSS), in KiB.
func residentKiB() int64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// rssPeak samples the resident set size every 10 ms until stopped.
type rssPeak struct {
	peak atomic.Int64
	stop chan struct{}
	done chan struct{}
}

func sampleRSS() *rssPeak {
	p := &rssPeak{stop: make(chan struct{}), done: make(chan struct{})}
	p.peak.Store(residentKiB())
	go func() {
		defer close(p.done)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-tick.C:
				if kib := residentKiB(); kib > p.peak.Load() {
					p.peak.Store(kib)
				}
			}
		}
	}()
	return p
}

// end stops sampling and returns the peak in MiB.
func (p *rssPeak) end() float64 {
	close(p.stop)
	<-p.done
	if kib := residentKiB(); kib > p.peak.Load() {
		p.peak.Store(kib)
	}
	return float64(p.peak.Load()) / 1024
}

// cpuTime is the CPU time, user and system, this process has used. On a
// machine shared with other work it tells the cost of an operation better
// than the wall clock does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time used since start per operation, in
// microseconds.
// reportWriterUse reports the share of the time the writer connection
// was busy since before, and the writes each of its commits carried.
func reportWriterUse(b *testing.B, db *storage.DB, before storage.WriterUse) {
	now := db.WriterUse()
	b.ReportMetric(100*float64(now.Busy-before.Busy)/float64(b.Elapsed()), "writer-busy-%")
	if groups := now.Groups - before.Groups; groups > 0 {
		b.ReportMetric(float64(now.Writes-before.Writes)/float64(groups), "writes/commit")
	}
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/float64(b.N), "cpu-us/op")
}
