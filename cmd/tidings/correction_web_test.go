package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// correctionSite is an instance with s/science, moderated by alice,
// joined by bob, not by carol, and alice's news post in it.
type correctionSite struct {
	inst               *instance
	alice, bob, carol  *visitor
	post               string // the news post's id
	postPath, formPath string
}

const firstHeadline = "Miracle cure found"

func newCorrectionSite(t *testing.T) *correctionSite {
	t.Helper()
	inst := startInstance(t, nil)
	// New accounts may correct at once, so the test need not move the clock.
	inst.DB.Corrections.MinAccountAge = 0
	c := &correctionSite{inst: inst, alice: member(t, inst, "alice"), bob: member(t, inst, "bob"), carol: member(t, inst, "carol")}
	createSubwiki(t, c.alice, "science", "Science", nil)
	c.bob.get("/s/science")
	wantStatus(t, c.bob.post("/s/science/join", nil), http.StatusSeeOther)
	c.post = publish(t, c.alice, url.Values{"kind": {"news"}, "subwiki": {subwikiID(t, inst, "science")},
		"link": {"https://news.example/cure"}, "headline": {firstHeadline}})
	c.postPath, c.formPath = "/posts/"+c.post, "/posts/"+c.post+"/headline"
	return c
}

// correct sends the correction form as v, from the form as it shows.
func (c *correctionSite) correct(t *testing.T, v *visitor, base, headline, reason, source string) page {
	t.Helper()
	v.get(c.formPath)
	return v.post(c.formPath, url.Values{"base_revision": {base}, "headline": {headline}, "reason": {reason}, "source_url": {source}})
}

// headline returns the stored headline and revision of the post.
func (c *correctionSite) headline(t *testing.T, id string) (string, int) {
	t.Helper()
	p, err := c.inst.DB.PostByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p.Headline, p.Revision
}

