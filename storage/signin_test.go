package storage

import (
	"context"
	"fmt"
	"sync"
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

// Guesses at one account from one network stop at the limit there, and
// the member still signs in from anywhere else.
func TestAuthenticateLimitsPerAccountAndAddress(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	mustCreateMember(t, db, "quinn")
	for i := 0; i < maxFailuresPerAccountNetwork; i++ {
		_, err := db.Authenticate(ctx, "quinn", "wrong", "203.0.113.9")
		wantCode(t, err, EUnauthorized)
	}
	// Even the right password is refused from there now.
	_, err := db.Authenticate(ctx, "quinn", "correct horse", "203.0.113.9")
	wantCode(t, err, ERateLimited)
	if RetryAfter(err) <= 0 || RetryAfter(err) > signInWindow {
		t.Errorf("retry after %v, want within the window of %v", RetryAfter(err), signInWindow)
	}
	// The network may still try other accounts, up to its own limit.
	_, err = db.Authenticate(ctx, "nobody", "wrong", "203.0.113.9")
	wantCode(t, err, EUnauthorized)
	// Quinn, elsewhere, is not locked out.
	if _, err := db.Authenticate(ctx, "quinn", "correct horse", "198.51.100.7"); err != nil {
		t.Fatalf("from another address: %v", err)
	}

	clock.Advance(signInWindow + time.Second)
	if _, err := db.Authenticate(ctx, "quinn", "correct horse", "203.0.113.9"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// Someone guessing from many addresses reaches a ceiling for the account,
// which does not shut the member out of a network they signed in from.
func TestAuthenticateAccountCeiling(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	mustCreateMember(t, db, "wren")
	if _, err := db.Authenticate(ctx, "wren", "correct horse", "192.0.2.77"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < maxFailuresPerAccount; i++ {
		ip := fmt.Sprintf("198.51.%d.%d", i/5, i%5)
		_, err := db.Authenticate(ctx, "wren", "wrong", ip)
		wantCode(t, err, EUnauthorized)
	}
	_, err := db.Authenticate(ctx, "wren", "correct horse", "203.0.113.50")
	wantCode(t, err, ERateLimited)
	if _, err := db.Authenticate(ctx, "wren", "correct horse", "192.0.2.77"); err != nil {
		t.Errorf("from the address wren signed in from before: %v", err)
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

// IPv6 addresses count by their /64, the block one subscriber gets.
func TestAuthenticateLimitsIPv6By64(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	mustCreateMember(t, db, "sky")
	for i := 0; i < maxFailuresPerAddress; i++ {
		ip := fmt.Sprintf("2001:db8:1:2:%x::%x", i, i+1)
		_, err := db.Authenticate(ctx, fmt.Sprintf("guess%d", i), "wrong", ip)
		wantCode(t, err, EUnauthorized)
	}
	_, err := db.Authenticate(ctx, "sky", "correct horse", "2001:db8:1:2:ffff:ffff:ffff:ffff")
	wantCode(t, err, ERateLimited)
	if _, err := db.Authenticate(ctx, "sky", "correct horse", "2001:db8:1:3::1"); err != nil {
		t.Errorf("the next /64 is limited too: %v", err)
	}
}

// Guesses sent at once are checked against the limit one by one: no more
// passwords are hashed than the limit allows.
func TestAuthenticateParallelGuesses(t *testing.T) {
	db, _ := openTestDB(t)
	mustCreateMember(t, db, "tove")
	tests := []struct {
		name    string
		account func(i int) string
		checked int // at most this many passwords may be hashed
	}{
		{"one account", func(int) string { return "tove" }, maxFailuresPerAccountNetwork},
		{"many accounts", func(i int) string { return fmt.Sprintf("guess%d", i) }, maxFailuresPerAddress},
	}
	for n, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ip := fmt.Sprintf("192.0.2.%d", 100+n)
			codes := make(chan string, 40)
			var wg sync.WaitGroup
			for i := 0; i < 40; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := db.Authenticate(context.Background(), tt.account(i), "wrong", ip)
					codes <- ErrorCode(err)
				}()
			}
			wg.Wait()
			close(codes)
			count := map[string]int{}
			for code := range codes {
				count[code]++
			}
			if count[EUnauthorized] > tt.checked || count[EUnauthorized]+count[ERateLimited] != 40 {
				t.Errorf("40 parallel guesses: %v; want at most %d checked (%s) and the rest %s",
					count, tt.checked, EUnauthorized, ERateLimited)
			}
		})
	}
}

// A good sign-in clears the failures of its account from its network.
func TestSuccessClearsAccountFailures(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	mustCreateMember(t, db, "sol")
	for round := 0; round < 3; round++ {
		for i := 0; i < maxFailuresPerAccountNetwork-1; i++ {
			_, err := db.Authenticate(ctx, "sol", "wrong", "192.0.2.1")
			wantCode(t, err, EUnauthorized)
		}
		if _, err := db.Authenticate(ctx, "sol", "correct horse", "192.0.2.1"); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}

// When every turn to hash is taken, a sign-in waits as long as its
// context allows, then is asked to come back, and its attempt does not
// count against the member.
func TestAuthenticateWhenHashingIsBusy(t *testing.T) {
	db, _ := openTestDB(t)
	mustCreateMember(t, db, "uli")
	for i := 0; i < cap(db.hashing); i++ {
		db.hashing <- struct{}{}
	}
	for i := 0; i < maxFailuresPerAccountNetwork+1; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		_, err := db.Authenticate(ctx, "uli", "correct horse", "192.0.2.1")
		cancel()
		wantCode(t, err, ERateLimited)
		if RetryAfter(err) <= 0 {
			t.Errorf("busy refusal without a time to retry: %v", err)
		}
	}
	for i := 0; i < cap(db.hashing); i++ {
		db.hashing.leave()
	}
	if _, err := db.Authenticate(context.Background(), "uli", "correct horse", "192.0.2.1"); err != nil {
		t.Errorf("after the rush: %v", err)
	}
}

func TestSignInNetwork(t *testing.T) {
	for ip, want := range map[string]string{
		"192.0.2.1":                    "192.0.2.1",
		"::ffff:192.0.2.1":             "192.0.2.1",
		"2001:db8:1:2:3:4:5:6":         "2001:db8:1:2::/64",
		"2001:db8:1:2::1":              "2001:db8:1:2::/64",
		"2001:DB8:1:2:ffff::1":         "2001:db8:1:2::/64",
		"fe80::1%eth0":                 "fe80::/64",
		"::1":                          "::/64",
		"not an address":               "not an address",
		"2001:db8:1:3:ffff:ffff::ffff": "2001:db8:1:3::/64",
	} {
		if got := NetworkOf(ip); got != want {
			t.Errorf("NetworkOf(%q) = %q, want %q", ip, got, want)
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
