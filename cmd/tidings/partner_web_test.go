package main

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// partnerSite is an instance with a creator (alice, who wrote a post), a
// supporter (carol) and an admin (ada), each signed in.
type partnerSite struct {
	inst              *instance
	alice, carol, ada *visitor
	aliceID, carolID  string
	post              *storage.Post
}

func startPartnerSite(t *testing.T, configure func(*Config)) *partnerSite {
	t.Helper()
	ctx := context.Background()
	ps := &partnerSite{inst: startInstance(t, configure)}
	db := ps.inst.DB
	for _, name := range []string{"alice", "carol"} {
		m, err := db.CreateMember(ctx, storage.MemberCreate{Username: name, Email: name + "@example.org", Password: "a long password"})
		if err != nil {
			t.Fatal(err)
		}
		if name == "alice" {
			ps.aliceID = m.ID
		} else {
			ps.carolID = m.ID
		}
	}
	ps.alice, ps.carol = newVisitor(t, ps.inst), newVisitor(t, ps.inst)
	wantStatus(t, ps.alice.signIn("alice", "a long password"), http.StatusSeeOther)
	wantStatus(t, ps.carol.signIn("carol", "a long password"), http.StatusSeeOther)
	ps.ada = createAdmin(t, ps.inst, "ada")
	var err error
	ps.post, err = db.Publish(ctx, storage.PostCreate{AuthorID: ps.aliceID, Kind: storage.KindDiscussion, Headline: "Bridges of the river", Text: "On bridges."})
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// A creator opts in; a supporter's reading and liking shows in the
// creator's running estimate; a non-creator's dashboard says how to join.
func TestCreatorSeesEstimate(t *testing.T) {
	ctx := context.Background()
	ps := startPartnerSite(t, nil)
	page := ps.alice.get("/creator")
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, "You are not in the creator program")
	ps.alice.get("/settings/creator")
	wantStatus(t, ps.alice.post("/settings/creator", url.Values{"creator": {"on"}, "payout": {"manual"}}), http.StatusSeeOther)
	if c, err := ps.inst.DB.CreatorOf(ctx, ps.aliceID); err != nil || c.Payout != storage.PayoutManual {
		t.Fatalf("alice as creator = %+v (%v), want paid by hand", c, err)
	}
	if _, err := ps.inst.DB.RecordContribution(ctx, storage.Contribution{MemberID: ps.carolID, AmountCents: 1299, Currency: "usd",
		CoversUntil: time.Now().AddDate(0, 1, 0), Source: storage.PaymentOffline}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, ps.alice.get("/posts/"+ps.post.ID), http.StatusOK) // her own: nothing
	wantStatus(t, ps.carol.get("/posts/"+ps.post.ID), http.StatusOK)
	wantStatus(t, ps.carol.post("/posts/"+ps.post.ID+"/like", nil), http.StatusSeeOther)
	// the pool is half of 12.99, 6.49; the default cap holds one supporter
	// to half of a creator's earnings, so a lone supporter's money earns
	// nothing; without the cap all of it goes to the post
	page = ps.alice.get("/creator")
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, "so far: 0.00 USD", "Nothing yet this month.", "earnings need more than one supporter reading you")
	st, err := ps.inst.DB.PartnerEstimate(ctx, storage.PoolTerms{PoolPercent: 50, MaxSharePercent: 100}, storage.MonthOf(time.Now()))
	if err != nil || len(st.Lines) != 1 || st.Lines[0].Cents != 649 {
		t.Fatalf("estimate without a cap = %+v (%v), want 649 cents for the post", st, err)
	}

	// without Stripe there is nothing to connect; leaving stops earning
	page = ps.alice.get("/settings/creator")
	if strings.Contains(page.Body, "Connect a Stripe account") {
		t.Error("settings offer Stripe on an instance without it")
	}
	wantStatus(t, ps.alice.post("/settings/creator/stripe", nil), http.StatusConflict)
	ps.alice.get("/settings/creator")
	wantStatus(t, ps.alice.post("/settings/creator", url.Values{}), http.StatusSeeOther)
	if _, err := ps.inst.DB.CreatorOf(ctx, ps.aliceID); storage.ErrorCode(err) != storage.ENotFound {
		t.Errorf("alice after leaving: %v, want not a creator", err)
	}
	if st, _ := ps.inst.DB.PartnerEstimate(ctx, storage.PoolTerms{PoolPercent: 50, MaxSharePercent: 100}, storage.MonthOf(time.Now())); len(st.Lines) != 0 {
		t.Errorf("estimate after alice left = %+v, want no lines", st.Lines)
	}
}

