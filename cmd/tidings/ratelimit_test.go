package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// A member who posts in a burst is stopped at the limit: the posts past
// it are refused with 429 and Retry-After, and none of them is stored.
func TestPostingIsRateLimited(t *testing.T) {
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	published, refused := 0, 0
	for i := 0; i < 40; i++ {
		alice.get("/compose")
		p := alice.withHeaders(func() page {
			return alice.post("/compose", url.Values{"kind": {"discussion"}, "action": {"publish"},
				"headline": {fmt.Sprintf("Flood %d", i)}, "text": {"Again."}})
		})
		switch p.Status {
		case http.StatusSeeOther:
			published++
		case http.StatusTooManyRequests:
			refused++
			wantRetryAfter(t, p)
			wantBody(t, p.page, "You have posted a lot in a short time", `value="Flood `+strconv.Itoa(i)+`"`)
		default:
			t.Fatalf("post %d: status %d", i, p.Status)
		}
	}
	if limit := DefaultConfig().Limits.PostsPerHour; published != limit {
		t.Fatalf("40 posts at once: %d published, %d refused; want %d published", published, refused, limit)
	}
	stored, err := inst.DB.CountPostsBy(context.Background(), storage.Stranger, actorOf(t, inst, "alice").ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored != published {
		t.Errorf("%d posts stored, want the %d published", stored, published)
	}
}

// Visitors who are not signed in may look up people here, but not make
// the server fetch from another: that is refused with a reason, and no
// request leaves.
func TestAnonymousRemoteSearchRefused(t *testing.T) {
	var fetched atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetched.Add(1)
		http.NotFound(w, r)
	}))
	defer elsewhere.Close()
	inst := startInstance(t, federating)
	member(t, inst, "alice")
	host := elsewhere.Listener.Addr().String()

	v := newVisitor(t, inst)
	for _, q := range []string{"@bob@" + host, "bob@" + host, elsewhere.URL + "/users/bob", "http://" + host + "/@bob"} {
		p := v.get("/search?q=" + url.QueryEscape(q))
		wantStatus(t, p, http.StatusUnauthorized)
		wantBody(t, p, "Sign in to look up people on other servers", `href="/signin?next=`)
	}
	if n := fetched.Load(); n != 0 {
		t.Errorf("anonymous searches made %d requests to another server", n)
	}
	for _, q := range []string{"@alice", "@alice@" + inst.Config.Server.Domain, inst.URL + "/users/alice"} {
		p := v.get("/search?q=" + url.QueryEscape(q))
		if p.Status != http.StatusSeeOther || p.Location != "/@alice" {
			t.Errorf("search for %q, a member here: %d to %q", q, p.Status, p.Location)
		}
	}
}

// A member's lookups on other servers, by search or by link preview,
// stop at the limit, and the refused ones make no request.
func TestRemoteLookupsRateLimited(t *testing.T) {
	var fetched atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetched.Add(1)
		http.NotFound(w, r)
	}))
	defer elsewhere.Close()
	inst := startInstance(t, func(c *Config) {
		federating(c)
		c.Limits.RemoteLookupsPerHour = 2
	})
	alice := member(t, inst, "alice")
	member(t, inst, "bob")
	host := elsewhere.Listener.Addr().String()

	for i := 0; i < 2; i++ {
		if p := alice.get("/search?q=" + url.QueryEscape("@carol@"+host)); p.Status == http.StatusTooManyRequests {
			t.Fatalf("lookup %d refused: %s", i+1, p.Body)
		}
	}
	before := fetched.Load()
	p := alice.withHeaders(func() page { return alice.get("/search?q=" + url.QueryEscape(elsewhere.URL+"/users/carol")) })
	wantStatus(t, p.page, http.StatusTooManyRequests)
	wantRetryAfter(t, p)
	wantBody(t, p.page, "You have looked up a lot on other servers")

	alice.get("/compose")
	p = alice.withHeaders(func() page {
		return alice.post("/compose", url.Values{"action": {"preview"}, "link": {elsewhere.URL + "/news"}})
	})
	wantStatus(t, p.page, http.StatusTooManyRequests)
	wantRetryAfter(t, p)
	if n := fetched.Load(); n != before {
		t.Errorf("refused lookups made %d requests", n-before)
	}

	// Members here are still found.
	if p := alice.get("/search?q=@bob"); p.Location != "/@bob" {
		t.Errorf("search for bob: %d to %q", p.Status, p.Location)
	}
}

// Joining from one network stops at the limit, and the refused attempts
// create nobody.
func TestSignUpsRateLimited(t *testing.T) {
	inst := startInstance(t, func(c *Config) { c.Limits.SignUpsPerHour = 3 })
	newVisitor(t, inst).signUp("Bad Name", "a long password", nil) // refused attempts count too
	for _, name := range []string{"ann", "ben"} {
		wantStatus(t, newVisitor(t, inst).signUp(name, "a long password", nil), http.StatusSeeOther)
	}
	v := newVisitor(t, inst)
	p := v.withHeaders(func() page { return v.signUp("cal", "a long password", nil) })
	wantStatus(t, p.page, http.StatusTooManyRequests)
	wantRetryAfter(t, p)
	wantBody(t, p.page, "Many accounts were made from your network lately", `value="cal"`)
	if n, _ := inst.DB.CountMembers(context.Background()); n != 2 {
		t.Errorf("%d members, want 2", n)
	}
}

