package federation

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// FuzzWebFingerResource asks this instance's WebFinger for any resource.
// Whatever is asked, the answer is 200, 400 or 404; a 200 names a local
// actor that exists, under the subject acct:NAME@DOMAIN, and its self
// link loops back to that actor.
func FuzzWebFingerResource(f *testing.F) {
	for _, seed := range []string{
		"acct:alice@tidings.test", "alice@tidings.test", "@ALICE@Tidings.Test", "acct:climate@tidings.test",
		"acct:tidings.test@tidings.test", "https://tidings.test/users/alice", "https://tidings.test/@alice",
		"https://tidings.test/s/climate", "https://tidings.test/actor", "acct:alice@elsewhere.example",
		"acct:@tidings.test", "https://tidings.test/users/", "acct:alice@tidings.test@tidings.test", "",
	} {
		f.Add(seed)
	}
	db := newFuzzInstance(f).db.open(f) // read only: one copy serves every input
	fed := New(db, Config{Site: fixtureSite, Version: "fuzz"}, slog.New(slog.DiscardHandler))
	router := mux.NewRouter()
	fed.Routes(router)
	f.Fuzz(func(t *testing.T, resource string) {
		req := httptest.NewRequest(http.MethodGet, "/.well-known/webfinger?resource="+url.QueryEscape(resource), nil)
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK:
			checkWebFingerAnswer(t, db, rec.Body.Bytes())
		case http.StatusBadRequest, http.StatusNotFound:
			if resource != "" && rec.Code == http.StatusBadRequest {
				t.Errorf("resource %q: 400, want 200 or 404", resource)
			}
		default:
			t.Errorf("resource %q: status %d (%s)", resource, rec.Code, rec.Body)
		}
	})
}

// checkWebFingerAnswer checks a 200 answer as Mastodon will read it.
func checkWebFingerAnswer(t *testing.T, db *storage.DB, body []byte) {
	t.Helper()
	var doc jrd
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("answer %q is not a JRD: %v", body, err)
	}
	name, ok := strings.CutPrefix(doc.Subject, "acct:")
	name, domain, ok2 := strings.Cut(name, "@")
	if !ok || !ok2 || name == "" || domain != fixtureSite.Domain {
		t.Fatalf("subject %q is not acct:NAME@%s", doc.Subject, fixtureSite.Domain)
	}
	var self []string
	for _, l := range doc.Links {
		if l.Rel == "self" && l.Type == "application/activity+json" {
			self = append(self, l.Href)
		}
	}
	if len(self) != 1 {
		t.Fatalf("answer for %s has self links %q; want one", doc.Subject, self)
	}
	a, err := db.ActorByURI(context.Background(), self[0])
	if err != nil || !a.Local || a.Username != name {
		t.Errorf("self link %s of %s: actor %+v, %v; want the local actor %s", self[0], doc.Subject, a, err, name)
	}
}