func TestCorrectionWebEditHistoryCompareRevert(t *testing.T) {
	c := newCorrectionSite(t)
	domain := c.inst.Config.Server.Domain

	// Bob sees the link, and the form says what his correction will do.
	wantBody(t, c.bob.get(c.postPath), `href="`+c.formPath+`">Correct the headline</a>`)
	form := c.bob.get(c.formPath)
	wantStatus(t, form, http.StatusOK)
	wantBody(t, form, "Your correction applies at once and reaches every server that has the post",
		`name="headline" value="`+firstHeadline+`"`, `name="base_revision" value="1"`, "Now at revision 1",
		`name="reason" value="" required`, `name="source_url"`)
	if p := newVisitor(t, c.inst).get(c.formPath); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/signin") {
		t.Errorf("a visitor opening the form: %d %q, want a redirect to sign in", p.Status, p.Location)
	}

	// He corrects it.
	p := c.correct(t, c.bob, "1", "Early trial shows modest effect", "The study says otherwise.", "https://journal.example/1")
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location != c.postPath {
		t.Errorf("after correcting, redirected to %q, want the post", p.Location)
	}
	page := c.bob.get(c.postPath)
	wantBody(t, page, "The headline is corrected: revision 2.", "<h1 class=\"story-headline\"><a href=\"https://news.example/cure\"",
		"Early trial shows modest effect</a></h1>", `href="`+c.postPath+`/history"`, "Corrected</a> by <a href=\"/@bob\">@bob</a> · revision 2")
	if strings.Contains(page.Body, "local correction") || strings.Contains(page.Body, "Originally:") {
		t.Errorf("the post page marks a correction here as local, or shows the original unasked:\n%s", page.Body)
	}
	if h, rev := c.headline(t, c.post); h != "Early trial shows modest effect" || rev != 2 {
		t.Errorf("stored: %q revision %d", h, rev)
	}
	wantBody(t, c.carol.get("/s/science"), "Early trial shows modest effect", "Corrected</a> by <a href=\"/@bob\">@bob</a> · revision 2")

	// The history: newest first, with the editor, reason, source and diff.
	history := c.carol.get(c.postPath + "/history")
	wantStatus(t, history, http.StatusOK)
	wantOrder(t, history, `id="revision-2"`, "Revision 2", `href="/@bob">@bob@`+domain+`</a>`,
		"<del>Miracle cure found</del><ins>Early trial shows modest effect</ins>", "The study says otherwise.",
		`href="https://journal.example/1" rel="nofollow noopener noreferrer"`,
		`id="revision-1"`, "Revision 1", `href="/@alice">@alice@`+domain+`</a>`, "first headline")

	// Alice, the author, changes one word: the diff shows just that word.
	wantStatus(t, c.correct(t, c.alice, "2", "Early trial shows small effect", "Smaller than that.", ""), http.StatusSeeOther)
	history = c.carol.get(c.postPath + "/history")
	wantOrder(t, history, `id="revision-3"`, "Early trial shows <del>modest</del><ins>small</ins> effect", "Smaller than that.",
		`id="revision-2"`, `id="revision-1"`)

	// Compare any two revisions.
	cmp := c.carol.get(c.postPath + "/history?from=1&to=3")
	wantStatus(t, cmp, http.StatusOK)
	wantBody(t, cmp, "Revision 1 → revision 3", "<del>Miracle cure found</del><ins>Early trial shows small effect</ins>",
		`<option value="1" selected>`, `<option value="3" selected>`)
	wantBody(t, c.carol.get(c.postPath+"/history?from=3&to=2"), "Revision 3 → revision 2",
		"Early trial shows <del>small</del><ins>modest</ins> effect")
	p = c.carol.get(c.postPath + "/history?from=1&to=9")
	wantStatus(t, p, http.StatusNotFound)
	wantBody(t, p, "This headline has no revision 9.")
	wantStatus(t, c.carol.get(c.postPath+"/history?from=one&to=2"), http.StatusBadRequest)

	// Restore: visitors see no button; the current revision has none.
	if strings.Contains(newVisitor(t, c.inst).get(c.postPath+"/history").Body, "Restore this headline") {
		t.Error("a visitor is offered to restore a headline")
	}
	history = c.bob.get(c.postPath + "/history")
	wantBody(t, history, `name="revert_to" value="1"`, `name="revert_to" value="2"`, `name="base_revision" value="3"`)
	if strings.Contains(history.Body, `name="revert_to" value="3"`) {
		t.Error("the current revision can be restored")
	}
	p = c.bob.post(c.formPath, url.Values{"base_revision": {"3"}, "revert_to": {"1"}, "reason": {""}})
	wantStatus(t, p, http.StatusBadRequest)
	wantBody(t, p, "Say why the headline should change.", "Restore revision 1", `name="revert_to" value="1"`,
		"<del>Early trial shows small effect</del><ins>Miracle cure found</ins>")
	p = c.bob.post(c.formPath, url.Values{"base_revision": {"3"}, "revert_to": {"1"}, "reason": {"Wait for the paper."}})
	wantStatus(t, p, http.StatusSeeOther)
	wantBody(t, c.bob.get(c.postPath), "Revision 1 is restored as revision 4.", firstHeadline+"</a></h1>")
	// Back to the author's headline, it is no longer marked corrected.
	if restored := c.bob.get(c.postPath); strings.Contains(restored.Body, `class="mark corrected"`) {
		t.Error("the post is marked corrected after its first headline was restored")
	}
	wantOrder(t, c.bob.get(c.postPath+"/history"), `id="revision-4"`, "<del>Early trial shows small effect</del><ins>Miracle cure found</ins>",
		"Wait for the paper.", "revert of revision 1", `id="revision-3"`)
	revisions, err := c.inst.DB.HeadlineHistory(context.Background(), c.post)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(revisions); n != 4 || revisions[3].RevertsTo != 1 || revisions[3].Headline != firstHeadline || revisions[3].Editor.Username != "bob" {
		t.Errorf("stored history has %d revisions, the last %+v", n, revisions[n-1])
	}
	// The restore form also works without the history page's details.
	wantBody(t, c.bob.get(c.formPath+"?revert_to=2"), "Restore revision 2", `name="revert_to" value="2"`, `name="base_revision" value="4"`)
	wantStatus(t, c.bob.get(c.formPath+"?revert_to=12"), http.StatusNotFound)
}

