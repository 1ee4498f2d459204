package main

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// a11ySite is an instance with something on every kind of page: an
// admin (ada), two members (bob moderates s/town, carol writes there),
// someone waiting for approval, a corrected news post and a discussion
// with comments, likes, a boost (bob's, of the discussion), follows,
// flags, a mute, an invite and a blocked server.
type a11ySite struct {
	inst                 *instance
	newsID, discussionID string
	ada, bob, carol      *visitor
	appClientID          string // an app bob authorized, for the consent and apps pages
}

// newA11ySite starts and fills the instance.
func newA11ySite(t *testing.T) *a11ySite {
	t.Helper()
	inst := startInstance(t, withMode(storage.RegistrationApproval))
	inst.DB.Corrections.MinAccountAge = 0
	site := &a11ySite{inst: inst, ada: createAdmin(t, inst, "ada"), bob: activeMember(t, inst, "bob"), carol: activeMember(t, inst, "carol")}
	bob, carol, ada := site.bob, site.carol, site.ada
	if p := newVisitor(t, inst).signUp("dora", "a long password", url.Values{"reason": {"I report on the town council."}}); p.Status != http.StatusOK {
		t.Fatalf("dora asks to join: %d", p.Status)
	}
	ada.get("/admin/rules")
	wantStatus(t, ada.post("/admin/rules", url.Values{"rules": {"Be kind.\nLink to the source."}}), http.StatusSeeOther)
	ada.get("/admin/domains")
	wantStatus(t, ada.post("/admin/domains", url.Values{"host": {"spam.example"}, "level": {"suspend"}, "reason": {"Spam"}}), http.StatusSeeOther)

	createSubwiki(t, bob, "town", "Town", url.Values{"description": {"News of the town."}, "rules": {"Local news only."}})
	carol.get("/s/town")
	wantStatus(t, carol.post("/s/town/join", nil), http.StatusSeeOther)
	town := subwikiID(t, inst, "town")
	site.newsID = publish(t, bob, url.Values{"kind": {"news"}, "subwiki": {town},
		"link": {"https://news.example/bridge"}, "headline": {"Bridge closed for good"}, "text": {"Says the council."}})
	site.discussionID = publish(t, carol, url.Values{"kind": {"discussion"}, "subwiki": {town},
		"headline": {"Where should the market go?"}, "text": {"Ideas welcome, @bob."}})
	first := comment(t, carol, site.newsID, "Only for a week, I heard.")
	comment(t, bob, first, "The council says for good.")
	comment(t, bob, site.discussionID, "By the river.")

	carol.get("/posts/" + site.newsID + "/headline")
	wantStatus(t, carol.post("/posts/"+site.newsID+"/headline", url.Values{"base_revision": {"1"},
		"headline": {"Bridge closed for a week"}, "reason": {"The notice says seven days."}}), http.StatusSeeOther)
	carol.get("/posts/" + site.newsID)
	wantStatus(t, carol.post("/posts/"+site.newsID+"/like", nil), http.StatusSeeOther)
	wantStatus(t, carol.post("/follow", url.Values{"actor": {actorOf(t, inst, "bob").ID}}), http.StatusSeeOther)
	wantStatus(t, carol.post("/posts/"+site.newsID+"/flag", url.Values{"category": {storage.FlagMisleadingHeadline}, "comment": {"Not for good."}}), http.StatusSeeOther)
	wantStatus(t, carol.post("/flag/account", url.Values{"actor": {actorOf(t, inst, "bob").ID}, "category": {"spam"}}), http.StatusSeeOther)
	bob.get("/posts/" + site.discussionID)
	wantStatus(t, bob.post("/posts/"+site.discussionID+"/boost", nil), http.StatusSeeOther)
	wantStatus(t, bob.post("/posts/"+site.discussionID+"/flag", url.Values{"category": {"spam"}}), http.StatusSeeOther)
	bob.get("/settings/mutes")
	wantStatus(t, bob.post("/settings/mutes/words", url.Values{"word": {"horoscope"}}), http.StatusSeeOther)
	bob.get("/invites")
	wantStatus(t, bob.post("/invites", nil), http.StatusSeeOther)
	app, err := inst.DB.CreateOAuthApp(context.Background(), storage.OAuthAppCreate{Name: "Tusky", Website: "https://tusky.app",
		RedirectURIs: []string{"oauth2redirect://com.keylesspalace.tusky/"}, Scopes: "read write follow push"})
	if err != nil {
		t.Fatal(err)
	}
	bobMember, err := inst.DB.MemberByUsername(context.Background(), "bob")
	if err != nil {
		t.Fatal(err)
	}
	bobID := bobMember.ID
	if _, err := inst.DB.IssueMemberToken(context.Background(), app.ID, bobID, "read write follow push"); err != nil {
		t.Fatal(err)
	}
	site.appClientID = app.ClientID
	return site
}

// activeMember makes a member as the command line does (the instance
// approves sign-ups) and signs them in.
func activeMember(t *testing.T, inst *instance, name string) *visitor {
	t.Helper()
	_, err := inst.DB.CreateMember(context.Background(), storage.MemberCreate{
		Username: name, Email: name + "@example.org", Password: "a long password",
	})
	if err != nil {
		t.Fatal(err)
	}
	v := newVisitor(t, inst)
	wantStatus(t, v.signIn(name, "a long password"), http.StatusSeeOther)
	return v
}
