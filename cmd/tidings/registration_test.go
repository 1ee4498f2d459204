package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// withMode sets the registration mode of a test instance.
func withMode(mode storage.RegistrationMode) func(*Config) {
	return func(c *Config) { c.Registration.Mode = string(mode) }
}

// createAdmin makes an admin as the command line does and signs them in.
func createAdmin(t *testing.T, inst *instance, name string) *visitor {
	t.Helper()
	_, err := inst.DB.CreateMember(context.Background(), storage.MemberCreate{
		Username: name, Email: name + "@example.org", Password: "a long password", IsAdmin: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	v := newVisitor(t, inst)
	wantStatus(t, v.signIn(name, "a long password"), http.StatusSeeOther)
	return v
}

func TestRegistrationOpen(t *testing.T) {
	inst := startInstance(t, withMode(storage.RegistrationOpen))
	v := newVisitor(t, inst)
	form := v.get("/signup")
	if regexp.MustCompile(`name="invite"`).MatchString(form.Body) {
		t.Error("open registration asks for an invite code")
	}
	wantStatus(t, v.signUp("hana", "a long password", nil), http.StatusSeeOther)
}

func TestRegistrationClosed(t *testing.T) {
	inst := startInstance(t, withMode(storage.RegistrationClosed))
	v := newVisitor(t, inst)
	wantBody(t, v.get("/signup"), "not taking new members")
	v.get("/signin") // the closed sign-up page has no form, so take a token here
	p := v.post("/signup", url.Values{
		"username": {"ivan"}, "email": {"ivan@example.org"},
		"password": {"a long password"}, "password_again": {"a long password"},
	})
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, "not taking new members")
	if n, _ := inst.DB.CountMembers(context.Background()); n != 0 {
		t.Errorf("%d members after a closed sign-up", n)
	}
}

func TestRegistrationApproval(t *testing.T) {
	inst := startInstance(t, withMode(storage.RegistrationApproval))
	admin := createAdmin(t, inst, "root_admin")

	v := newVisitor(t, inst)
	wantBody(t, v.get("/signup"), "An admin reviews new accounts", `name="reason"`)
	p := v.signUp("jo", "a long password", url.Values{"reason": {"I fact-check for a living."}})
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, "waiting for an admin")

	p = v.signIn("jo", "a long password")
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, "waiting for an admin")
	wantStatus(t, v.get("/@jo"), http.StatusNotFound)

	queue := admin.get("/admin/approvals")
	wantStatus(t, queue, http.StatusOK)
	wantBody(t, queue, "@jo", "I fact-check for a living.")

	// A member who is not an admin cannot approve.
	other := newVisitor(t, inst)
	inv, _ := inst.DB.CreateInvite(context.Background(), "")
	other.signUp("kai", "a long password", url.Values{"invite": {inv.Code}})
	other.get("/")
	wantStatus(t, other.post("/admin/approvals/jo/approve", nil), http.StatusForbidden)

	p = admin.post("/admin/approvals/jo/approve", nil)
	wantStatus(t, p, http.StatusSeeOther)
	wantBody(t, admin.get("/admin/approvals"), "@jo is approved")
	wantStatus(t, v.signIn("jo", "a long password"), http.StatusSeeOther)
	wantStatus(t, admin.post("/admin/approvals/jo/approve", nil), http.StatusConflict)

	// Rejection removes the registration.
	newVisitor(t, inst).signUp("lou", "a long password", nil)
	admin.get("/admin/approvals")
	wantStatus(t, admin.post("/admin/approvals/lou/reject", nil), http.StatusSeeOther)
	if _, err := inst.DB.MemberByUsername(context.Background(), "lou"); storage.ErrorCode(err) != storage.ENotFound {
		t.Errorf("rejected member still stored: %v", err)
	}
}

func TestRegistrationInvite(t *testing.T) {
	inst := startInstance(t, withMode(storage.RegistrationInvite))
	admin := createAdmin(t, inst, "boss")

	v := newVisitor(t, inst)
	wantBody(t, v.get("/signup"), "needs an invite code", `name="invite"`)
	p := v.signUp("max", "a long password", nil)
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, "needs an invite code")
	wantStatus(t, v.signUp("max", "a long password", url.Values{"invite": {"made-up"}}), http.StatusForbidden)

	admin.get("/invites")
	p = admin.post("/invites", nil)
	wantStatus(t, p, http.StatusSeeOther)
	page := admin.get("/invites")
	code := regexp.MustCompile(`New invite code: ([a-z0-9]+)`).FindStringSubmatch(page.Body)
	if code == nil {
		t.Fatalf("no invite code shown:\n%s", page.Body)
	}
	wantBody(t, page, "/signup?invite="+code[1])

	form := v.get("/signup?invite=" + code[1])
	wantBody(t, form, `value="`+code[1]+`"`)
	p = v.signUp("max", "a long password", url.Values{"invite": {code[1]}})
	wantStatus(t, p, http.StatusSeeOther)

	// The code is used up, and the invites page says by whom.
	w := newVisitor(t, inst)
	p = w.signUp("ned", "a long password", url.Values{"invite": {code[1]}})
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, "has been used already")
	wantBody(t, admin.get("/invites"), "Used by", "@max")

	// Members invite too.
	v.get("/invites")
	wantStatus(t, v.post("/invites", nil), http.StatusSeeOther)
	wantBody(t, v.get("/invites"), "New invite code:")
}
