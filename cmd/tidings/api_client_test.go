package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// apiAnswer is an answer of the client API, its JSON body decoded.
type apiAnswer struct {
	Status int
	Header http.Header
	Body   string
	JSON   map[string]any
}

// str returns a string field of the body, "" when absent.
func (a apiAnswer) str(name string) string {
	s, _ := a.JSON[name].(string)
	return s
}

// apiCall calls the client API as an app does: the body in the content
// type given ("" for none), the token as a bearer token ("" for none).
// Every answer must be JSON.
func apiCall(t *testing.T, inst *instance, method, path, contentType, body, token string) apiAnswer {
	t.Helper()
	req, err := http.NewRequest(method, inst.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := apiAnswer{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("%s %s: Content-Type = %q, want JSON; body %s", method, path, ct, b)
	}
	if err := json.Unmarshal(b, &a.JSON); err != nil {
		t.Errorf("%s %s: body %q is not a JSON object: %v", method, path, b, err)
	}
	return a
}

// wantAPIStatus fails the test unless the answer has the status.
func wantAPIStatus(t *testing.T, a apiAnswer, status int) {
	t.Helper()
	if a.Status != status {
		t.Fatalf("status = %d, want %d; body %s", a.Status, status, a.Body)
	}
}

// wantOAuthError fails the test unless the answer is the RFC 6749 error.
func wantOAuthError(t *testing.T, a apiAnswer, status int, code string) {
	t.Helper()
	if a.Status != status || a.str("error") != code || a.str("error_description") == "" {
		t.Fatalf("answer = %d %s, want %d with error %q and a description", a.Status, a.Body, status, code)
	}
}
