package main

import (
	"context"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// TestAdminSuspendCommand: the operator suspends and unsuspends a member
// from the command line; mistakes are named.
func TestAdminSuspendCommand(t *testing.T) {
	file := writeConfig(t, "")
	db := openConfigDB(t, file)
	ctx := context.Background()
	bob, err := db.CreateMember(ctx, storage.MemberCreate{Username: "bob", Email: "bob@example.org", Password: "a long password"})
	if err != nil {
		t.Fatal(err)
	}

	got := runCLI("", "admin", "suspend", "@bob", "--reason", "Spam bot", "-config", file)
	if got.status != 0 || !strings.Contains(got.stdout, "suspended @bob") {
		t.Fatalf("suspend: %+v", got)
	}
	if s, err := db.SuspensionOf(ctx, bob.ID); err != nil || s == nil || s.Reason != "Spam bot" {
		t.Errorf("the suspension = %+v, %v", s, err)
	}
	got = runCLI("", "admin", "suspend", "bob", "-config", file)
	if got.status != 1 || !strings.Contains(got.stderr, "@bob is suspended already.") {
		t.Errorf("suspending twice: %+v", got)
	}
	got = runCLI("", "admin", "unsuspend", "bob", "-config", file)
	if got.status != 0 || !strings.Contains(got.stdout, "lifted the suspension of @bob") {
		t.Fatalf("unsuspend: %+v", got)
	}
	if s, _ := db.SuspensionOf(ctx, bob.ID); s != nil {
		t.Errorf("still suspended: %+v", s)
	}
	for _, args := range [][]string{{"suspend"}, {"unsuspend", "bob", "--reason", "x"}, {"suspend", "a", "b"}} {
		got = runCLI("", append(append([]string{"admin"}, args...), "-config", file)...)
		if got.status != 2 {
			t.Errorf("admin %v: %+v, want a usage error", args, got)
		}
	}
	got = runCLI("", "admin", "suspend", "nobody", "-config", file)
	if got.status != 1 || !strings.Contains(got.stderr, "There is no member @nobody here.") {
		t.Errorf("suspending nobody: %+v", got)
	}
}