// With no cap, the dashboard shows the estimate's amount.
func TestCreatorEstimateAmount(t *testing.T) {
	ctx := context.Background()
	ps := startPartnerSite(t, func(c *Config) { c.Partner.MaxSupporterSharePercent = 100 })
	ps.alice.get("/settings/creator")
	wantStatus(t, ps.alice.post("/settings/creator", url.Values{"creator": {"on"}}), http.StatusSeeOther)
	if _, err := ps.inst.DB.RecordContribution(ctx, storage.Contribution{MemberID: ps.carolID, AmountCents: 1299, Currency: "usd",
		CoversUntil: time.Now().AddDate(0, 1, 0), Source: storage.PaymentOffline}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, ps.carol.get("/posts/"+ps.post.ID), http.StatusOK)
	wantBody(t, ps.alice.get("/creator"), "so far: 6.49 USD", "Bridges of the river</a></td><td>6.49 USD")
}

// The post page's script reports reading time to a CSRF-protected
// endpoint that refuses what is not a number of seconds.
func TestReadTimeEndpoint(t *testing.T) {
	ctx := context.Background()
	ps := startPartnerSite(t, nil)
	if _, err := ps.inst.DB.JoinCreatorProgram(ctx, ps.aliceID, storage.PayoutManual); err != nil {
		t.Fatal(err)
	}
	if _, err := ps.inst.DB.RecordContribution(ctx, storage.Contribution{MemberID: ps.carolID, AmountCents: 1299, Currency: "usd",
		CoversUntil: time.Now().AddDate(0, 1, 0), Source: storage.PaymentOffline}); err != nil {
		t.Fatal(err)
	}
	page := ps.carol.get("/posts/" + ps.post.ID)
	wantBody(t, page, `<script src="/static/read-time.js" data-post="`+ps.post.ID+`"`)
	wantStatus(t, ps.carol.get("/static/read-time.js"), http.StatusOK)
	path := "/posts/" + ps.post.ID + "/read-time"
	wantStatus(t, ps.carol.post(path, url.Values{"seconds": {"many"}}), http.StatusBadRequest)
	wantStatus(t, ps.carol.post(path, url.Values{"seconds": {"-5"}}), http.StatusBadRequest)
	wantStatus(t, ps.carol.post(path, url.Values{"seconds": {"240"}, "csrf": {"forged"}}), http.StatusForbidden)
	wantStatus(t, ps.carol.post(path, url.Values{"seconds": {"240"}}), http.StatusNoContent)
	stranger := newVisitor(t, ps.inst)
	stranger.get("/posts/" + ps.post.ID)
	if page := stranger.get("/posts/" + ps.post.ID); strings.Contains(page.Body, "read-time.js") {
		t.Error("a visitor's page has the reading-time script")
	}
	stranger.get("/signin") // a form's token
	wantStatus(t, stranger.post(path, url.Values{"seconds": {"240"}}), http.StatusUnauthorized)
	st, err := ps.inst.DB.PartnerEstimate(ctx, storage.PoolTerms{PoolPercent: 100, MaxSharePercent: 100}, storage.MonthOf(time.Now()))
	if err != nil || len(st.Lines) != 1 || st.Lines[0].Cents != 1299 {
		t.Errorf("estimate = %+v (%v)", st, err)
	}
}

