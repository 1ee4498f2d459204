package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// TestAdminSuspendsMember: an admin suspends a member from the members
// page: the member's session ends, they cannot sign in, their profile
// answers 410, their actor is served suspended and their posts are
// hidden; the admin lifts it, and the last admin keeps the role.
func TestAdminSuspendsMember(t *testing.T) {
	inst := startInstance(t, nil)
	admin := createAdmin(t, inst, "ada")
	bob := member(t, inst, "bob")
	carol := member(t, inst, "carol")
	createSubwiki(t, bob, "town", "Town", nil)
	postID := publish(t, bob, url.Values{"kind": {"discussion"}, "headline": {"Bob writes"}, "text": {"Hello"}})

	wantStatus(t, carol.get("/admin/members"), http.StatusForbidden)
	page := admin.get("/admin/members")
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, "@bob", `href="/s/town">s/town</a>`, "admin", `action="/admin/members/bob/suspend"`)

	wantStatus(t, carol.post("/admin/members/bob/suspend", url.Values{"reason": {"mine"}}), http.StatusForbidden)
	wantStatus(t, admin.post("/admin/members/bob/suspend", url.Values{"reason": {"Spam bot"}}), http.StatusSeeOther)
	wantBody(t, admin.get("/admin/members"), "@bob is suspended.", "Spam bot", `action="/admin/members/bob/unsuspend"`)

	// Bob's session is over, and he cannot start another.
	if p := bob.get("/compose"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/signin") {
		t.Errorf("bob's old session opening /compose: %d %s, want a redirect to sign in", p.Status, p.Location)
	}
	p := bob.signIn("bob", "a long password")
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, "Your account is suspended by the admins: Spam bot.")

	// Others see neither the profile nor the posts.
	p = carol.get("/@bob")
	wantStatus(t, p, http.StatusGone)
	wantBody(t, p, "@bob is suspended")
	wantStatus(t, carol.get("/posts/"+postID), http.StatusNotFound)
	status, body := fetchAP(t, inst, "/users/bob", "", nil)
	var doc map[string]any
	if err := json.Unmarshal([]byte(body), &doc); status != http.StatusOK || err != nil {
		t.Fatalf("the suspended actor: %d %v\n%s", status, err, body)
	}
	if doc["suspended"] != true || doc["summary"] != "" || doc["icon"] != nil || doc["preferredUsername"] != "bob" || doc["publicKey"] == nil {
		t.Errorf("the suspended actor = %v", doc)
	}

	wantStatus(t, admin.post("/admin/members/bob/unsuspend", nil), http.StatusSeeOther)
	wantStatus(t, bob.signIn("bob", "a long password"), http.StatusSeeOther)
	wantStatus(t, carol.get("/posts/"+postID), http.StatusOK)

	// Roles: the last admin stays one; a second can be made.
	p = admin.post("/admin/members/ada/role/member", nil)
	wantStatus(t, p, http.StatusConflict)
	wantBody(t, p, "at least one admin")
	wantStatus(t, admin.post("/admin/members/carol/role/admin", nil), http.StatusSeeOther)
	wantStatus(t, carol.get("/admin/members"), http.StatusOK)

	log, err := inst.DB.ModerationLog(t.Context(), "", "", 10)
	if err != nil || len(log) != 3 || log[2].Action != storage.ModSuspendMember || log[1].Action != storage.ModUnsuspendMember ||
		log[0].Action != storage.ModGrantAdmin || log[0].TargetText != "@carol" {
		t.Errorf("the instance's log = %v, %v", log, err)
	}
}

// TestInstanceRules: an admin writes the rules; the sign-up page and
// /about show them, with the admins.
func TestInstanceRules(t *testing.T) {
	inst := startInstance(t, nil)
	admin := createAdmin(t, inst, "ada")
	visitor := newVisitor(t, inst)
	wantBody(t, visitor.get("/about"), "This instance has set no rules of its own yet.", `href="/@ada"`)

	wantStatus(t, admin.get("/admin/rules"), http.StatusOK)
	p := admin.post("/admin/rules", url.Values{"rules": {"Fine\n" + strings.Repeat("x", 301)}})
	wantStatus(t, p, http.StatusBadRequest)
	wantBody(t, p, "Rule 2 is longer than 300 characters")
	wantStatus(t, admin.post("/admin/rules", url.Values{"rules": {"Link to sources\r\n\r\nNo harassment <b>ever</b>\n"}}), http.StatusSeeOther)

	about := visitor.get("/about")
	wantStatus(t, about, http.StatusOK)
	wantOrder(t, about, "<li>Link to sources</li>", "<li>No harassment &lt;b&gt;ever&lt;/b&gt;</li>", `href="/@ada"`)
	wantOrder(t, visitor.get("/signup"), "The rules here", "<li>Link to sources</li>", `action="/signup"`)
}
