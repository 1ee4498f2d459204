package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// testAPI is the API served on loopback over a fresh database, mounted
// as web mounts it: on a root router, wrapped in CORS.
type testAPI struct {
	t   *testing.T
	db  *storage.DB
	URL string
}

func startAPI(t *testing.T, cfg Config) *testAPI {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	cfg.Scheme, cfg.Domain = "http", srv.Listener.Addr().String()
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "tidings.db"), storage.Site{Scheme: cfg.Scheme, Domain: cfg.Domain})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := New(db, nil, cfg, slog.New(slog.DiscardHandler))
	r := mux.NewRouter()
	a.Routes(r)
	srv.Config.Handler = CORS(r)
	srv.Start()
	t.Cleanup(srv.Close)
	return &testAPI{t: t, db: db, URL: srv.URL}
}

// answer is an API answer with its body read.
type answer struct {
	Status int
	Header http.Header
	Body   string
}

// json decodes the answer's body into v.
func (a answer) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(a.Body), v); err != nil {
		t.Fatalf("decode %q: %v", a.Body, err)
	}
}

// call sends a request with the body of the content type and the bearer
// token ("" for none).
func (ta *testAPI) call(method, path, contentType, body, token string) answer {
	ta.t.Helper()
	req, err := http.NewRequest(method, ta.URL+path, strings.NewReader(body))
	if err != nil {
		ta.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ta.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		ta.t.Fatal(err)
	}
	return answer{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// wantJSONAnswer fails unless the answer has the status and is JSON.
func wantJSONAnswer(t *testing.T, a answer, status int) {
	t.Helper()
	if a.Status != status {
		t.Errorf("status = %d, want %d; body %s", a.Status, status, a.Body)
	}
	if ct := a.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}
	if !json.Valid([]byte(a.Body)) {
		t.Errorf("body %q is not JSON", a.Body)
	}
}
