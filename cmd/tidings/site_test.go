package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

func TestSignUpSignOutSignIn(t *testing.T) {
	inst := startInstance(t, nil)
	v := newVisitor(t, inst)

	home := v.get("/")
	wantStatus(t, home, http.StatusOK)
	wantBody(t, home, `href="/signup"`, "Members")

	p := v.signUp("alice", "a long password", url.Values{"display_name": {"Alice Liddell"}})
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location != "/@alice" {
		t.Fatalf("after sign-up, redirected to %q, want /@alice", p.Location)
	}
	profile := v.get("/@alice")
	wantStatus(t, profile, http.StatusOK)
	wantBody(t, profile, "Alice Liddell", "@alice@"+inst.Config.Server.Domain, "Welcome to Tidings", "Edit profile", "Sign out")

	p = v.post("/signout", nil)
	wantStatus(t, p, http.StatusSeeOther)
	home = v.get("/")
	wantBody(t, home, "You are signed out.", `href="/signin"`)
	if strings.Contains(home.Body, "Sign out") {
		t.Error("still signed in after signing out")
	}

	p = v.signIn("alice", "the wrong password")
	wantStatus(t, p, http.StatusUnauthorized)
	wantBody(t, p, "The username or password is not right.")

	p = v.signIn(" @Alice ", "a long password")
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location != "/" {
		t.Errorf("after sign-in, redirected to %q, want /", p.Location)
	}
	wantBody(t, v.get("/"), "Hello, Alice Liddell")
}

func TestSignUpRefusesBadInputAndChangesNothing(t *testing.T) {
	inst := startInstance(t, nil)
	v := newVisitor(t, inst)
	if p := v.signUp("bob", "a long password", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("first sign-up: %d", p.Status)
	}
	tests := []struct {
		name   string
		user   string
		extra  url.Values
		status int
		msg    string
	}{
		{"taken name", "bob", url.Values{"email": {"other@example.org"}}, http.StatusConflict, "is taken"},
		{"reserved name", "admin", nil, http.StatusConflict, "is reserved"},
		{"bad characters", "Bob Smith", nil, http.StatusBadRequest, "lowercase letters"},
		{"bad email", "carol", url.Values{"email": {"not-an-email"}}, http.StatusBadRequest, "is not an email address"},
		{"short password", "carol", url.Values{"password": {"short"}, "password_again": {"short"}}, http.StatusBadRequest, "at least 8 characters"},
		{"passwords differ", "carol", url.Values{"password_again": {"something else"}}, http.StatusBadRequest, "not the same"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fresh := newVisitor(t, inst)
			p := fresh.signUp(tt.user, "a long password", tt.extra)
			wantStatus(t, p, tt.status)
			wantBody(t, p, tt.msg, `name="username" value="`+tt.user+`"`)
		})
	}
	if n, _ := inst.DB.CountMembers(context.Background()); n != 1 {
		t.Errorf("%d members after refused sign-ups, want 1", n)
	}
}

func TestCSRFTokenRequired(t *testing.T) {
	inst := startInstance(t, nil)
	v := newVisitor(t, inst)
	v.get("/signup")
	form := url.Values{
		"username": {"mallory"}, "email": {"m@example.org"},
		"password": {"a long password"}, "password_again": {"a long password"},
	}

	missing := url.Values{"csrf": {""}}
	for k, vals := range form {
		missing[k] = vals
	}
	p := v.post("/signup", missing)
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, "This form has expired or was sent from another site")

	// A token from another visitor's page does not match this visitor's cookie.
	other := newVisitor(t, inst)
	other.get("/signup")
	foreign := url.Values{"csrf": {other.csrf}}
	for k, vals := range form {
		foreign[k] = vals
	}
	wantStatus(t, v.post("/signup", foreign), http.StatusForbidden)

	// No cookie at all, as from a form on another site.
	stranger := newVisitor(t, inst)
	stranger.csrf = v.csrf
	wantStatus(t, stranger.post("/signup", form), http.StatusForbidden)

	if _, err := inst.DB.MemberByUsername(context.Background(), "mallory"); storage.ErrorCode(err) != storage.ENotFound {
		t.Errorf("a refused form created a member: %v", err)
	}

	// Signed in, sign-out and profile changes need the token too.
	if p := v.signUp("victor", "a long password", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("sign-up: %d", p.Status)
	}
	wantStatus(t, v.post("/settings/profile", url.Values{"csrf": {"forged"}, "bio": {"pwned"}}), http.StatusForbidden)
	wantStatus(t, v.post("/signout", url.Values{"csrf": {"forged"}}), http.StatusForbidden)
	m, _ := inst.DB.MemberByUsername(context.Background(), "victor")
	if m.Bio != "" {
		t.Errorf("a forged form changed the bio to %q", m.Bio)
	}
	wantBody(t, v.get("/"), "Sign out")
}

