package storage

import (
	"context"
	"strings"
	"sync"
	"testing"
)

func TestCreateMemberRules(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	mustCreateMember(t, db, "alice")

	tests := []struct {
		name string
		c    MemberCreate
		code string
	}{
		{"taken name", MemberCreate{Username: "alice", Email: "other@example.org", Password: "long enough"}, EConflict},
		{"taken email in another case", MemberCreate{Username: "bob", Email: "ALICE@example.org", Password: "long enough"}, EConflict},
		{"reserved name", MemberCreate{Username: "admin", Email: "a@example.org", Password: "long enough"}, EConflict},
		{"reserved name s", MemberCreate{Username: "s", Email: "a@example.org", Password: "long enough"}, EConflict},
		{"uppercase", MemberCreate{Username: "Bob", Email: "b@example.org", Password: "long enough"}, EInvalid},
		{"hyphen", MemberCreate{Username: "bob-x", Email: "b@example.org", Password: "long enough"}, EInvalid},
		{"empty name", MemberCreate{Username: "", Email: "b@example.org", Password: "long enough"}, EInvalid},
		{"long name", MemberCreate{Username: strings.Repeat("b", 31), Email: "b@example.org", Password: "long enough"}, EInvalid},
		{"bad email", MemberCreate{Username: "bob", Email: "bob at example", Password: "long enough"}, EInvalid},
		{"email with name", MemberCreate{Username: "bob", Email: "Bob <bob@example.org>", Password: "long enough"}, EInvalid},
		{"short password", MemberCreate{Username: "bob", Email: "b@example.org", Password: "short"}, EInvalid},
		{"huge password", MemberCreate{Username: "bob", Email: "b@example.org", Password: strings.Repeat("p", 300)}, EInvalid},
		{"control in display name", MemberCreate{Username: "bob", Email: "b@example.org", Password: "long enough", DisplayName: "Bob\x00"}, EInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.CreateMember(ctx, tt.c)
			wantCode(t, err, tt.code)
			if ErrorMessage(err) == "" {
				t.Error("no message for the user")
			}
		})
	}
	if n, _ := db.CountMembers(ctx); n != 1 {
		t.Errorf("after refused creations there are %d members, want 1", n)
	}
}

func TestCreateMemberDefaultsDisplayName(t *testing.T) {
	db, _ := openTestDB(t)
	m := mustCreateMember(t, db, "carol_99")
	if m.DisplayName != "carol_99" || m.Status != MemberActive {
		t.Errorf("got display name %q status %q", m.DisplayName, m.Status)
	}
	got, err := db.MemberByUsername(context.Background(), "carol_99")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != m.ID || got.Email != "carol_99@example.org" || !got.CreatedAt.Equal(m.CreatedAt) {
		t.Errorf("stored member differs: got %+v, want %+v", got, m)
	}
}

func TestConcurrentCreateSameNameOneWins(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = db.CreateMember(ctx, MemberCreate{
				Username: "dora", Email: "dora" + strings.Repeat("x", i) + "@example.org", Password: "long enough",
			})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else {
			wantCode(t, err, EConflict)
		}
	}
	if won != 1 {
		t.Errorf("%d creations of the same name succeeded, want 1", won)
	}
}

func TestUpdateProfile(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	m := mustCreateMember(t, db, "erin")
	name, bio, avatar := "  Erin E.  ", "Reads the news.\nWrites some.", "https://example.org/erin.png"
	got, err := db.UpdateProfile(ctx, m.ID, ProfileUpdate{DisplayName: &name, Bio: &bio, AvatarURL: &avatar})
	if err != nil {
		t.Fatal(err)
	}
	if got.DisplayName != "Erin E." || got.Bio != bio || got.AvatarURL != avatar {
		t.Errorf("profile = %q %q %q", got.DisplayName, got.Bio, got.AvatarURL)
	}

	for _, bad := range []ProfileUpdate{
		{AvatarURL: ptr("javascript:alert(1)")},
		{AvatarURL: ptr("/relative.png")},
		{Bio: ptr(strings.Repeat("b", maxBioLength+1))},
		{DisplayName: ptr(strings.Repeat("n", maxDisplayNameLength+1))},
	} {
		_, err := db.UpdateProfile(ctx, m.ID, bad)
		wantCode(t, err, EInvalid)
	}
	stored, _ := db.MemberByID(ctx, m.ID)
	if stored.DisplayName != "Erin E." || stored.AvatarURL != avatar || stored.Bio != bio {
		t.Errorf("a refused update changed the profile: %+v", stored)
	}
	_, err = db.UpdateProfile(ctx, "nobody", ProfileUpdate{Bio: &bio})
	wantCode(t, err, ENotFound)
}

func ptr(s string) *string { return &s }
