package main

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// browser is the member at the instance's web pages, as a browser is:
// cookies, and the CSRF token of the last form seen.
type browser struct {
	base   string
	client *http.Client
	csrf   string
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func newBrowser(in *instance) *browser {
	jar, _ := cookiejar.New(nil) // with no options it cannot fail
	return &browser{base: "http://" + in.addr, client: &http.Client{
		Jar:           jar,
		Timeout:       time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// do sends the request and returns the status and the Location, keeping
// the CSRF token of a page with a form.
func (b *browser) do(req *http.Request) (int, string, error) {
	resp, err := b.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, "", fmt.Errorf("read %s: %w", req.URL.Path, err)
	}
	if m := csrfField.FindSubmatch(body); m != nil {
		b.csrf = string(m[1])
	}
	return resp.StatusCode, resp.Header.Get("Location"), nil
}

// get fetches a page.
func (b *browser) get(ctx context.Context, path string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+path, nil)
	if err != nil {
		return 0, err
	}
	status, _, err := b.do(req)
	return status, err
}

// submit posts a form with the CSRF token and expects a redirect, whose
// target it returns.
func (b *browser) submit(ctx context.Context, path string, form url.Values) (string, error) {
	form.Set("csrf", b.csrf)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, location, err := b.do(req)
	if err != nil {
		return "", fmt.Errorf("post %s: %w", path, err)
	}
	if status != http.StatusSeeOther || location == "" {
		return "", fmt.Errorf("post %s: status %d, want a redirect", path, status)
	}
	return location, nil
}

// signIn signs the member in through the sign-in form.
func (b *browser) signIn(ctx context.Context, name, password string) error {
	if _, err := b.get(ctx, "/signin"); err != nil {
		return fmt.Errorf("sign-in page: %w", err)
	}
	if _, err := b.submit(ctx, "/signin", url.Values{"username": {name}, "password": {password}}); err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	return nil
}

// publish posts a discussion to the member's profile (so to their
// followers) with the CSRF token of the last page seen (one token serves
// a visitor throughout), and returns its URL.
func (b *browser) publish(ctx context.Context, headline string) (string, error) {
	location, err := b.submit(ctx, "/compose", url.Values{"action": {"publish"}, "kind": {"discussion"},
		"headline": {headline}, "text": {"Measured from " + headline + ": a post that every follower's server must get."}})
	if err != nil {
		return "", fmt.Errorf("publish: %w", err)
	}
	if !strings.HasPrefix(location, "/posts/") {
		return "", fmt.Errorf("publish: redirected to %q, want the post", location)
	}
	return b.base + location, nil
}

// memberKey fetches the member's actor document and reads its public key.
func memberKey(ctx context.Context, in *instance) (crypto.PublicKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://%s/users/%s", in.addr, in.member), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("member's actor: %w", err)
	}
	defer resp.Body.Close()
	var doc struct {
		PublicKey struct {
			PEM string `json:"publicKeyPem"`
		} `json:"publicKey"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return nil, fmt.Errorf("member's actor: %w", err)
	}
	block, _ := pem.Decode([]byte(doc.PublicKey.PEM))
	if block == nil {
		return nil, errors.New("member's actor: no public key")
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("member's key: %w", err)
	}
	return key, nil
}
