package storage

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestAuthenticate(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	m := mustCreateMember(t, db, "pia")
	got, err := db.Authenticate(ctx, "pia", "correct horse", "192.0.2.1")
	if err != nil || got.ID != m.ID {
		t.Fatalf("authenticate = %v, %v", got, err)
	}
	_, err = db.Authenticate(ctx, "pia", "wrong horse", "192.0.2.1")
	wantCode(t, err, EUnauthorized)
	_, err = db.Authenticate(ctx, "nobody", "correct horse", "192.0.2.1")
	wantCode(t, err, EUnauthorized)
	if ErrorMessage(err) != "The username or password is not right." {
		t.Errorf("unknown name and wrong password should read alike, got %q", ErrorMessage(err))
	}
}

func TestAuthenticateLimitsPerAccount(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	mustCreateMember(t, db, "quinn")
	for i := 0; i < maxFailuresPerAccount; i++ {
		_, err := db.Authenticate(ctx, "quinn", "wrong", fmt.Sprintf("192.0.2.%d", i))
		wantCode(t, err, EUnauthorized)
	}
	// Even the right password is refused now, from any address.
	_, err := db.Authenticate(ctx, "quinn", "correct horse", "198.51.100.7")
	wantCode(t, err, ERateLimited)

	clock.Advance(signInWindow + time.Second)
	if _, err := db.Authenticate(ctx, "quinn", "correct horse", "198.51.100.7"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

func TestAuthenticateLimitsPerAddress(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	mustCreateMember(t, db, "rae")
	for i := 0; i < maxFailuresPerAddress; i++ {
		_, err := db.Authenticate(ctx, fmt.Sprintf("guess%d", i), "wrong", "203.0.113.9")
		wantCode(t, err, EUnauthorized)
	}
	_, err := db.Authenticate(ctx, "rae", "correct horse", "203.0.113.9")
	wantCode(t, err, ERateLimited)
	if _, err := db.Authenticate(ctx, "rae", "correct horse", "203.0.113.10"); err != nil {
		t.Errorf("another address is limited too: %v", err)
	}
}

func TestSuccessClearsAccountFailures(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	mustCreateMember(t, db, "sol")
	for round := 0; round < 3; round++ {
		for i := 0; i < maxFailuresPerAccount-1; i++ {
			db.Authenticate(ctx, "sol", "wrong", "192.0.2.1")
		}
		if _, err := db.Authenticate(ctx, "sol", "correct horse", "192.0.2.2"); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}

func TestSessions(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	m := mustCreateMember(t, db, "tam")
	token, err := db.CreateSession(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.MemberBySession(ctx, token)
	if err != nil || got.ID != m.ID {
		t.Fatalf("member by session = %v, %v", got, err)
	}
	_, err = db.MemberBySession(ctx, token+"x")
	wantCode(t, err, EUnauthorized)

	if err := db.DeleteSession(ctx, token); err != nil {
		t.Fatal(err)
	}
	_, err = db.MemberBySession(ctx, token)
	wantCode(t, err, EUnauthorized)

	old, _ := db.CreateSession(ctx, m.ID)
	clock.Advance(SessionLifetime)
	_, err = db.MemberBySession(ctx, old)
	wantCode(t, err, EUnauthorized)
}

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	m := mustCreateMember(t, db, "uma")
	here, _ := db.CreateSession(ctx, m.ID)
	elsewhere, _ := db.CreateSession(ctx, m.ID)

	wantCode(t, db.ChangePassword(ctx, m.ID, "wrong", "new password", here), EForbidden)
	wantCode(t, db.ChangePassword(ctx, m.ID, "correct horse", "short", here), EInvalid)
	if err := db.ChangePassword(ctx, m.ID, "correct horse", "new password", here); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MemberBySession(ctx, here); err != nil {
		t.Errorf("the current session ended: %v", err)
	}
	_, err := db.MemberBySession(ctx, elsewhere)
	wantCode(t, err, EUnauthorized)
	_, err = db.Authenticate(ctx, "uma", "correct horse", "192.0.2.1")
	wantCode(t, err, EUnauthorized)
	if _, err := db.Authenticate(ctx, "uma", "new password", "192.0.2.1"); err != nil {
		t.Errorf("new password refused: %v", err)
	}
}