func TestCorrectionWebStaleBaseRevision(t *testing.T) {
	c := newCorrectionSite(t)
	// Both open the form on revision 1; alice saves first.
	c.alice.get(c.formPath)
	c.bob.get(c.formPath)
	wantStatus(t, c.alice.post(c.formPath, url.Values{"base_revision": {"1"}, "headline": {"Trial shows modest effect"},
		"reason": {"Overstated."}}), http.StatusSeeOther)
	p := c.bob.post(c.formPath, url.Values{"base_revision": {"1"}, "headline": {"No cure found"}, "reason": {"Wrong."},
		"source_url": {"https://journal.example/2"}})
	wantStatus(t, p, http.StatusConflict)
	wantBody(t, p, "Someone corrected the headline meanwhile; it is now “Trial shows modest effect” (revision 2).",
		`name="headline" value="Trial shows modest effect"`, `name="base_revision" value="2"`, "Now at revision 2",
		"You wrote: “No cure found”", `name="reason" value="Wrong."`, `value="https://journal.example/2"`)
	if h, rev := c.headline(t, c.post); h != "Trial shows modest effect" || rev != 2 {
		t.Errorf("after the stale edit: %q revision %d", h, rev)
	}
}

func TestCorrectionWebRefusalsChangeNothing(t *testing.T) {
	c := newCorrectionSite(t)

	// Carol did not join s/science.
	p := c.correct(t, c.carol, "1", "Carol's headline", "Because.", "")
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, "Only members of this subwiki may correct its headlines. Join it first.", `value="Carol&#39;s headline"`)

	// A reason is required; a source must be a web address.
	p = c.correct(t, c.bob, "1", "Bob's headline", "  ", "")
	wantStatus(t, p, http.StatusBadRequest)
	wantBody(t, p, "Say why the headline should change.", `value="Bob&#39;s headline"`)
	p = c.correct(t, c.bob, "1", "Bob's headline", "Because.", "javascript:alert(1)")
	wantStatus(t, p, http.StatusBadRequest)
	p = c.correct(t, c.bob, "1", firstHeadline, "Because.", "")
	wantStatus(t, p, http.StatusBadRequest)
	wantBody(t, p, "That is the headline already.")
	if h, rev := c.headline(t, c.post); h != firstHeadline || rev != 1 {
		t.Errorf("after refusals: %q revision %d", h, rev)
	}
	if strings.Contains(c.bob.get(c.postPath).Body, `class="mark corrected"`) {
		t.Error("an uncorrected post is marked corrected")
	}
}

func TestCorrectionWebLockAndUnlock(t *testing.T) {
	c := newCorrectionSite(t)
	lockForm := `action="` + c.postPath + `/lock"`

	// Only moderators of the subwiki may lock.
	if strings.Contains(c.bob.get(c.postPath).Body, lockForm) {
		t.Error("bob, no moderator, sees the lock form")
	}
	p := c.bob.post(c.postPath+"/lock", url.Values{"reason": {"Mine."}})
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, c.alice.get(c.postPath), lockForm, `name="reason" required`)
	wantStatus(t, c.alice.post(c.postPath+"/lock", url.Values{"reason": {" "}}), http.StatusBadRequest)
	p = c.alice.post(c.postPath+"/lock", url.Values{"reason": {"Edit war; see the talk."}})
	wantStatus(t, p, http.StatusSeeOther)

	// Locked: no link, a notice, and a direct POST is refused.
	page := c.bob.get(c.postPath)
	wantBody(t, page, "Headline locked by the moderators: Edit war; see the talk.")
	if strings.Contains(page.Body, `href="`+c.formPath+`"`) {
		t.Error("the correction link shows on a locked headline")
	}
	wantBody(t, c.bob.get(c.formPath), "Headline locked by the moderators: Edit war; see the talk.")
	p = c.bob.post(c.formPath, url.Values{"base_revision": {"1"}, "headline": {"Locked out"}, "reason": {"Try."}})
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, "The headline is locked by the moderators: Edit war; see the talk.")
	if strings.Contains(c.bob.get(c.postPath+"/history").Body, "Restore this headline") {
		t.Error("the history offers to restore a locked headline")
	}
	if h, rev := c.headline(t, c.post); h != firstHeadline || rev != 1 {
		t.Errorf("a locked headline changed: %q revision %d", h, rev)
	}

	// Unlock: bob may correct again.
	wantStatus(t, c.bob.post(c.postPath+"/unlock", nil), http.StatusForbidden)
	wantBody(t, c.alice.get(c.postPath), `action="`+c.postPath+`/unlock"`)
	wantStatus(t, c.alice.post(c.postPath+"/unlock", nil), http.StatusSeeOther)
	wantBody(t, c.bob.get(c.postPath), `href="`+c.formPath+`">Correct the headline</a>`)
	wantStatus(t, c.correct(t, c.bob, "1", "Trial shows modest effect", "Overstated.", ""), http.StatusSeeOther)
}

