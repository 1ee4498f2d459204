package storage

import (
	"context"
	"testing"
)

func TestNormalizeDomain(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"example.com", "example.com", true},
		{" Social.Example.COM. ", "social.example.com", true},
		{"*.spam.example", "spam.example", true},
		{"127.0.0.1:8080", "127.0.0.1:8080", true},
		{"bad.example:80x", "", false},
		{"https://bad.example/", "", false},
		{"bad example", "", false},
		{"", "", false},
		{"bad..example", "", false},
	}
	for _, tt := range tests {
		got, err := NormalizeDomain(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("NormalizeDomain(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestDomainCovers(t *testing.T) {
	tests := []struct {
		entry, host string
		want        bool
	}{
		{"spam.example", "spam.example", true},
		{"spam.example", "a.b.spam.example", true},
		{"spam.example", "SPAM.example:443", true},
		{"spam.example", "notspam.example", false},
		{"spam.example", "example", false},
		{"spam.example:8443", "spam.example:8443", true},
		{"spam.example:8443", "m.spam.example:8443", true},
		{"spam.example:8443", "spam.example", false},
		{"127.0.0.1:4000", "127.0.0.1:4000", true},
		{"127.0.0.1:4000", "127.0.0.1:4001", false},
		{"127.0.0.1", "127.0.0.1:4001", true},
		{"0.0.1", "127.0.0.1", false},
	}
	for _, tt := range tests {
		if got := DomainCovers(tt.entry, tt.host); got != tt.want {
			t.Errorf("DomainCovers(%q, %q) = %v, want %v", tt.entry, tt.host, got, tt.want)
		}
	}
}

// TestSuspendDomain: suspending a server drops what waits to be sent to
// it, ends follows with its accounts, deletes their posts, and is logged;
// its subdomains are covered, other servers are not touched.
func TestSuspendDomain(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	admin, err := db.CreateMember(ctx, MemberCreate{Username: "ada", Email: "ada@tidings.test",
		Password: "a long enough password", IsAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	alice := mustCreateMember(t, db, "alice")
	bob := saveRemote(t, db, "bob", "m.spam.example")
	carl := saveRemote(t, db, "carl", "fine.example")
	for _, f := range []*Actor{bob, carl} {
		if _, err := db.ReceiveFollow(ctx, f.ID, alice.ID, "https://"+f.Host+"/follows/1"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.SaveRemotePost(ctx, RemotePost{URI: "https://m.spam.example/notes/1", AuthorID: bob.ID,
		Content: "buy now", Visibility: Public}); err != nil {
		t.Fatal(err)
	}
	expandTo(t, db, alice.ID, "", "https://m.spam.example/inbox", "https://fine.example/inbox")

	_, err = db.BlockDomain(ctx, DomainBlockCreate{ActorID: alice.ID, Host: "spam.example", Level: DomainSuspend})
	wantCode(t, err, EForbidden)
	if _, err := db.BlockDomain(ctx, DomainBlockCreate{ActorID: admin.ID, Host: "Spam.Example",
		Level: DomainSuspend, Reason: "spam"}); err != nil {
		t.Fatal(err)
	}
	var pending, dropped int
	db.read(ctx, func(tx *Tx) error {
		tx.QueryRowContext(ctx, `SELECT count(*) FROM deliveries WHERE host = 'm.spam.example' AND `+pendingDelivery).Scan(&pending)
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM deliveries WHERE host = 'fine.example' AND `+pendingDelivery).Scan(&dropped)
	})
	if pending != 0 || dropped != 1 {
		t.Errorf("pending deliveries to the suspended server = %d, to another = %d; want 0 and 1", pending, dropped)
	}
	if followers, _, _ := db.FollowCounts(ctx, alice.ID); followers != 1 {
		t.Errorf("alice has %d followers, want 1 (the suspended server's follow ended)", followers)
	}
	if _, err := db.PostByURI(ctx, "https://m.spam.example/notes/1"); ErrorCode(err) != ENotFound {
		t.Errorf("the suspended server's post: %v, want it gone", err)
	}
	if level, _ := db.DomainLevel(ctx, "m.spam.example"); level != DomainSuspend {
		t.Errorf("level of m.spam.example = %q, want suspend", level)
	}
	// Nothing new is queued for it either.
	expandTo(t, db, alice.ID, "", "https://m.spam.example/inbox")
	db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM deliveries WHERE host = 'm.spam.example' AND `+pendingDelivery).Scan(&pending)
	})
	if pending != 0 {
		t.Errorf("a delivery to the suspended server was queued")
	}

	if err := db.UnblockDomain(ctx, admin.ID, "spam.example"); err != nil {
		t.Fatal(err)
	}
	if level, _ := db.DomainLevel(ctx, "m.spam.example"); level != DomainNone {
		t.Errorf("level after unblock = %q, want none", level)
	}
	log, _ := db.ModerationLog(ctx, "", "", 10)
	if len(log) != 2 || log[0].Action != ModUnblockDomain || log[1].Action != ModBlockDomain ||
		log[1].TargetText != "spam.example" || log[1].Reason != "spam" || log[1].Actor == nil || log[1].Actor.ID != admin.ID {
		t.Errorf("instance log = %+v, want the block then the unblock", log)
	}
	wantCode(t, db.UnblockDomain(ctx, admin.ID, "spam.example"), ENotFound)
}

// TestConfigDomains: the config's blocks replace its previous ones at
// each start and cannot be changed at runtime.
func TestConfigDomains(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	if err := db.ApplyConfigDomains(ctx, []string{"bad.example"}, []string{"loud.example"}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.UnblockDomain(ctx, ByOperator, "bad.example"), EConflict)
	_, err := db.BlockDomain(ctx, DomainBlockCreate{Host: "loud.example", Level: DomainSuspend})
	wantCode(t, err, EConflict)
	if err := db.ApplyConfigDomains(ctx, []string{"bad.example"}, []string{"loud.example"}); err != nil {
		t.Fatal(err)
	}
	if log, _ := db.ModerationLog(ctx, "", "", 10); len(log) != 2 {
		t.Errorf("log after applying the same config twice has %d entries, want 2", len(log))
	}
	if err := db.ApplyConfigDomains(ctx, nil, []string{"loud.example"}); err != nil {
		t.Fatal(err)
	}
	list, _ := db.DomainBlocks(ctx)
	if len(list) != 1 || list[0].Host != "loud.example" || list[0].Level != DomainLimit || !list[0].FromConfig {
		t.Errorf("blocks = %+v, want loud.example limited by the config", list)
	}
	err = db.ApplyConfigDomains(ctx, []string{"https://x.example/"}, nil)
	wantCode(t, err, EInvalid)
}

// TestLimitedFollowNeedsApproval: a follow from a limited server waits
// for the member's approval.
func TestLimitedFollowNeedsApproval(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := saveRemote(t, db, "bob", "loud.example")
	if _, err := db.BlockDomain(ctx, DomainBlockCreate{Host: "loud.example", Level: DomainLimit}); err != nil {
		t.Fatal(err)
	}
	f, err := db.ReceiveFollow(ctx, bob.ID, alice.ID, "https://loud.example/follows/1")
	if err != nil || f.State != FollowPending {
		t.Errorf("follow from a limited server = %+v, %v; want pending", f, err)
	}
}
