package storage

import (
	"context"
	"strings"
	"testing"
)

// TestAdminRolesAndRules: admins list members with their roles, make and
// unmake admins but never the last one, and set the instance's rules.
func TestAdminRolesAndRules(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	ada, err := db.CreateMember(ctx, MemberCreate{Username: "ada", Email: "ada@example.org", Password: "correct horse", IsAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	bob := mustCreateMember(t, db, "bob")
	mustCreateSubwiki(t, db, "town", bob, false)

	_, err = db.MembersWithRoles(ctx, bob.ID, "", 10)
	wantCode(t, err, EForbidden)
	list, err := db.MembersWithRoles(ctx, ada.ID, "", 10)
	if err != nil || len(list) != 2 {
		t.Fatalf("MembersWithRoles = %v, %v", list, err)
	}
	if list[0].Member.Username != "ada" || !list[0].Member.IsAdmin || list[1].Member.Username != "bob" ||
		len(list[1].Moderates) != 1 || list[1].Moderates[0] != "town" {
		t.Errorf("roles = %+v, %+v", list[0], list[1])
	}

	wantCode(t, db.SetAdmin(ctx, ada.ID, "ada", false), EConflict)
	wantCode(t, db.SetAdmin(ctx, bob.ID, "bob", true), EForbidden)
	if err := db.SetAdmin(ctx, ada.ID, "bob", true); err != nil {
		t.Fatal(err)
	}
	if err := db.SetAdmin(ctx, "", "ada", false); err != nil {
		t.Errorf("unmaking one of two admins: %v", err)
	}
	wantCode(t, db.SetAdmin(ctx, "", "bob", false), EConflict)
	// The instance's log tells members who gave and took the role.
	log, err := db.ModerationLog(ctx, "", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		got = append(got, e.Action+" "+e.TargetText+" by "+e.ActorID)
	}
	if want := []string{ModRevokeAdmin + " @ada by ", ModGrantAdmin + " @bob by " + ada.ID}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("the instance's log = %q, want %q", got, want)
	}

	_, err = db.SetInstanceRules(ctx, ada.ID, []string{"Be kind"})
	wantCode(t, err, EForbidden) // ada is no admin any more
	_, err = db.SetInstanceRules(ctx, bob.ID, []string{"ok", strings.Repeat("x", 301)})
	wantCode(t, err, EInvalid)
	if _, err := db.SetInstanceRules(ctx, bob.ID, []string{" Link to sources ", "", "No harassment"}); err != nil {
		t.Fatal(err)
	}
	rules, err := db.InstanceRules(ctx)
	if err != nil || len(rules) != 2 || rules[0] != "Link to sources" || rules[1] != "No harassment" {
		t.Errorf("rules = %q, %v", rules, err)
	}
}
