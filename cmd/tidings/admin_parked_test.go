package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

func TestAdminListsAndRetriesParkedInbound(t *testing.T) {
	file := writeConfig(t, "")
	db := openConfigDB(t, file)
	ctx := context.Background()
	for _, uri := range []string{"https://r.example/a/1", "https://r.example/a/2"} {
		if _, err := db.StoreInbound(ctx, uri, "https://r.example/users/bob", "Follow", "", []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
	}
	claimed, err := db.ClaimInbound(ctx, 2, time.Minute)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claimed %v, %v", claimed, err)
	}
	for _, in := range claimed {
		if err := db.ParkInbound(ctx, in.ID, "panic: a bug"); err != nil {
			t.Fatal(err)
		}
	}

	got := runCLI("", "admin", "parked-inbound", "-config", file)
	if got.status != 0 || strings.Count(got.stdout, "panic: a bug") != 2 || !strings.Contains(got.stdout, claimed[0].ID) ||
		!strings.Contains(got.stdout, "https://r.example/a/1") {
		t.Fatalf("parked-inbound: %+v", got)
	}
	got = runCLI("", "admin", "retry-inbound", claimed[0].ID, "-config", file)
	if got.status != 0 || !strings.Contains(got.stdout, "retrying "+claimed[0].ID) {
		t.Fatalf("retry-inbound ID: %+v", got)
	}
	if parked, _ := db.ParkedInbound(ctx, 10); len(parked) != 1 || parked[0].ID != claimed[1].ID {
		t.Errorf("parked after retrying one = %+v", parked)
	}
	got = runCLI("", "admin", "retry-inbound", claimed[0].ID, "-config", file)
	if got.status != 1 || !strings.Contains(got.stderr, "No parked inbound activity") {
		t.Errorf("retrying one that is not parked: %+v", got)
	}
	got = runCLI("", "admin", "retry-inbound", "all", "-config", file)
	if got.status != 0 || !strings.Contains(got.stdout, "retrying "+claimed[1].ID) {
		t.Fatalf("retry-inbound all: %+v", got)
	}
	got = runCLI("", "admin", "parked-inbound", "-config", file)
	if got.status != 0 || !strings.Contains(got.stdout, "no parked inbound activities") {
		t.Errorf("parked-inbound when none: %+v", got)
	}
	if n, _ := db.PendingInbound(ctx); n != 2 {
		t.Errorf("pending after the retries = %d, want 2", n)
	}
	got = runCLI("", "admin", "retry-inbound", "-config", file)
	if got.status != 2 || !strings.Contains(got.stderr, "retry-inbound needs") {
		t.Errorf("retry-inbound without an id: %+v", got)
	}
}

func TestAdminListsAndRetriesParkedOutbox(t *testing.T) {
	file := writeConfig(t, "")
	db := openConfigDB(t, file)
	ctx := context.Background()
	alice, err := db.CreateMember(ctx, storage.MemberCreate{Username: "alice", Email: "alice@example.org", Password: "a long password"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreatePost(ctx, alice.ID, "hello"); err != nil {
		t.Fatal(err)
	}
	events, err := db.PendingOutbox(ctx, 10)
	if err != nil || len(events) != 1 {
		t.Fatalf("pending outbox = %v, %v", events, err)
	}
	event := events[0]
	for parked := false; !parked; {
		if parked, err = db.OutboxFailed(ctx, event.ID, "build create_post: a bug", time.Time{}); err != nil {
			t.Fatal(err)
		}
	}

	got := runCLI("", "admin", "parked-outbox", "-config", file)
	if got.status != 0 || !strings.Contains(got.stdout, event.ID) || !strings.Contains(got.stdout, "create_post") ||
		!strings.Contains(got.stdout, "a bug") {
		t.Fatalf("parked-outbox: %+v", got)
	}
	got = runCLI("", "admin", "retry-outbox", "all", "-config", file)
	if got.status != 0 || !strings.Contains(got.stdout, "retrying "+event.ID) {
		t.Fatalf("retry-outbox all: %+v", got)
	}
	if events, _ := db.PendingOutbox(ctx, 10); len(events) != 1 || events[0].ID != event.ID {
		t.Errorf("pending after the retry = %+v, want the event back", events)
	}
	got = runCLI("", "admin", "retry-outbox", event.ID, "-config", file)
	if got.status != 1 || !strings.Contains(got.stderr, "No parked outbox event") {
		t.Errorf("retrying one that is not parked: %+v", got)
	}
	got = runCLI("", "admin", "parked-outbox", "-config", file)
	if got.status != 0 || !strings.Contains(got.stdout, "no parked outbox events") {
		t.Errorf("parked-outbox when none: %+v", got)
	}
}