// Admins close a past month once, export it as CSV equal to the ledger,
// and mark a creator paid; a month not over cannot be closed; members
// who are not admins cannot open the page.
func TestAdminClosesPartnerMonth(t *testing.T) {
	ctx := context.Background()
	ps := startPartnerSite(t, func(c *Config) { c.Partner.MaxSupporterSharePercent = 100 })
	db := ps.inst.DB
	if _, err := db.JoinCreatorProgram(ctx, ps.aliceID, storage.PayoutManual); err != nil {
		t.Fatal(err)
	}
	// last month, as seen by a second handle of the database whose clock
	// stands then, since the instance's is the real one
	then := time.Now().UTC().AddDate(0, 0, -time.Now().UTC().Day())
	month := storage.MonthOf(then)
	past, err := storage.Open(ctx, ps.inst.Config.Storage.Path, storage.Site{Scheme: ps.inst.Config.Server.Scheme, Domain: ps.inst.Config.Server.Domain})
	if err != nil {
		t.Fatal(err)
	}
	defer past.Close()
	past.Now = func() time.Time { return then }
	if _, err := past.RecordContribution(ctx, storage.Contribution{MemberID: ps.carolID, AmountCents: 1000, Currency: "usd",
		CoversUntil: then.AddDate(0, 1, 0), Source: storage.PaymentOffline}); err != nil {
		t.Fatal(err)
	}
	if ok, err := past.RecordPostRead(ctx, ps.carolID, ps.post.ID); err != nil || !ok {
		t.Fatalf("carol's read last month: %v (%v)", ok, err)
	}

	wantStatus(t, ps.carol.get("/admin/partner"), http.StatusForbidden)
	page := ps.ada.get("/admin/partner")
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, `value="`+month+`"`)
	page = ps.ada.post("/admin/partner/close", url.Values{"month": {storage.MonthOf(time.Now())}})
	wantStatus(t, page, http.StatusBadRequest)
	wantBody(t, page, "Only a month that is over can be closed")
	wantStatus(t, ps.ada.post("/admin/partner/close", url.Values{"month": {"last month"}}), http.StatusBadRequest)
	wantStatus(t, ps.ada.post("/admin/partner/close", url.Values{"month": {month}}), http.StatusSeeOther)
	first, err := db.PartnerLedger(ctx, month)
	if err != nil || len(first.Lines) != 1 || first.Lines[0].Cents != 500 {
		t.Fatalf("ledger of %s = %+v (%v), want 500 cents for alice's post", month, first, err)
	}
	// /support says what the closed month gave creators, from the ledger
	wantBody(t, ps.carol.get("/support"), "Paid to creators for "+then.Format("January 2006"), "$5.00 of a pool of $5.00, from $10.00")
	// a second read of last month, then closing again: nothing changes
	past.Now = func() time.Time { return then.Add(-24 * time.Hour) }
	if _, err := past.RecordPostRead(ctx, ps.carolID, ps.post.ID); err != nil {
		t.Fatal(err)
	}
	ps.ada.get("/admin/partner")
	wantStatus(t, ps.ada.post("/admin/partner/close", url.Values{"month": {month}}), http.StatusSeeOther)
	if again, _ := db.PartnerLedger(ctx, month); again.Lines[0].Cents != 500 || !again.ClosedAt.Equal(first.ClosedAt) {
		t.Errorf("ledger after closing again = %+v, want the first", again)
	}

	page = ps.ada.get("/admin/partner/" + month + ".csv")
	wantStatus(t, page, http.StatusOK)
	rows, err := csv.NewReader(strings.NewReader(page.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(first.Lines)+1 {
		t.Fatalf("csv rows = %d, want a header and %d lines", len(rows), len(first.Lines))
	}
	for i, l := range first.Lines {
		want := []string{month, l.CreatorID, l.Creator, l.PostID, l.Headline, strconv.FormatInt(l.Cents, 10), first.Currency}
		if strings.Join(rows[i+1], "|") != strings.Join(want, "|") {
			t.Errorf("csv row %d = %v, want %v", i+1, rows[i+1], want)
		}
	}
	wantStatus(t, ps.carol.get("/admin/partner/"+month+".csv"), http.StatusForbidden)

	page = ps.ada.get("/admin/partner/" + month)
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, "5.00 USD", "Bridges of the river", "one supporter made up 100% of 5.00 USD", "Mark paid by hand")
	wantStatus(t, ps.ada.post("/admin/partner/"+month+"/pay", url.Values{"creator": {ps.aliceID}, "method": {"manual"}}), http.StatusSeeOther)
	wantStatus(t, ps.ada.post("/admin/partner/"+month+"/pay", url.Values{"creator": {ps.aliceID}, "method": {"manual"}}), http.StatusConflict)
	wantBody(t, ps.ada.get("/admin/partner/"+month), "by hand")
	wantBody(t, ps.alice.get("/creator"), "Past statements", month+": 5.00 USD")
}