func TestEditProfileAndChangePassword(t *testing.T) {
	inst := startInstance(t, nil)
	v := newVisitor(t, inst)
	v.signUp("dana", "a long password", nil)
	elsewhere := newVisitor(t, inst)
	elsewhere.signIn("dana", "a long password")

	form := v.get("/settings/profile")
	wantStatus(t, form, http.StatusOK)
	p := v.post("/settings/profile", url.Values{
		"display_name": {"Dana S."}, "bio": {strings.Repeat("b", 501)},
	})
	wantStatus(t, p, http.StatusBadRequest)
	wantBody(t, p, "The bio can be at most 500 characters long", `value="Dana S."`)
	m, _ := inst.DB.MemberByUsername(context.Background(), "dana")
	if m.DisplayName != "dana" {
		t.Errorf("a refused form changed the display name to %q", m.DisplayName)
	}

	p = v.post("/settings/profile", url.Values{
		"display_name": {"Dana S."}, "bio": {"Local news <b>junkie</b>."},
	})
	wantStatus(t, p, http.StatusSeeOther)
	profile := v.get("/@dana")
	wantBody(t, profile, "Dana S.", "Local news &lt;b&gt;junkie&lt;/b&gt;.", "Your profile is saved.")

	v.get("/settings/password")
	p = v.post("/settings/password", url.Values{"current_password": {"a long password"}, "new_password": {"new long password"}, "new_password_again": {"typo"}})
	wantStatus(t, p, http.StatusBadRequest)
	p = v.post("/settings/password", url.Values{"current_password": {"wrong"}, "new_password": {"new long password"}, "new_password_again": {"new long password"}})
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, "The current password is not right.")
	p = v.post("/settings/password", url.Values{"current_password": {"a long password"}, "new_password": {"new long password"}, "new_password_again": {"new long password"}})
	wantStatus(t, p, http.StatusSeeOther)

	wantBody(t, v.get("/"), "Sign out")
	if strings.Contains(elsewhere.get("/").Body, "Sign out") {
		t.Error("the other session is still signed in after the password change")
	}
	wantStatus(t, newVisitor(t, inst).signIn("dana", "new long password"), http.StatusSeeOther)
}

func TestSignInRateLimited(t *testing.T) {
	inst := startInstance(t, nil)
	newVisitor(t, inst).signUp("eve", "a long password", nil)
	v := newVisitor(t, inst)
	for i := 0; i < 5; i++ {
		wantStatus(t, v.signIn("eve", "guess"), http.StatusUnauthorized)
	}
	p := v.signIn("eve", "a long password")
	wantStatus(t, p, http.StatusTooManyRequests)
	wantBody(t, p, "Too many failed sign-ins for this account")
}

func TestMembersOnlyPagesAndNext(t *testing.T) {
	inst := startInstance(t, nil)
	newVisitor(t, inst).signUp("finn", "a long password", nil)
	v := newVisitor(t, inst)
	p := v.get("/settings/profile")
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location != "/signin?next=%2Fsettings%2Fprofile" {
		t.Fatalf("redirected to %q", p.Location)
	}
	v.get(p.Location)
	p = v.post("/signin", url.Values{"username": {"finn"}, "password": {"a long password"}, "next": {"/settings/profile"}})
	if p.Location != "/settings/profile" {
		t.Errorf("after sign-in, redirected to %q, want /settings/profile", p.Location)
	}

	w := newVisitor(t, inst)
	w.get("/signin")
	p = w.post("/signin", url.Values{"username": {"finn"}, "password": {"a long password"}, "next": {"//evil.example/"}})
	if p.Location != "/" {
		t.Errorf("next=//evil.example/ redirected to %q, want /", p.Location)
	}

	anonymous := newVisitor(t, inst)
	anonymous.get("/signin")
	wantStatus(t, anonymous.post("/invites", nil), http.StatusUnauthorized)
	wantStatus(t, v.get("/admin/approvals"), http.StatusForbidden)
}

func TestErrorPages(t *testing.T) {
	inst := startInstance(t, nil)
	v := newVisitor(t, inst)
	for path, status := range map[string]int{
		"/no/such/page": http.StatusNotFound,
		"/@nobody":      http.StatusNotFound,
		"/static/":      http.StatusNotFound,
	} {
		p := v.get(path)
		wantStatus(t, p, status)
		wantBody(t, p, "<!doctype html>", "Back to the front page")
	}
	req, _ := http.NewRequest(http.MethodDelete, inst.URL+"/signin", nil)
	wantStatus(t, v.do(req), http.StatusMethodNotAllowed)

	big := url.Values{"bio": {strings.Repeat("x", 100<<10)}}
	v.signUp("gil", "a long password", nil)
	v.get("/settings/profile")
	wantStatus(t, v.post("/settings/profile", big), http.StatusRequestEntityTooLarge)
}

func TestHealthz(t *testing.T) {
	inst := startInstance(t, nil)
	v := newVisitor(t, inst)
	p := v.get("/healthz")
	wantStatus(t, p, http.StatusOK)
	if strings.TrimSpace(p.Body) != "ok" {
		t.Errorf("body %q", p.Body)
	}
	inst.DB.Close()
	wantStatus(t, v.get("/healthz"), http.StatusServiceUnavailable)
}

func TestStaticStylesheet(t *testing.T) {
	inst := startInstance(t, nil)
	resp, err := http.Get(inst.URL + "/static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
		t.Errorf("stylesheet: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
