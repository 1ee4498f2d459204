package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// instance is a real Tidings instance started for a test on a random
// loopback port, with its database in a temporary directory.
type instance struct {
	*Main
	URL string
}

// startInstance starts an instance on the default config, changed by
// configure (which may be nil), and stops it when the test ends.
func startInstance(t *testing.T, configure func(*Config)) *instance {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Server.Domain = ln.Addr().String()
	cfg.Server.Listen = ln.Addr().String()
	cfg.Storage.Path = filepath.Join(t.TempDir(), "tidings.db")
	if configure != nil {
		configure(&cfg)
	}
	m := &Main{Config: cfg, Listener: ln}
	if err := m.Run(context.Background()); err != nil {
		ln.Close()
		t.Fatalf("run instance: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close instance: %v", err)
		}
	})
	return &instance{Main: m, URL: "http://" + ln.Addr().String()}
}

// visitor is a person using the site with a cookie jar, like a browser
// without JavaScript. It does not follow redirects, so tests see them.
type visitor struct {
	t      *testing.T
	base   string
	client *http.Client
	csrf   string // the token from the last page with a form
}

func newVisitor(t *testing.T, inst *instance) *visitor {
	jar, _ := cookiejar.New(nil)
	return &visitor{t: t, base: inst.URL, client: &http.Client{
		Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// page is an answer from the site.
type page struct {
	Status   int
	Body     string
	Location string
}

var csrfPattern = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (v *visitor) do(req *http.Request) page {
	v.t.Helper()
	resp, err := v.client.Do(req)
	if err != nil {
		v.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		v.t.Fatalf("read %s: %v", req.URL, err)
	}
	if m := csrfPattern.FindSubmatch(body); m != nil {
		v.csrf = string(m[1])
	}
	return page{Status: resp.StatusCode, Body: string(body), Location: resp.Header.Get("Location")}
}

// get fetches a page of the site.
func (v *visitor) get(path string) page {
	v.t.Helper()
	req, err := http.NewRequest(http.MethodGet, v.base+path, nil)
	if err != nil {
		v.t.Fatal(err)
	}
	return v.do(req)
}

// post submits a form with the CSRF token of the last page seen.
func (v *visitor) post(path string, form url.Values) page {
	v.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("csrf") {
		form.Set("csrf", v.csrf)
	}
	req, err := http.NewRequest(http.MethodPost, v.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		v.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return v.do(req)
}

// signUp registers through the sign-up form.
func (v *visitor) signUp(name, password string, extra url.Values) page {
	v.t.Helper()
	v.get("/signup")
	form := url.Values{
		"username": {name}, "email": {name + "@example.org"},
		"password": {password}, "password_again": {password},
	}
	for k, vals := range extra {
		form[k] = vals
	}
	return v.post("/signup", form)
}

// signIn signs in through the sign-in form.
func (v *visitor) signIn(name, password string) page {
	v.t.Helper()
	v.get("/signin")
	return v.post("/signin", url.Values{"username": {name}, "password": {password}})
}

// wantStatus fails the test unless p has the status.
func wantStatus(t *testing.T, p page, status int) {
	t.Helper()
	if p.Status != status {
		t.Fatalf("status = %d, want %d; body:\n%s", p.Status, status, p.Body)
	}
}

// wantBody fails the test unless the page contains each of the texts.
func wantBody(t *testing.T, p page, texts ...string) {
	t.Helper()
	for _, text := range texts {
		if !strings.Contains(p.Body, text) {
			t.Errorf("page does not contain %q; body:\n%s", text, p.Body)
		}
	}
}