// Comments in a burst stop at the limit; the refused one is shown again
// with its text and the reason, and is not stored.
func TestCommentsRateLimited(t *testing.T) {
	inst := startInstance(t, func(c *Config) { c.Limits.CommentsPerHour = 3 })
	alice := member(t, inst, "alice")
	post := publish(t, alice, url.Values{"kind": {"discussion"}, "headline": {"Talk"}, "text": {"Go on."}})
	for i := 0; i < 3; i++ {
		comment(t, alice, post, fmt.Sprintf("Comment %d", i))
	}
	p := alice.withHeaders(func() page {
		return alice.post("/posts/"+post+"/comments", url.Values{"text": {"One too many"}})
	})
	wantStatus(t, p.page, http.StatusTooManyRequests)
	wantRetryAfter(t, p)
	wantBody(t, p.page, "You have commented a lot in a short time", "One too many")
	thread, err := inst.DB.Thread(context.Background(), storage.Stranger, post)
	if err != nil {
		t.Fatal(err)
	}
	if len(thread) != 3 {
		t.Errorf("%d comments stored, want 3", len(thread))
	}
}

// A refused sign-in says when to come back.
func TestSignInRefusalSaysWhenToRetry(t *testing.T) {
	inst := startInstance(t, nil)
	newVisitor(t, inst).signUp("eve", "a long password", nil)
	v := newVisitor(t, inst)
	for i := 0; i < 5; i++ {
		wantStatus(t, v.signIn("eve", "guess"), http.StatusUnauthorized)
	}
	p := v.withHeaders(func() page { return v.signIn("eve", "a long password") })
	wantStatus(t, p.page, http.StatusTooManyRequests)
	wantRetryAfter(t, p)
}

// headerPage is a page with its response headers.
type headerPage struct {
	page
	Header http.Header
}

// withHeaders runs fn, which makes one request as the visitor, and
// keeps the response headers of its answer.
func (v *visitor) withHeaders(fn func() page) headerPage {
	v.t.Helper()
	var h http.Header
	client := *v.client
	client.Transport = headerKeeper{&h}
	saved := v.client
	v.client = &client
	defer func() { v.client = saved }()
	p := fn()
	return headerPage{page: p, Header: h}
}

// headerKeeper is a transport that remembers the last response headers.
type headerKeeper struct{ into *http.Header }

func (k headerKeeper) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil {
		*k.into = resp.Header
	}
	return resp, err
}

// wantRetryAfter fails the test unless p says in how many seconds to
// come back.
func wantRetryAfter(t *testing.T, p headerPage) {
	t.Helper()
	n, err := strconv.Atoi(p.Header.Get("Retry-After"))
	if err != nil || n < 1 {
		t.Errorf("Retry-After = %q, want a number of seconds", p.Header.Get("Retry-After"))
	}
}

// TestFlagsRateLimited: past [limits] flags_per_hour a member's flags are
// refused with 429 and a time to wait, and nothing more is stored.
func TestFlagsRateLimited(t *testing.T) {
	inst := startInstance(t, func(c *Config) { c.Limits.FlagsPerHour = 2 })
	alice := member(t, inst, "alice")
	bob := member(t, inst, "bob")
	var posts []string
	for i := 0; i < 3; i++ {
		posts = append(posts, publish(t, bob, url.Values{"kind": {"discussion"}, "headline": {fmt.Sprintf("Claim %d", i)},
			"text": {"Trust me."}}))
	}
	for _, post := range posts[:2] {
		alice.get("/posts/" + post)
		wantStatus(t, alice.post("/posts/"+post+"/flag", url.Values{"category": {"spam"}}), http.StatusSeeOther)
	}
	alice.get("/posts/" + posts[2])
	p := alice.withHeaders(func() page {
		return alice.post("/posts/"+posts[2]+"/flag", url.Values{"category": {"spam"}})
	})
	wantStatus(t, p.page, http.StatusTooManyRequests)
	wantRetryAfter(t, p)
	wantBody(t, p.page, "You have flagged a lot in a short time")
	flags, err := inst.DB.MemberFlags(context.Background(), memberOf(t, inst, "alice").ID, 0)
	if err != nil || len(flags) != 2 {
		t.Errorf("alice's flags = %d, %v; want 2", len(flags), err)
	}
	bobID := actorOf(t, inst, "bob").ID
	p = alice.withHeaders(func() page {
		return alice.post("/flag/account", url.Values{"actor": {bobID}, "category": {"spam"}})
	})
	wantStatus(t, p.page, http.StatusTooManyRequests)
}
