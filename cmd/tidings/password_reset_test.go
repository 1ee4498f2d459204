package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// makeMember creates an active member as the command line does.
func makeMember(t *testing.T, inst *instance, name string) *storage.Member {
	t.Helper()
	m, err := inst.DB.CreateMember(context.Background(), storage.MemberCreate{
		Username: name, Email: name + "@example.org", Password: "the old password",
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// pathOf is the path of a link to the instance.
func pathOf(t *testing.T, inst *instance, link string) string {
	t.Helper()
	if !strings.HasPrefix(link, inst.URL+"/") {
		t.Fatalf("link %q is not to the instance at %s", link, inst.URL)
	}
	return strings.TrimPrefix(link, inst.URL)
}

// TestPasswordResetByMail walks the whole reset: the link on the sign-in
// page, the request, the mail, the link in it, the new password; the
// member's sessions end, the old password no longer works, the new one
// does, and the link works once.
func TestPasswordResetByMail(t *testing.T) {
	box := startMailbox(t)
	inst := startInstance(t, withMail(box))
	makeMember(t, inst, "ada")
	phone := newVisitor(t, inst)
	wantStatus(t, phone.signIn("ada", "the old password"), http.StatusSeeOther)
	wantStatus(t, phone.get("/settings/password"), http.StatusOK)

	v := newVisitor(t, inst)
	wantBody(t, v.get("/signin"), `href="/password/forgot"`, "Forgot your password?")
	form := v.get("/password/forgot")
	wantStatus(t, form, http.StatusOK)
	wantBody(t, form, `name="login"`)
	p := v.post("/password/forgot", url.Values{"login": {"ada@example.org"}})
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, "If an account here has this email address or username")

	mails := box.waitFor(t, "ada@example.org", 1)
	m := mails[0]
	if !strings.Contains(m.Subject, "Reset your password") || !strings.Contains(m.Body, "@ada") {
		t.Errorf("mail: subject %q, body:\n%s", m.Subject, m.Body)
	}
	if m.From != "news@example.org" {
		t.Errorf("mail from %q, want news@example.org", m.From)
	}
	link := pathOf(t, inst, resetLink(t, m))

	wantBody(t, v.get(link), `name="new_password"`)
	p = v.post(link, url.Values{"new_password": {"a new password"}, "new_password_again": {"another one"}})
	wantStatus(t, p, http.StatusBadRequest)
	wantBody(t, p, "not the same")
	p = v.post(link, url.Values{"new_password": {"short"}, "new_password_again": {"short"}})
	wantStatus(t, p, http.StatusBadRequest)
	wantBody(t, p, "at least 8 characters")
	p = v.post(link, url.Values{"new_password": {"a new password"}, "new_password_again": {"a new password"}})
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location != "/signin" {
		t.Errorf("after the reset: Location %q, want /signin", p.Location)
	}
	wantBody(t, v.get("/signin"), "Your password is changed")

	// Every session of the member ended.
	if p := phone.get("/settings/password"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/signin") {
		t.Errorf("the old session still works: status %d, Location %q", p.Status, p.Location)
	}
	wantStatus(t, v.signIn("ada", "the old password"), http.StatusUnauthorized)
	wantStatus(t, v.signIn("ada", "a new password"), http.StatusSeeOther)

	// The link works once.
	other := newVisitor(t, inst)
	p = other.get(link)
	wantStatus(t, p, http.StatusConflict)
	wantBody(t, p, "was used already")
	other.get("/signin")
	p = other.post(link, url.Values{"new_password": {"a third password"}, "new_password_again": {"a third password"}})
	wantStatus(t, p, http.StatusConflict)
	wantStatus(t, other.signIn("ada", "a third password"), http.StatusUnauthorized)
}

// TestPasswordResetSameAnswerForEveryone: whether or not an account has
// the address or name, the answer is the same, and only an account gets
// mail. A newer request voids the older link.
func TestPasswordResetSameAnswerForEveryone(t *testing.T) {
	box := startMailbox(t)
	inst := startInstance(t, withMail(box))
	makeMember(t, inst, "bea")
	v := newVisitor(t, inst)
	v.get("/password/forgot")
	unknown := v.post("/password/forgot", url.Values{"login": {"nobody@example.org"}})
	unknownName := v.post("/password/forgot", url.Values{"login": {"nobody"}})
	known := v.post("/password/forgot", url.Values{"login": {"@bea"}})
	if answerOf(known.Body) == "" {
		t.Fatalf("no answer on the page:\n%s", known.Body)
	}
	for _, p := range []page{unknown, unknownName} {
		if p.Status != known.Status || answerOf(p.Body) != answerOf(known.Body) {
			t.Errorf("an unknown account is answered %d %q, a known one %d %q",
				p.Status, answerOf(p.Body), known.Status, answerOf(known.Body))
		}
	}
	first := box.waitFor(t, "bea@example.org", 1)[0]
	wantStatus(t, v.post("/password/forgot", url.Values{"login": {"BEA@example.org"}}), http.StatusOK)
	second := box.waitFor(t, "bea@example.org", 2)[1]
	if got := len(box.messages()); got != 2 {
		t.Errorf("%d mails sent, want 2 (none for the unknown accounts)", got)
	}

	old := pathOf(t, inst, resetLink(t, first))
	p := v.get(old)
	wantStatus(t, p, http.StatusConflict)
	wantBody(t, p, "newer link")
	wantBody(t, v.get(pathOf(t, inst, resetLink(t, second))), `name="new_password"`)
	wantStatus(t, v.get("/password/reset/made-up-token"), http.StatusNotFound)
}

// answerOf is the message of a forgot-password answer.
func answerOf(body string) string {
	i := strings.Index(body, `id="reset-sent"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</p>")
	return body[i : i+j]
}

// TestPasswordResetRateLimited: asking again and again for one address,
// or for many from one network, is refused for a while.
func TestPasswordResetRateLimited(t *testing.T) {
	inst := startInstance(t, withMail(startMailbox(t)))
	v := newVisitor(t, inst)
	v.get("/password/forgot")
	for range 5 {
		wantStatus(t, v.post("/password/forgot", url.Values{"login": {"cara"}}), http.StatusOK)
	}
	p := v.post("/password/forgot", url.Values{"login": {"Cara"}})
	wantStatus(t, p, http.StatusTooManyRequests)
	wantBody(t, p, "Please try again in")
	// The network's allowance is 20, and every request counts, the refused one too.
	for i := range 14 {
		wantStatus(t, v.post("/password/forgot", url.Values{"login": {"someone" + string(rune('a'+i))}}), http.StatusOK)
	}
	wantStatus(t, v.post("/password/forgot", url.Values{"login": {"yet_another"}}), http.StatusTooManyRequests)
}

// TestPasswordResetMailServerDown: a request is answered as usual when
// the SMTP server does not answer; the mail waits in the queue.
func TestPasswordResetMailServerDown(t *testing.T) {
	box := startMailbox(t)
	inst := startInstance(t, func(c *Config) {
		withMail(box)(c)
		c.Mail.Port = closedPort(t)
	})
	makeMember(t, inst, "dan")
	v := newVisitor(t, inst)
	v.get("/password/forgot")
	wantStatus(t, v.post("/password/forgot", url.Values{"login": {"dan"}}), http.StatusOK)
	waitFor(t, "a failed attempt", 30e9, func() bool {
		due, err := inst.DB.QueuedMail(context.Background(), 10)
		return err == nil && len(due) == 1 && due[0].Attempts > 0
	})
}

// TestPasswordResetWithoutMail: without [mail], the forgot page tells
// the member to ask an admin, and the admin's command prints a link that
// works; an unknown name is refused with a message.
func TestPasswordResetWithoutMail(t *testing.T) {
	inst := startInstance(t, nil)
	makeMember(t, inst, "eve")
	v := newVisitor(t, inst)
	p := v.get("/password/forgot")
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, "ask an admin")
	if strings.Contains(p.Body, `name="login"`) {
		t.Error("the forgot page offers a form that cannot send mail")
	}
	v.get("/signin")
	p = v.post("/password/forgot", url.Values{"login": {"eve"}})
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, "ask an admin")

	file := configOf(t, inst)
	got := runCLI("", "admin", "reset-password", "eve", "-config", file)
	if got.status != 0 {
		t.Fatalf("reset-password: %+v", got)
	}
	link := resetLinkPattern.FindString(got.stdout)
	if link == "" || !strings.Contains(got.stdout, "valid for one hour") {
		t.Fatalf("reset-password printed %q", got.stdout)
	}
	path := pathOf(t, inst, link)
	v.get(path)
	wantStatus(t, v.post(path, url.Values{"new_password": {"eve's new one"}, "new_password_again": {"eve's new one"}}), http.StatusSeeOther)
	wantStatus(t, v.signIn("eve", "eve's new one"), http.StatusSeeOther)

	got = runCLI("", "admin", "reset-password", "nobody", "-config", file)
	if got.status != 1 || !strings.Contains(got.stderr, "No member @nobody here") {
		t.Errorf("unknown name: %+v", got)
	}
	got = runCLI("", "admin", "reset-password", "-config", file)
	if got.status != 2 || !strings.Contains(got.stderr, "needs a member name") {
		t.Errorf("no name: %+v", got)
	}
}

// TestPasswordResetCommandWithMail: with mail set up, the admin's
// command prints the link all the same, for an admin helping by phone.
func TestPasswordResetCommandWithMail(t *testing.T) {
	box := startMailbox(t)
	inst := startInstance(t, withMail(box))
	makeMember(t, inst, "fay")
	file := configOf(t, inst)
	got := runCLI("", "admin", "reset-password", "fay", "-config", file)
	link := resetLinkPattern.FindString(got.stdout)
	if got.status != 0 || link == "" {
		t.Fatalf("reset-password: %+v", got)
	}
	wantBody(t, newVisitor(t, inst).get(pathOf(t, inst, link)), `name="new_password"`)
}
