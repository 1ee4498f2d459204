package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// withWaitlist runs a test instance in waitlist mode, each member
// allowed invites invites.
func withWaitlist(invites int) func(*Config) {
	return func(c *Config) {
		c.Registration.Mode = string(storage.RegistrationWaitlist)
		c.Registration.InvitesPerMember = invites
	}
}

// Signing up in waitlist mode shows the number in line; signing in while
// waiting shows it as it moves up; an admin admits from the waiting list,
// after which the member signs in.
func TestRegistrationWaitlist(t *testing.T) {
	inst := startInstance(t, withWaitlist(1))
	admin := createAdmin(t, inst, "root_admin")

	amy := newVisitor(t, inst)
	wantBody(t, amy.get("/"), "Join the waiting list")
	wantBody(t, amy.get("/signup"), "waiting list", "skips the line", `href="/support"`, "Join the waiting list")
	p := amy.signUp("amy", "a long password", nil)
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, "You are on the waiting list: number 1.")
	bo := newVisitor(t, inst)
	p = bo.signUp("bo", "a long password", nil)
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, "You are on the waiting list: number 2.")

	p = bo.signIn("bo", "a long password")
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, "You are on the waiting list: number 2.")

	line := admin.get("/admin/approvals")
	wantStatus(t, line, http.StatusOK)
	wantBody(t, line, "<h1>Waiting list</h1>", "Number 1", "@amy", "Number 2", "@bo", "Admit @amy", "signed up")
	wantStatus(t, admin.post("/admin/approvals/amy/approve", nil), http.StatusSeeOther)
	p = admin.post("/admin/approvals/amy/approve", nil)
	wantStatus(t, p, http.StatusConflict)
	wantBody(t, p, "@amy is not on the waiting list")

	p = bo.signIn("bo", "a long password")
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, "You are on the waiting list: number 1.")
	wantStatus(t, amy.signIn("amy", "a long password"), http.StatusSeeOther)
	wantBody(t, amy.get("/"), "@amy")
}

// A member's invite skips the line; past the allowance the member is
// refused, told how many invites each member has.
func TestWaitlistInvites(t *testing.T) {
	inst := startInstance(t, withWaitlist(1))
	ctx := context.Background()
	cy, err := inst.DB.CreateMember(ctx, storage.MemberCreate{Username: "cy", Email: "cy@example.org", Password: "a long password"})
	if err != nil {
		t.Fatal(err)
	}
	v := newVisitor(t, inst)
	wantStatus(t, v.signIn("cy", "a long password"), http.StatusSeeOther)
	wantBody(t, v.get("/invites"), "You can make 1 more of your 1 invites", "skip the line")
	wantStatus(t, v.post("/invites", nil), http.StatusSeeOther)
	p := v.post("/invites", nil)
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, "You have given out all of your 1 invites")
	invites, err := inst.DB.InvitesBy(ctx, cy.ID)
	if err != nil || len(invites) != 1 {
		t.Fatalf("invites of cy = %v (%v), want one", invites, err)
	}

	dee := newVisitor(t, inst)
	p = dee.signUp("dee", "a long password", url.Values{"invite": {invites[0].Code}})
	wantStatus(t, p, http.StatusSeeOther)
	m, err := inst.DB.MemberByUsername(ctx, "dee")
	if err != nil || m.Status != storage.MemberActive {
		t.Fatalf("dee = %+v (%v), want active", m, err)
	}
}

// "tidings admin admit NAME" lets a waiting member in, and names the
// problem with a name nobody has or a member who is not waiting.
func TestAdminAdmitCommand(t *testing.T) {
	file := writeConfig(t, "[registration]\nmode = \"waitlist\"\n")
	db := openConfigDB(t, file)
	ctx := context.Background()
	db.Registration = storage.RegistrationWaitlist
	ed, err := db.Register(ctx, storage.Registration{MemberCreate: storage.MemberCreate{
		Username: "ed", Email: "ed@example.org", Password: "a long password"}})
	if err != nil || ed.Status != storage.MemberPending {
		t.Fatalf("ed = %+v (%v), want pending", ed, err)
	}
	got := runCLI("", "admin", "admit", "@ed", "-config", file)
	if got.status != 0 || !strings.Contains(got.stdout, "admitted @ed") {
		t.Fatalf("admit: %+v", got)
	}
	if m, _ := db.MemberByUsername(ctx, "ed"); m.Status != storage.MemberActive {
		t.Errorf("ed is %s after admit, want active", m.Status)
	}
	got = runCLI("", "admin", "admit", "ed", "-config", file)
	if got.status != 1 || !strings.Contains(got.stderr, "@ed is not on the waiting list") {
		t.Errorf("admitting twice: %+v", got)
	}
	got = runCLI("", "admin", "admit", "nobody", "-config", file)
	if got.status != 1 || !strings.Contains(got.stderr, "There is no member @nobody here.") {
		t.Errorf("admitting nobody: %+v", got)
	}
	for _, args := range [][]string{{"admit"}, {"admit", "a", "b"}} {
		got = runCLI("", append(append([]string{"admin"}, args...), "-config", file)...)
		if got.status != 2 {
			t.Errorf("admin %v: %+v, want a usage error", args, got)
		}
	}
}
