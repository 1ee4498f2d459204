package storage

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// joinWaitlist signs people up in waitlist mode, a second apart, and
// returns them in the order they joined.
func joinWaitlist(t *testing.T, db *DB, clock *testClock, names ...string) []*Member {
	t.Helper()
	db.Registration = RegistrationWaitlist
	var list []*Member
	for _, name := range names {
		m, err := db.Register(context.Background(), registration(name, ""))
		if err != nil {
			t.Fatalf("register %s: %v", name, err)
		}
		if m.Status != MemberPending {
			t.Fatalf("%s is %s after signing up, want pending", name, m.Status)
		}
		list = append(list, m)
		clock.Advance(time.Second)
	}
	return list
}

// wantPlaces checks each member's number in line; 0 is not waiting.
func wantPlaces(t *testing.T, db *DB, want map[*Member]int) {
	t.Helper()
	for m, place := range want {
		got, err := db.WaitlistPlace(context.Background(), m.ID)
		if err != nil {
			t.Fatalf("place of %s: %v", m.Username, err)
		}
		if got != place {
			t.Errorf("place of %s = %d, want %d", m.Username, got, place)
		}
	}
}

// Numbers in line count from 1 for the oldest sign-up and move up as
// others are admitted or rejected.
func TestWaitlistPlaces(t *testing.T) {
	ctx := context.Background()
	db, clock := openTestDB(t)
	w := joinWaitlist(t, db, clock, "ada", "ben", "cy", "dee")
	wantPlaces(t, db, map[*Member]int{w[0]: 1, w[1]: 2, w[2]: 3, w[3]: 4})

	if _, err := db.AdmitMember(ctx, "ben"); err != nil {
		t.Fatal(err)
	}
	wantPlaces(t, db, map[*Member]int{w[0]: 1, w[1]: 0, w[2]: 2, w[3]: 3})
	if err := db.RejectMember(ctx, "ada"); err != nil {
		t.Fatal(err)
	}
	wantPlaces(t, db, map[*Member]int{w[2]: 1, w[3]: 2})

	line, total, err := db.Waitlist(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if total != 2 {
		t.Errorf("%d waiting in all, want 2", total)
	}
	if first, total, _ := db.Waitlist(ctx, 1); len(first) != 1 || total != 2 {
		t.Errorf("the first of the line: %d shown of %d, want 1 of 2", len(first), total)
	}
	var got []string
	for _, e := range line {
		got = append(got, e.Username+"#"+string(rune('0'+e.Place)))
	}
	if strings.Join(got, " ") != "cy#1 dee#2" {
		t.Errorf("the line = %v, want [cy#1 dee#2]", got)
	}
}

// Admitting by hand lets a waiting member in, as approving does, and
// names the mistake for anyone else.
func TestAdmitMember(t *testing.T) {
	ctx := context.Background()
	db, clock := openTestDB(t)
	db.SendsMail = true
	w := joinWaitlist(t, db, clock, "eve")
	m, err := db.AdmitMember(ctx, "eve")
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != MemberActive {
		t.Errorf("status = %s, want active", m.Status)
	}
	if got, _ := db.MemberByID(ctx, w[0].ID); got.Status != MemberActive {
		t.Errorf("stored status = %s, want active", got.Status)
	}
	if n := countMail(t, db, MailApproved, w[0].ID); n != 1 {
		t.Errorf("%d approval mails, want 1", n)
	}
	_, err = db.AdmitMember(ctx, "eve")
	wantCode(t, err, EConflict)
	if !strings.Contains(ErrorMessage(err), "@eve is not on the waiting list") {
		t.Errorf("message = %q", ErrorMessage(err))
	}
	_, err = db.AdmitMember(ctx, "nobody")
	wantCode(t, err, ENotFound)
	if !strings.Contains(ErrorMessage(err), "@nobody") {
		t.Errorf("message = %q, want it to name @nobody", ErrorMessage(err))
	}
}

// countMail counts the mails of a kind queued to a member.
func countMail(t *testing.T, db *DB, kind, memberID string) int {
	t.Helper()
	var n int
	err := db.read(context.Background(), func(tx *Tx) error {
		return tx.QueryRowContext(context.Background(), `SELECT count(*) FROM mail_outbox WHERE kind = ? AND member_id = ?`,
			kind, memberID).Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// The daily admission lets in the oldest in line, up to the day's
// number, once a UTC day however often it runs and across restarts;
// admissions by hand do not use the day's places.
func TestAdmitToday(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tidings.db")
	clock := &testClock{now: time.Date(2026, 11, 1, 23, 0, 0, 0, time.UTC)}
	open := func() *DB {
		db, err := Open(ctx, path, testSite)
		if err != nil {
			t.Fatal(err)
		}
		db.Now = clock.Now
		db.Registration = RegistrationWaitlist
		db.Admission.AdmitPerDay = 2
		return db
	}
	db := open()
	w := joinWaitlist(t, db, clock, "fox", "gil", "hal", "ivy", "jon", "kim")
	admitted := func(want ...string) {
		t.Helper()
		list, err := db.AdmitToday(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range list {
			got = append(got, m.Username)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("admitted %v at %s, want %v", got, clock.now, want)
		}
	}
	if _, err := db.AdmitMember(ctx, "gil"); err != nil { // by hand: no place of the day used
		t.Fatal(err)
	}
	admitted("fox", "hal")
	admitted()
	db.Close()
	db = open() // a restart the same day admits nobody more
	admitted()
	clock.Advance(90 * time.Minute) // past midnight UTC
	admitted("ivy", "jon")
	admitted()
	db.Admission.AdmitPerDay = 0
	clock.Advance(24 * time.Hour)
	admitted()
	db.Admission.AdmitPerDay = 2
	db.Registration = RegistrationApproval
	admitted()
	db.Registration = RegistrationWaitlist
	admitted("kim")
	wantPlaces(t, db, map[*Member]int{w[5]: 0})
	db.Close()
}

// A contribution admits its waiting member at once, and the others move
// up the line.
func TestContributionAdmitsFromWaitlist(t *testing.T) {
	ctx := context.Background()
	db, clock := openTestDB(t)
	w := joinWaitlist(t, db, clock, "lou", "max", "ned")
	_, err := db.RecordContribution(ctx, Contribution{MemberID: w[1].ID, AmountCents: 1299, Currency: "usd",
		CoversUntil: clock.now.AddDate(0, 1, 0), Source: PaymentOffline})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := db.MemberByID(ctx, w[1].ID); got.Status != MemberActive {
		t.Errorf("the supporter is %s, want active", got.Status)
	}
	wantPlaces(t, db, map[*Member]int{w[0]: 1, w[1]: 0, w[2]: 2})
}

// An invite skips the line: its member is active at once, and nobody
// else's number changes.
func TestWaitlistInviteSkipsLine(t *testing.T) {
	ctx := context.Background()
	db, clock := openTestDB(t)
	inviter := mustCreateMember(t, db, "ola")
	w := joinWaitlist(t, db, clock, "pam")
	inv, err := db.CreateInvite(ctx, inviter.ID)
	if err != nil {
		t.Fatal(err)
	}
	m, err := db.Register(ctx, registration("quin", inv.Code))
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != MemberActive {
		t.Errorf("invited member is %s, want active", m.Status)
	}
	wantPlaces(t, db, map[*Member]int{w[0]: 1, m: 0})
}

// Signing in while waiting says the number in line.
func TestSignInWhileWaiting(t *testing.T) {
	ctx := context.Background()
	db, clock := openTestDB(t)
	joinWaitlist(t, db, clock, "ray", "sam")
	_, err := db.Authenticate(ctx, "sam", "long enough", "192.0.2.1")
	wantCode(t, err, EForbidden)
	if got := ErrorMessage(err); !strings.Contains(got, "You are on the waiting list: number 2.") {
		t.Errorf("message = %q, want the number in line", got)
	}
}

// Each member may have invites_per_member invites used or open; an
// expired unused invite gives its place back; admins have no limit,
// and 0 leaves inviting to admins.
func TestInviteAllowance(t *testing.T) {
	ctx := context.Background()
	db, clock := openTestDB(t)
	db.Admission.InvitesPerMember = 2
	tom := mustCreateMember(t, db, "tom")
	first, err := db.CreateInvite(ctx, tom.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateInvite(ctx, tom.ID); err != nil {
		t.Fatal(err)
	}
	_, err = db.CreateInvite(ctx, tom.ID)
	wantCode(t, err, EForbidden)
	if got := ErrorMessage(err); !strings.Contains(got, "2 invites") {
		t.Errorf("message = %q, want it to name the allowance of 2 invites", got)
	}
	if a, err := db.InviteAllowanceOf(ctx, tom.ID); err != nil || a.Left != 0 || a.Allowed != 2 || a.Unlimited {
		t.Errorf("allowance = %+v (%v), want 0 of 2 left", a, err)
	}
	db.Registration = RegistrationInvite
	if _, err := db.Register(ctx, registration("uma", first.Code)); err != nil {
		t.Fatal(err)
	}
	clock.Advance(inviteLifetime + time.Second) // the unused one expires; the used one still counts
	if a, _ := db.InviteAllowanceOf(ctx, tom.ID); a.Left != 1 {
		t.Errorf("left after one expired = %d, want 1", a.Left)
	}
	if _, err := db.CreateInvite(ctx, tom.ID); err != nil {
		t.Fatalf("an expired invite's place: %v", err)
	}
	_, err = db.CreateInvite(ctx, tom.ID)
	wantCode(t, err, EForbidden)

	admin, err := db.CreateMember(ctx, MemberCreate{Username: "val", Email: "val@example.org", Password: "correct horse", IsAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Admission.InvitesPerMember = 0
	for i := 0; i < 3; i++ {
		if _, err := db.CreateInvite(ctx, admin.ID); err != nil {
			t.Fatalf("admin's invite %d: %v", i, err)
		}
	}
	if a, _ := db.InviteAllowanceOf(ctx, admin.ID); !a.Unlimited {
		t.Errorf("admin's allowance = %+v, want unlimited", a)
	}
	if _, err := db.CreateInvite(ctx, ""); err != nil {
		t.Fatalf("the command line's invite: %v", err)
	}
	_, err = db.CreateInvite(ctx, tom.ID)
	wantCode(t, err, EForbidden)
	if got := ErrorMessage(err); !strings.Contains(got, "Only admins") {
		t.Errorf("message = %q, want it to say only admins invite", got)
	}
}
