package main

import (
	"net/http"
	"net/url"
	"testing"
)

// nastyNexts are next values that try to send a visitor to another site
// after a form, each with where Tidings must send them instead.
var nastyNexts = []struct{ next, want string }{
	{"/./\\evil.example/x", "/"},
	{"/./%5Cevil.example/x", "/"},
	{"/\\evil.example", "/"},
	{"/%5Cevil.example", "/"},
	{"//evil.example/", "/"},
	{"/%2F%2Fevil.example", "/evil.example"},
	{"/..//evil.example", "/evil.example"},
	{"/\t/evil.example", "/"},
	{"\t/evil.example", "/"},
	{"https://evil.example/", "/"},
	{"javascript:alert(1)", "/"},
}

// Every form that takes next sends the visitor only to a page of this
// site, whatever next says.
func TestFormsRedirectOnlyHere(t *testing.T) {
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	post := publish(t, alice, url.Values{"kind": {"discussion"}, "headline": {"Where next?"}, "text": {"A post to like."}})

	for _, tt := range nastyNexts {
		t.Run(tt.next, func(t *testing.T) {
			v := newVisitor(t, inst)
			v.get("/signin")
			p := v.post("/signin", url.Values{"username": {"alice"}, "password": {"a long password"}, "next": {tt.next}})
			wantRedirect(t, "sign-in", p, tt.want)

			// Signed in already, the sign-in page sends the member on.
			p = v.get("/signin?next=" + url.QueryEscape(tt.next))
			wantRedirect(t, "sign-in page", p, tt.want)

			alice.get("/posts/" + post)
			wantRedirect(t, "like", alice.post("/posts/"+post+"/like", url.Values{"next": {tt.next}}), tt.want)
			wantRedirect(t, "unlike", alice.post("/posts/"+post+"/unlike", url.Values{"next": {tt.next}}), tt.want)

			c := comment(t, alice, post, "A comment to delete.")
			alice.get("/posts/" + post)
			wantRedirect(t, "delete", alice.post("/posts/"+c+"/delete", url.Values{"next": {tt.next}}), tt.want)
		})
	}
}

// wantRedirect fails the test unless p is a redirect to want.
func wantRedirect(t *testing.T, form string, p page, want string) {
	t.Helper()
	if p.Status != http.StatusSeeOther || p.Location != want {
		t.Errorf("%s: %d to %q, want %d to %q", form, p.Status, p.Location, http.StatusSeeOther, want)
	}
}
