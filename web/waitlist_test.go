package web

import (
	"context"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// TestWaitingListMailSaysTheNumber: in waitlist mode the mail after
// signing up tells the number in line and how to skip it; in approval
// mode it speaks of the admin's approval.
func TestWaitingListMailSaysTheNumber(t *testing.T) {
	box := &testMailbox{}
	site := startMailSite(t, box.listen(t, "127.0.0.1:0"))
	ctx := context.Background()
	join := func(mode storage.RegistrationMode, name string) {
		t.Helper()
		site.db.Registration = mode
		_, err := site.db.Register(ctx, storage.Registration{MemberCreate: storage.MemberCreate{
			Username: name, Email: name + "@example.org", Password: "a long password"}})
		if err != nil {
			t.Fatal(err)
		}
	}
	join(storage.RegistrationWaitlist, "ada")
	join(storage.RegistrationWaitlist, "bea")
	join(storage.RegistrationApproval, "cal")
	if got := site.server.mail.sendDue(ctx); got != 3 {
		t.Fatalf("sent %d mails, want 3", got)
	}
	byRecipient := map[string]string{}
	for _, msg := range box.messages() {
		for _, name := range []string{"ada", "bea", "cal"} {
			if strings.Contains(msg, "To: "+name+"@example.org") || strings.Contains(msg, "<"+name+"@example.org>") {
				byRecipient[name] = strings.ReplaceAll(msg, "\r\n", "\n")
			}
		}
	}
	for name, want := range map[string][]string{
		"ada": {"you are number 1 in line", "/support"},
		"bea": {"you are number 2 in line"},
		"cal": {"an admin looks at every new account"},
	} {
		for _, w := range want {
			if !strings.Contains(byRecipient[name], w) {
				t.Errorf("mail to %s does not say %q:\n%s", name, w, byRecipient[name])
			}
		}
	}
	if strings.Contains(byRecipient["cal"], "in line") {
		t.Errorf("the approval-mode mail speaks of a line:\n%s", byRecipient["cal"])
	}
}
