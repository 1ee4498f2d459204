package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestBioAndFieldsAcrossInstances(t *testing.T) {
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	alice := member(t, a, "alice")
	bob := member(t, b, "bob")
	aliceHandle := "@alice@" + a.Config.Server.Domain

	form := alice.get("/settings/profile")
	wantBody(t, form, `name="field_name_0"`, `name="field_value_3"`)
	wantStatus(t, alice.post("/settings/profile", url.Values{
		"display_name": {"Alice"}, "bio": {"Covers **floods**, see https://alice.example/floods"},
		"field_name_0": {"Website"}, "field_value_0": {"https://alice.example"},
		"field_name_1": {"Beat"}, "field_value_1": {"Rivers <and> lakes"},
	}), http.StatusSeeOther)
	wantBody(t, alice.get("/@alice"), "<strong>floods</strong>", `href="https://alice.example/floods"`,
		"Website", `href="https://alice.example"`, "Beat", "Rivers &lt;and&gt; lakes")
	// The edit form shows what was written, not the HTML.
	wantBody(t, alice.get("/settings/profile"), "Covers **floods**, see https://alice.example/floods",
		`value="https://alice.example"`, `value="Rivers &lt;and&gt; lakes"`)

	// Refused: a fifth field is not offered, a too long value is refused
	// with the reason and changes nothing.
	p := alice.post("/settings/profile", url.Values{"display_name": {"Alice"}, "bio": {"Changed"},
		"field_name_0": {"Long"}, "field_value_0": {strings.Repeat("x", 256)}})
	wantStatus(t, p, http.StatusBadRequest)
	wantBody(t, p, "at most 255 characters")
	wantBody(t, alice.get("/@alice"), "<strong>floods</strong>", "Website")

	// Bob on B sees them once he follows Alice, and sees her changes.
	followRemote(t, bob, aliceHandle)
	waitFor(t, "alice's fields on B", 10*time.Second, func() bool {
		body := bob.get("/" + aliceHandle).Body
		return strings.Contains(body, "Website") && strings.Contains(body, `href="https://alice.example"`) &&
			strings.Contains(body, "<strong>floods</strong>")
	})
	waitFor(t, "bob following alice on A", 10*time.Second, func() bool { return followersOf(t, a, "alice") == 1 })
	alice.get("/settings/profile")
	wantStatus(t, alice.post("/settings/profile", url.Values{"display_name": {"Alice"}, "bio": {"Covers floods."},
		"field_name_0": {"Beat"}, "field_value_0": {"Estuaries"}}), http.StatusSeeOther)
	waitFor(t, "alice's new fields on B", 10*time.Second, func() bool {
		body := bob.get("/" + aliceHandle).Body
		return strings.Contains(body, "Estuaries") && !strings.Contains(body, "Website")
	})
}

func TestPinFromThePostPage(t *testing.T) {
	a := startInstance(t, federating)
	alice := member(t, a, "alice")
	carol := member(t, a, "carol")
	alice.get("/")
	wantStatus(t, alice.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"Older news"},
		"text": {"First."}, "action": {"publish"}}), http.StatusSeeOther)
	pinned := latestPost(t, a, "alice")
	wantStatus(t, alice.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"Newer news"},
		"text": {"Second."}, "action": {"publish"}}), http.StatusSeeOther)

	page := alice.get("/posts/" + pinned.ID)
	wantBody(t, page, `action="/posts/`+pinned.ID+`/pin"`, "Pin to profile")
	if p := carol.get("/posts/" + pinned.ID); strings.Contains(p.Body, "/pin\"") {
		t.Errorf("another member is offered to pin alice's post:\n%s", p.Body)
	}
	wantStatus(t, carol.post("/posts/"+pinned.ID+"/pin", nil), http.StatusForbidden)

	wantStatus(t, alice.post("/posts/"+pinned.ID+"/pin", nil), http.StatusSeeOther)
	profile := alice.get("/@alice").Body
	mark := strings.Index(profile, `class="meta pin-mark"`)
	older, newer := strings.Index(profile, "Older news"), strings.Index(profile, "Newer news")
	if mark < 0 || older < 0 || newer < 0 || !(mark < older && older < newer) {
		t.Errorf("the pinned post is not first, marked Pinned (mark at %d, pinned post at %d, newer post at %d):\n%s",
			mark, older, newer, profile)
	}
	wantBody(t, alice.get("/posts/"+pinned.ID), `action="/posts/`+pinned.ID+`/unpin"`, "Unpin")
	wantStatus(t, alice.post("/posts/"+pinned.ID+"/unpin", nil), http.StatusSeeOther)
	if strings.Contains(alice.get("/@alice").Body, "pin-mark") {
		t.Errorf("still pinned after unpinning")
	}
}
