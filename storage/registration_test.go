package storage

import (
	"context"
	"testing"
	"time"
)

func registration(name, invite string) Registration {
	return Registration{
		MemberCreate: MemberCreate{Username: name, Email: name + "@example.org", Password: "long enough"},
		InviteCode:   invite,
	}
}

func TestRegisterOpen(t *testing.T) {
	db, _ := openTestDB(t)
	db.Registration = RegistrationOpen
	r := registration("fay", "")
	r.IsAdmin = true
	m, err := db.Register(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != MemberActive || m.IsAdmin {
		t.Errorf("status %q admin %v; want active, not admin", m.Status, m.IsAdmin)
	}
}

func TestRegisterClosed(t *testing.T) {
	db, _ := openTestDB(t)
	db.Registration = RegistrationClosed
	_, err := db.Register(context.Background(), registration("gus", ""))
	wantCode(t, err, EForbidden)
	_, err = db.MemberByUsername(context.Background(), "gus")
	wantCode(t, err, ENotFound)
}

func TestRegisterApprovalQueue(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	db.Registration = RegistrationApproval
	r := registration("hal", "")
	r.JoinReason = "I edit headlines for a living."
	m, err := db.Register(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != MemberPending {
		t.Fatalf("status %q, want pending", m.Status)
	}
	_, err = db.Authenticate(ctx, "hal", "long enough", "192.0.2.1")
	wantCode(t, err, EForbidden)

	pending, err := db.PendingMembers(ctx)
	if err != nil || len(pending) != 1 || pending[0].JoinReason != r.JoinReason {
		t.Fatalf("pending = %v, %v", pending, err)
	}
	if _, err := db.ApproveMember(ctx, "hal"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Authenticate(ctx, "hal", "long enough", "192.0.2.1"); err != nil {
		t.Errorf("sign-in after approval: %v", err)
	}
	_, err = db.ApproveMember(ctx, "hal")
	wantCode(t, err, EConflict)
	_, err = db.ApproveMember(ctx, "nobody")
	wantCode(t, err, ENotFound)

	// Rejecting frees the name; an active member cannot be rejected.
	if _, err := db.Register(ctx, registration("ida", "")); err != nil {
		t.Fatal(err)
	}
	if err := db.RejectMember(ctx, "ida"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.RejectMember(ctx, "hal"), EConflict)
	if _, err := db.Register(ctx, registration("ida", "")); err != nil {
		t.Errorf("name not freed by rejection: %v", err)
	}
}

func TestRegisterApprovalInviteSkipsQueue(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	db.Registration = RegistrationApproval
	inv, err := db.CreateInvite(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	m, err := db.Register(ctx, registration("jan", inv.Code))
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != MemberActive {
		t.Errorf("invited member status %q, want active", m.Status)
	}
}

func TestRegisterInvite(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	db.Registration = RegistrationInvite
	inviter := mustCreateMember(t, db, "kim")

	_, err := db.Register(ctx, registration("lee", ""))
	wantCode(t, err, EForbidden)
	_, err = db.Register(ctx, registration("lee", "nosuchcode"))
	wantCode(t, err, EForbidden)

	inv, err := db.CreateInvite(ctx, inviter.ID)
	if err != nil {
		t.Fatal(err)
	}
	// A refused registration does not use the invite up.
	_, err = db.Register(ctx, registration("kim", inv.Code))
	wantCode(t, err, EConflict)

	if _, err := db.Register(ctx, registration("lee", " "+inv.Code+" ")); err != nil {
		t.Fatalf("register with invite: %v", err)
	}
	_, err = db.Register(ctx, registration("mo", inv.Code))
	wantCode(t, err, EForbidden)

	list, err := db.InvitesBy(ctx, inviter.ID)
	if err != nil || len(list) != 1 || list[0].UsedBy != "lee" || !list[0].Used() {
		t.Fatalf("invites = %+v, %v", list, err)
	}

	late, _ := db.CreateInvite(ctx, inviter.ID)
	clock.Advance(inviteLifetime + time.Second)
	_, err = db.Register(ctx, registration("mo", late.Code))
	wantCode(t, err, EForbidden)
}

func TestInviteLimits(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	db.Admission.InvitesPerMember = maxOpenInvites + 1 // the allowance does not stop it first
	m := mustCreateMember(t, db, "ned")
	for i := 0; i < maxOpenInvites; i++ {
		if _, err := db.CreateInvite(ctx, m.ID); err != nil {
			t.Fatalf("invite %d: %v", i, err)
		}
	}
	_, err := db.CreateInvite(ctx, m.ID)
	wantCode(t, err, ERateLimited)

	db.Registration = RegistrationApproval
	if _, err := db.Register(ctx, registration("oda", "")); err != nil {
		t.Fatal(err)
	}
	pending, _ := db.MemberByUsername(ctx, "oda")
	_, err = db.CreateInvite(ctx, pending.ID)
	wantCode(t, err, EForbidden)
}
