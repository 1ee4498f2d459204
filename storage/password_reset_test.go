package storage

import (
	"context"
	"testing"
	"time"
)

// resetToken requests a reset by mail for login and returns the token
// of the mail it queued.
func resetToken(t *testing.T, db *DB, login string) string {
	t.Helper()
	ctx := context.Background()
	if err := db.RequestPasswordReset(ctx, login); err != nil {
		t.Fatal(err)
	}
	q, err := db.QueuedMail(ctx, 10)
	if err != nil || len(q) == 0 {
		t.Fatalf("no mail queued: %v", err)
	}
	last := q[len(q)-1]
	if last.Kind != MailPasswordReset || last.Payload.Token == "" {
		t.Fatalf("queued %+v, want a reset mail with a token", last)
	}
	return last.Payload.Token
}

func TestPasswordResetByMail(t *testing.T) {
	db, clock := openTestDB(t)
	db.SendsMail = true
	ctx := context.Background()
	m := mustCreateMember(t, db, "ada")
	here, _ := db.CreateSession(ctx, m.ID)

	token := resetToken(t, db, "ADA@example.org")
	if got, err := db.PasswordResetMember(ctx, token); err != nil || got.ID != m.ID {
		t.Fatalf("the token is for %v, %v; want @ada", got, err)
	}
	_, err := db.ResetPassword(ctx, token, "short")
	wantCode(t, err, EInvalid)
	if _, err := db.ResetPassword(ctx, token, "a new password"); err != nil {
		t.Fatal(err)
	}
	_, err = db.MemberBySession(ctx, here)
	wantCode(t, err, EUnauthorized)
	if _, err := db.Authenticate(ctx, "ada", "a new password", "192.0.2.1"); err != nil {
		t.Errorf("the new password does not sign in: %v", err)
	}
	_, err = db.ResetPassword(ctx, token, "a third password")
	wantCode(t, err, EConflict)

	// A newer request voids the older link and drops its unsent mail.
	older := resetToken(t, db, "@ada")
	newer := resetToken(t, db, "ada")
	_, err = db.PasswordResetMember(ctx, older)
	wantCode(t, err, EConflict)
	if q, _ := db.QueuedMail(ctx, 10); len(q) != 1 || q[0].Payload.Token != newer {
		t.Errorf("queued %d mails, want only the newest link's", len(q))
	}

	clock.Advance(PasswordResetLifetime)
	_, err = db.ResetPassword(ctx, newer, "a fourth password")
	wantCode(t, err, EForbidden)
	if q, _ := db.DueMail(ctx, 10); len(q) != 0 {
		t.Errorf("an expired link's mail is still due")
	}
	_, err = db.PasswordResetMember(ctx, "no such token")
	wantCode(t, err, ENotFound)
}

func TestPasswordResetUnknownOrWithoutMail(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	mustCreateMember(t, db, "bea")
	wantCode(t, db.RequestPasswordReset(ctx, "bea"), EForbidden)

	db.SendsMail = true
	for _, login := range []string{"nobody", "nobody@example.org"} {
		if err := db.RequestPasswordReset(ctx, login); err != nil {
			t.Errorf("%s: %v, want the same answer as for an account", login, err)
		}
	}
	wantCode(t, db.RequestPasswordReset(ctx, "  "), EInvalid)
	if q, _ := db.QueuedMail(ctx, 10); len(q) != 0 {
		t.Errorf("%d mails queued for accounts that do not exist", len(q))
	}

	_, _, err := db.CreatePasswordReset(ctx, "nobody")
	wantCode(t, err, ENotFound)
	token, _, err := db.CreatePasswordReset(ctx, "bea")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ResetPassword(ctx, token, "bea's new password"); err != nil {
		t.Errorf("the admin's link does not work: %v", err)
	}
}

// TestPasswordResetMailsPerHour: however it is asked, a member gets at
// most a few reset mails an hour, and the asking is answered the same.
func TestPasswordResetMailsPerHour(t *testing.T) {
	db, clock := openTestDB(t)
	db.SendsMail = true
	ctx := context.Background()
	m := mustCreateMember(t, db, "cy")
	for i := range maxResetMailsPerHour + 2 {
		login := []string{"cy", "@cy", "CY@example.org"}[i%3]
		if err := db.RequestPasswordReset(ctx, login); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	var made int
	db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM password_resets WHERE member_id = ?`, m.ID).Scan(&made)
	})
	if made != maxResetMailsPerHour {
		t.Errorf("%d links made in an hour, want %d", made, maxResetMailsPerHour)
	}
	clock.Advance(time.Hour)
	resetToken(t, db, "cy")
}
