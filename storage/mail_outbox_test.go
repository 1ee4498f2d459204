package storage

import (
	"context"
	"testing"
	"time"
)

// TestApprovalMail: a sign-up that waits queues the waiting-list mail
// and approval the approved one, in their transactions; a rejection
// takes the unsent mail with the registration; without mail nothing is
// queued.
func TestApprovalMail(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	db.Registration = RegistrationApproval
	register := func(name string) {
		t.Helper()
		if _, err := db.Register(ctx, Registration{MemberCreate: MemberCreate{
			Username: name, Email: name + "@example.org", Password: "a long password"}}); err != nil {
			t.Fatal(err)
		}
	}
	register("quiet")
	if q, _ := db.QueuedMail(ctx, 10); len(q) != 0 {
		t.Fatalf("%d mails queued without mail set up", len(q))
	}

	db.SendsMail = true
	register("jo")
	register("lou")
	if _, err := db.ApproveMember(ctx, "jo"); err != nil {
		t.Fatal(err)
	}
	if err := db.RejectMember(ctx, "lou"); err != nil {
		t.Fatal(err)
	}
	q, err := db.QueuedMail(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range q {
		got = append(got, m.Member.Username+" "+m.Kind)
	}
	want := []string{"jo " + MailWaitingList, "jo " + MailApproved}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("queued %q, want %q", got, want)
	}
}

func TestMailFailedRetriesThenParks(t *testing.T) {
	db, clock := openTestDB(t)
	db.SendsMail = true
	ctx := context.Background()
	db.Registration = RegistrationApproval
	if _, err := db.Register(ctx, Registration{MemberCreate: MemberCreate{
		Username: "kim", Email: "kim@example.org", Password: "a long password"}}); err != nil {
		t.Fatal(err)
	}
	due, _ := db.DueMail(ctx, 10)
	if len(due) != 1 {
		t.Fatalf("%d mails due, want 1", len(due))
	}
	id := due[0].ID
	for i := 1; i <= MailMaxAttempts; i++ {
		parked, err := db.MailFailed(ctx, id, "connection refused", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if parked != (i == MailMaxAttempts) {
			t.Fatalf("attempt %d: parked = %v", i, parked)
		}
		if due, _ := db.DueMail(ctx, 10); len(due) != 0 {
			t.Fatalf("attempt %d: due again before its wait", i)
		}
		clock.Advance(time.Minute)
	}
	if due, _ := db.DueMail(ctx, 10); len(due) != 0 {
		t.Error("a parked mail is due")
	}
	_, err := db.MailFailed(ctx, id, "again", time.Minute)
	wantCode(t, err, ENotFound)
	if q, _ := db.QueuedMail(ctx, 10); len(q) != 1 || !q[0].Parked || q[0].LastError != "connection refused" {
		t.Errorf("queue = %+v", q)
	}
}
