package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// TestApprovalMails: a sign-up that waits for approval gets a mail
// saying so, with the instance's name; approval, from the admin page or
// the command line, gets one with where to sign in; a rejection none.
func TestApprovalMails(t *testing.T) {
	box := startMailbox(t)
	inst := startInstance(t, func(c *Config) {
		withMode(storage.RegistrationApproval)(c)
		withMail(box)(c)
		c.Server.InstanceName = "Harbour News"
	})
	admin := createAdmin(t, inst, "root_admin")

	p := newVisitor(t, inst).signUp("jo", "a long password", nil)
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, "We will email you at jo@example.org")
	waiting := box.waitFor(t, "jo@example.org", 1)[0]
	if !strings.Contains(waiting.Subject, "waiting list") || !strings.Contains(waiting.Body, "Harbour News") {
		t.Errorf("waiting-list mail: subject %q, body:\n%s", waiting.Subject, waiting.Body)
	}

	admin.get("/admin/approvals")
	p = admin.post("/admin/approvals/jo/approve", nil)
	wantStatus(t, p, http.StatusSeeOther)
	wantBody(t, admin.get("/admin/approvals"), "@jo is approved", "An email tells them")
	approved := box.waitFor(t, "jo@example.org", 2)[1]
	if !strings.Contains(approved.Subject, "approved") || !strings.Contains(approved.Body, inst.URL+"/signin") {
		t.Errorf("approval mail: subject %q, body:\n%s", approved.Subject, approved.Body)
	}

	// Rejected: the waiting-list mail only.
	newVisitor(t, inst).signUp("lou", "a long password", nil)
	box.waitFor(t, "lou@example.org", 1)
	admin.get("/admin/approvals")
	wantStatus(t, admin.post("/admin/approvals/lou/reject", nil), http.StatusSeeOther)

	// Approved on the command line, beside the running server.
	newVisitor(t, inst).signUp("max", "a long password", nil)
	box.waitFor(t, "max@example.org", 1)
	file := configOf(t, inst)
	appendMailConfig(t, file, box)
	if got := runCLI("", "admin", "approve", "max", "-config", file); got.status != 0 || !strings.Contains(got.stdout, "an email tells them") {
		t.Fatalf("approve: %+v", got)
	}
	byCLI := box.waitFor(t, "max@example.org", 2)[1]
	if !strings.Contains(byCLI.Subject, "approved") {
		t.Errorf("approval mail from the command line: subject %q", byCLI.Subject)
	}
	if got := len(box.to("lou@example.org")); got != 1 {
		t.Errorf("%d mails to the rejected lou, want 1 (the waiting list's)", got)
	}
}

// TestApprovalWithoutMail: without mail the pages say that no email
// comes, and nothing is queued.
func TestApprovalWithoutMail(t *testing.T) {
	inst := startInstance(t, withMode(storage.RegistrationApproval))
	admin := createAdmin(t, inst, "root_admin")
	p := newVisitor(t, inst).signUp("kim", "a long password", url.Values{})
	wantStatus(t, p, http.StatusOK)
	if strings.Contains(p.Body, "We will email you") {
		t.Error("the waiting page promises an email without mail set up")
	}
	admin.get("/admin/approvals")
	admin.post("/admin/approvals/kim/approve", nil)
	wantBody(t, admin.get("/admin/approvals"), "@kim is approved", "tell them yourself")
	if queued, _ := inst.DB.QueuedMail(context.Background(), 10); len(queued) != 0 {
		t.Errorf("%d mails queued without mail set up", len(queued))
	}
}