func TestCorrectionWebSubwikiRule(t *testing.T) {
	c := newCorrectionSite(t)
	settings := c.alice.get("/s/science/settings")
	wantBody(t, settings, "Who may correct headlines here", `<option value="" selected>Instance default (members of the subwiki)</option>`)
	p := c.alice.post("/s/science/settings", url.Values{"title": {"Science"}, "editable_by": {"moderators"}})
	wantStatus(t, p, http.StatusSeeOther)
	wantBody(t, c.alice.get("/s/science/settings"), `<option value="moderators" selected>`)
	if s, _ := c.inst.DB.SubwikiByName(context.Background(), "science"); s.EditableBy != storage.EditableModerators {
		t.Errorf("stored rule = %q, want moderators", s.EditableBy)
	}
	wantStatus(t, c.alice.post("/s/science/settings", url.Values{"title": {"Science"}, "editable_by": {"everybody"}}), http.StatusBadRequest)

	p = c.correct(t, c.bob, "1", "Trial shows modest effect", "Overstated.", "")
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, "Only the moderators may correct headlines here.")
	// The rule is the subwiki's: anyone lets carol, who did not join, in.
	wantStatus(t, c.alice.post("/s/science/settings", url.Values{"title": {"Science"}, "editable_by": {"anyone"}}), http.StatusSeeOther)
	wantStatus(t, c.correct(t, c.carol, "1", "Trial shows modest effect", "Overstated.", ""), http.StatusSeeOther)
}

func TestCorrectionWebShowOriginalHeadlines(t *testing.T) {
	c := newCorrectionSite(t)
	wantStatus(t, c.correct(t, c.bob, "1", "Trial shows modest effect", "Overstated.", ""), http.StatusSeeOther)
	if strings.Contains(c.bob.get("/").Body, "Originally:") {
		t.Error("the feed shows the original headline before bob asks for it")
	}
	wantBody(t, c.bob.get("/settings/profile"), "Also show the original headline beside corrected ones", `name="show_original_headlines" value="1">`)
	p := c.bob.post("/settings/profile", url.Values{"display_name": {"Bob"}, "show_original_headlines": {"1"}})
	wantStatus(t, p, http.StatusSeeOther)
	wantBody(t, c.bob.get("/settings/profile"), `name="show_original_headlines" value="1" checked>`)
	if m := memberOf(t, c.inst, "bob"); !m.ShowOriginalHeadlines {
		t.Error("the setting is not stored")
	}
	wantOrder(t, c.bob.get("/"), "Trial shows modest effect", "Originally:", firstHeadline, "Corrected</a> by <a href=\"/@bob\">@bob</a> · revision 2")
	wantOrder(t, c.bob.get(c.postPath), "Trial shows modest effect", "Originally:", firstHeadline)
	if strings.Contains(c.carol.get("/s/science").Body, "Originally:") {
		t.Error("carol, who did not ask, sees the original headline")
	}
	// Restored to the first headline, there is nothing to show beside it.
	wantStatus(t, c.bob.post(c.formPath, url.Values{"base_revision": {"2"}, "revert_to": {"1"}, "reason": {"Undo."}}), http.StatusSeeOther)
	if strings.Contains(c.bob.get("/").Body, "Originally:") {
		t.Error("the feed shows the original beside the same headline")
	}
}

// remotePost stores a post by an account on another server, outside
// any subwiki here; history is its history collection, or "".
func remotePost(t *testing.T, inst *instance, host, headline, history string) (*storage.Actor, *storage.Post) {
	t.Helper()
	ctx := context.Background()
	uri := "https://" + host + "/users/dora"
	dora, err := inst.DB.SaveRemoteActor(ctx, storage.RemoteActor{URI: uri, Kind: storage.KindPerson, Username: "dora",
		Inbox: uri + "/inbox", KeyID: uri + "#main-key", PublicKeyPEM: hostilePublicPEM(t)})
	if err != nil {
		t.Fatal(err)
	}
	p, err := inst.DB.SaveRemotePost(ctx, storage.RemotePost{URI: "https://" + host + "/posts/1", AuthorID: dora.ID,
		Kind: storage.KindDiscussion, Headline: headline, Content: "<p>What happened.</p>", Visibility: storage.Public,
		HistoryURI: history})
	if err != nil {
		t.Fatal(err)
	}
	return dora, p
}

