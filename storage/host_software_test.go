package storage

import (
	"context"
	"testing"
	"time"
)

func TestHostSoftwareStale(t *testing.T) {
	read := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name  string
		s     HostSoftware
		after time.Duration
		want  bool
	}{
		{"never read", HostSoftware{}, 0, true},
		{"known, fresh", HostSoftware{Name: "lemmy", ReadAt: read}, HostSoftwareMaxAge - time.Second, false},
		{"known, old", HostSoftware{Name: "lemmy", ReadAt: read}, HostSoftwareMaxAge, true},
		{"unknown, fresh", HostSoftware{ReadAt: read}, HostSoftwareRetryUnknown - time.Second, false},
		{"unknown, old", HostSoftware{ReadAt: read}, HostSoftwareRetryUnknown, true},
	} {
		if got := c.s.Stale(read.Add(c.after)); got != c.want {
			t.Errorf("%s: Stale %v after %v = %v; want %v", c.name, c.s, c.after, got, c.want)
		}
	}
}

func TestRecordSoftware(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	if s, err := db.SoftwareOf(ctx, "lemmy.example"); err != nil || s != (HostSoftware{}) {
		t.Fatalf("a server never asked: %+v, %v; want nothing known", s, err)
	}
	if err := db.RecordSoftware(ctx, "Lemmy.Example", "lemmy"); err != nil {
		t.Fatal(err)
	}
	if s, err := db.SoftwareOf(ctx, "lemmy.example"); err != nil || s.Name != "lemmy" || !s.ReadAt.Equal(clock.Now()) {
		t.Errorf("after recording: %+v, %v; want lemmy read at %v", s, err, clock.Now())
	}
	if err := db.RecordSoftware(ctx, "lemmy.example", "Lemmy <b>"); ErrorCode(err) != EInvalid {
		t.Errorf("recording a name that is no NodeInfo name: %v; want it refused as invalid", err)
	}
	if s, _ := db.SoftwareOf(ctx, "lemmy.example"); s.Name != "lemmy" {
		t.Errorf("after a refused name the server runs %q; want lemmy still", s.Name)
	}
	// The host row that deliveries keep is the same row.
	if err := db.write(ctx, func(tx *Tx) error { return tx.hostFailed(ctx, "lemmy.example") }); err != nil {
		t.Fatal(err)
	}
	if s, _ := db.SoftwareOf(ctx, "lemmy.example"); s.Name != "lemmy" {
		t.Errorf("after a failed delivery the server runs %q; want lemmy still", s.Name)
	}
}
