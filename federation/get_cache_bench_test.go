package federation

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gorilla/mux"
)

// discardWriter is a ResponseWriter that keeps only the status, so that
// a benchmark measures the handler rather than a recorder.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }

// BenchmarkDiscoveryGet measures the GETs other servers make most, served
// by the router in this process on every core (b.RunParallel):
// WebFinger, a member's actor unsigned, the same signed under authorized
// fetch (the signature is checked on every request), and NodeInfo.
func BenchmarkDiscoveryGet(b *testing.B) {
	db := openBenchDB(b)
	fed := newBenchFederator(db)
	router := mux.NewRouter()
	fed.Routes(router)
	reader := createBenchMember(b, db, "reader")
	authors := saveRemoteAuthors(b, db, reader)

	request := func(path string, sign bool) *http.Request {
		r := httptest.NewRequest(http.MethodGet, benchSite.Base()+path, nil)
		r.Header.Set("Accept", "application/activity+json")
		if sign {
			a := authors[0]
			if err := SignRequest(r, nil, a.keyID, a.key, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
		return r
	}
	cases := []struct {
		name, path      string
		authorizedFetch bool
	}{
		{"webfinger", "/.well-known/webfinger?resource=acct:reader@" + benchSite.Domain, false},
		{"actor", "/users/reader", false},
		{"actor-signed", "/users/reader", true},
		{"nodeinfo", "/nodeinfo/2.1", false},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			fed.cfg.AuthorizedFetch = c.authorizedFetch
			var failed failures
			b.ReportAllocs()
			start := cpuTime()
			b.RunParallel(func(pb *testing.PB) {
				r := request(c.path, c.authorizedFetch)
				w := &discardWriter{h: http.Header{}}
				for pb.Next() {
					clear(w.h)
					w.status = 0
					router.ServeHTTP(w, r)
					if w.status != 0 && w.status != http.StatusOK {
						failed.add("%s: status %d", c.path, w.status)
					}
				}
			})
			reportCPU(b, start)
			failed.check(b)
		})
	}
}
