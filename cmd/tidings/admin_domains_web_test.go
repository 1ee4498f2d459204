package main

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// TestAdminDomainsPage: an admin blocks and lifts a server from
// /admin/domains, which applies at once; the config's blocks are shown
// as such, bad input is refused with the reason, others may not.
func TestAdminDomainsPage(t *testing.T) {
	a := startInstance(t, func(c *Config) {
		federating(c)
		c.Federation.LimitedDomains = []string{"loud.example"}
	})
	b := startInstance(t, federating)
	admin := createAdmin(t, a, "ada")
	alice := member(t, a, "alice")
	member(t, b, "bob")
	bHost := b.Config.Server.Domain

	p := admin.get("/admin/domains")
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, "loud.example", "Limited", "set in the config file")

	p = admin.post("/admin/domains", url.Values{"host": {"https://" + bHost + "/"}, "level": {"suspend"}})
	wantStatus(t, p, http.StatusBadRequest)
	wantBody(t, p, "is not a host name")
	p = admin.post("/admin/domains", url.Values{"host": {"loud.example"}, "level": {"suspend"}})
	wantStatus(t, p, http.StatusConflict)
	wantBody(t, p, "config file")
	alice.get("/")
	wantStatus(t, alice.post("/admin/domains", url.Values{"host": {bHost}, "level": {"suspend"}}), http.StatusForbidden)
	if list, _ := a.DB.DomainBlocks(context.Background()); len(list) != 1 {
		t.Fatalf("blocks after refused attempts = %+v, want the config's alone", list)
	}

	admin.get("/admin/domains")
	p = admin.post("/admin/domains", url.Values{"host": {bHost}, "level": {"suspend"}, "reason": {"harassment"}})
	wantStatus(t, p, http.StatusSeeOther)
	if got := deliverFollow(t, b, "bob", a, "alice"); got != http.StatusForbidden {
		t.Errorf("a Follow from the server just suspended: %d, want 403", got)
	}
	p = admin.get("/admin/domains")
	wantBody(t, p, bHost, "Suspended", "harassment", "Lift the block of "+bHost)
	log, _ := a.DB.ModerationLog(context.Background(), "", "", 10)
	if len(log) == 0 || log[0].Action != storage.ModBlockDomain || log[0].Actor == nil || log[0].Actor.Username != "ada" {
		t.Errorf("newest log entry = %+v, want ada's block", log)
	}

	wantStatus(t, admin.post("/admin/domains/unblock", url.Values{"host": {bHost}}), http.StatusSeeOther)
	if got := deliverFollow(t, b, "bob", a, "alice"); got != http.StatusAccepted {
		t.Errorf("a Follow after the block is lifted: %d, want 202", got)
	}
	wantStatus(t, admin.post("/admin/domains/unblock", url.Values{"host": {"loud.example"}}), http.StatusConflict)
}