func TestCorrectionWebPostFromServerWithoutCorrections(t *testing.T) {
	c := newCorrectionSite(t)
	_, post := remotePost(t, c.inst, "elsewhere.example", "Volcano erupts in city centre", "")
	postPath := "/posts/" + post.ID
	form := c.bob.get(postPath + "/headline")
	wantStatus(t, form, http.StatusOK)
	wantBody(t, form, "<strong>elsewhere.example</strong> does not take corrections: yours is kept on this instance only, marked as a local correction.")
	p := c.bob.post(postPath+"/headline", url.Values{"base_revision": {"1"}, "headline": {"Volcano erupts near the city"},
		"reason": {"It is 30 km away."}})
	wantStatus(t, p, http.StatusSeeOther)
	wantBody(t, c.bob.get(postPath), "It is kept on this instance only.", "Volcano erupts near the city", "Corrected</a> by <a href=\"/@bob\">@bob</a> · revision 2",
		`<span class="mark local"`, "local correction")
	wantBody(t, c.bob.get(postPath+"/history"), "kept on this instance only", "Volcano erupts <del>in city centre</del><ins>near the city</ins>")
	if revs, _ := c.inst.DB.HeadlineHistory(context.Background(), post.ID); len(revs) != 2 || !revs[1].LocalOnly {
		t.Errorf("stored history: %d revisions, local only: %v", len(revs), len(revs) == 2 && revs[1].LocalOnly)
	}
}

func TestCorrectionWebProposalToTheOrigin(t *testing.T) {
	c := newCorrectionSite(t)
	ctx := context.Background()
	dora, post := remotePost(t, c.inst, "other.example", "Bridge collapses", "https://other.example/posts/1/history")
	postPath := "/posts/" + post.ID
	form := c.bob.get(postPath + "/headline")
	wantBody(t, form, "This post lives on <strong>other.example</strong>; your correction is proposed to that server, which decides and answers.",
		"Propose to other.example")
	p := c.bob.post(postPath+"/headline", url.Values{"base_revision": {"1"}, "headline": {"Bridge partly closed"},
		"reason": {"Only one lane collapsed."}, "source_url": {"https://city.example/notice"}})
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location != postPath+"/history" {
		t.Errorf("after proposing, redirected to %q, want the history", p.Location)
	}
	history := c.bob.get(p.Location)
	wantBody(t, history, "Proposed to other.example; you", "Proposed to other.example</h2>", "pending", "“Bridge partly closed”",
		`href="/@bob">@bob</a>`, "Only one lane collapsed.", `href="https://city.example/notice"`, "Waiting for other.example to answer.")
	if h, rev := c.headline(t, post.ID); h != "Bridge collapses" || rev != 1 {
		t.Errorf("a proposal changed the headline here: %q revision %d", h, rev)
	}
	proposals, err := c.inst.DB.Proposals(ctx, post.ID)
	if err != nil || len(proposals) != 1 || proposals[0].State != storage.ProposalPending || proposals[0].Headline != "Bridge partly closed" {
		t.Fatalf("stored proposals: %+v, %v", proposals, err)
	}

	// The origin declines; the history says why.
	if err := c.inst.DB.AnswerProposal(ctx, dora.ID, proposals[0].ActivityURI, false, "Two lanes are closed."); err != nil {
		t.Fatal(err)
	}
	wantBody(t, c.carol.get(postPath+"/history"), "rejected", "other.example declined it: Two lanes are closed.")

	// A stale proposal is refused here already, with the headline as it is.
	p = c.bob.post(postPath+"/headline", url.Values{"base_revision": {"0"}, "headline": {"Bridge shut"}, "reason": {"Closed."}})
	wantStatus(t, p, http.StatusConflict)
	wantBody(t, p, `name="headline" value="Bridge collapses"`, `name="base_revision" value="1"`)
}
