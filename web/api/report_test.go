package api

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// reportKeys are the keys of Mastodon's Report, with their JSON types.
var reportKeys = map[string]string{
	"id": "string", "action_taken": "bool", "action_taken_at": "null", "category": "string", "comment": "string",
	"forwarded": "bool", "created_at": "string", "status_ids": "array", "rule_ids": "array", "target_account": "object",
}

func TestReportIsAFlagInTheModeratorsQueue(t *testing.T) {
	ta := startStatusAPI(t)
	ctx := context.Background()
	admin, err := ta.db.CreateMember(ctx, storage.MemberCreate{Username: "ada", Email: "ada@example.org",
		Password: "correct horse", IsAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ta.db.SetInstanceRules(ctx, admin.ID, []string{"Be kind.", "Cite sources."}); err != nil {
		t.Fatal(err)
	}
	alice, bob := ta.signedUpMember("alice"), ta.signedUpMember("bob")
	p1, p2 := ta.publish(alice, "Bridges need repair", ""), ta.publish(alice, "Roads need repair", "")
	token := ta.tokenOf(bob, "write:reports")

	ans := ta.call(http.MethodPost, "/api/v1/reports", "application/json", `{"account_id":"`+alice.ID+`",
		"status_ids":["`+p1.ID+`","`+p2.ID+`","`+p1.ID+`"],"comment":"Made up.","category":"violation",
		"rule_ids":["2","false_news"],"forward":false}`, token)
	wantJSONAnswer(t, ans, http.StatusOK)
	var rep map[string]any
	ans.json(t, &rep)
	wantKeys(t, "report", rep, reportKeys)
	wantAccountShape(t, rep["target_account"])
	if rep["category"] != "violation" || rep["action_taken"] != false || len(rep["status_ids"].([]any)) != 2 ||
		rep["target_account"].(map[string]any)["id"] != alice.ID {
		t.Errorf("report = %v", rep)
	}

	queue, err := ta.db.FlagQueue(ctx, admin.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	var flagged []string
	for _, item := range queue {
		for _, f := range item.Flags {
			if f.ReporterID == bob.ID && f.Category == storage.FlagFalseNews && f.Comment == "Breaks rule 2. Made up." {
				flagged = append(flagged, f.PostID)
			}
		}
	}
	slices.Sort(flagged)
	if want := []string{p1.ID, p2.ID}; !slices.Equal(flagged, want) {
		t.Errorf("flags of false news in the queue for %v, want both posts %v", flagged, want)
	}

	ans = ta.call(http.MethodPost, "/api/v1/reports", "application/x-www-form-urlencoded",
		"account_id="+alice.ID+"&category=spam", token)
	wantJSONAnswer(t, ans, http.StatusOK)
	flags, err := ta.db.MemberFlags(ctx, bob.ID, 10)
	if err != nil || len(flags) != 3 || flags[0].Category != storage.FlagSpam || flags[0].PostID != "" || flags[0].AccountID != alice.ID {
		t.Errorf("bob's flags after the account report: %d (%v), want the account flagged as spam first", len(flags), err)
	}

	for _, c := range []struct {
		body   string
		status int
	}{
		{`{"comment":"no account"}`, http.StatusUnprocessableEntity},
		{`{"account_id":"` + alice.ID + `","category":"rude"}`, http.StatusUnprocessableEntity},
		{`{"account_id":"` + alice.ID + `","rule_ids":["9"]}`, http.StatusUnprocessableEntity},
		{`{"account_id":"` + alice.ID + `","forward":"maybe"}`, http.StatusUnprocessableEntity},
		{`{"account_id":"01NOBODY"}`, http.StatusNotFound},
		{`{"account_id":"` + alice.ID + `","status_ids":["01NOPE"]}`, http.StatusNotFound},
		{`{"account_id":"` + bob.ID + `","status_ids":["` + p1.ID + `"]}`, http.StatusNotFound},
		{`{"account_id":"` + alice.ID + `","status_ids":["` + p1.ID + `"]}`, http.StatusUnprocessableEntity}, // flagged already
	} {
		ans := ta.call(http.MethodPost, "/api/v1/reports", "application/json", c.body, token)
		wantJSONAnswer(t, ans, c.status)
	}
	if flags, _ := ta.db.MemberFlags(ctx, bob.ID, 10); len(flags) != 3 {
		t.Errorf("refused reports made flags: %d, want 3", len(flags))
	}
	wantJSONAnswer(t, ta.call(http.MethodPost, "/api/v1/reports", "application/json", `{"account_id":"`+alice.ID+`"}`,
		ta.tokenOf(bob, "read")), http.StatusForbidden)
	wantJSONAnswer(t, ta.call(http.MethodPost, "/api/v1/reports", "application/json", `{"account_id":"`+alice.ID+`"}`, ""),
		http.StatusUnauthorized)
}

func TestReportForwardedToARemoteServer(t *testing.T) {
	ta := startStatusAPI(t)
	ctx := context.Background()
	bob := ta.signedUpMember("bob")
	remote := ta.remoteAccount(storage.KindPerson, "mallory", "elsewhere.example", nil)
	ans := ta.call(http.MethodPost, "/api/v1/reports", "application/json",
		`{"account_id":"`+remote.ID+`","comment":"Spam bot","category":"spam","forward":true}`, ta.tokenOf(bob, "write"))
	wantJSONAnswer(t, ans, http.StatusOK)
	var rep map[string]any
	ans.json(t, &rep)
	if rep["forwarded"] != true || rep["category"] != "spam" {
		t.Errorf("report = %v, want forwarded spam", rep)
	}
	events, err := ta.db.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var sent []string
	for _, e := range events {
		if e.Kind == storage.EventFlagAccount {
			sent = append(sent, e.Payload.TargetActorID)
		}
	}
	if !slices.Equal(sent, []string{remote.ID}) {
		t.Errorf("flags sent on to %v, want mallory's server", sent)
	}
}

func TestReportReason(t *testing.T) {
	for _, c := range []struct {
		category, comment string
		rules             []string
		wantCategory      string
		wantComment       string
		ok                bool
	}{
		{"", "", nil, storage.FlagOther, "", true},
		{"spam", "Bot", nil, storage.FlagSpam, "Bot", true},
		{"legal", "", nil, storage.FlagOther, "", true},
		{"violation", "See", []string{"1", "3"}, storage.FlagOther, "Breaks rule 1, 3. See", true},
		{"spam", "", []string{"hate", "harassment"}, storage.FlagHate, "", true},
		{"other", "", []string{"4"}, "", "", false},
		{"other", "", []string{"01"}, "", "", false},
		{"rude", "", nil, "", "", false},
	} {
		category, comment, err := reportReason(c.category, c.comment, c.rules, 3)
		if (err == nil) != c.ok || category != c.wantCategory || comment != c.wantComment {
			t.Errorf("reportReason(%q, %q, %v) = %q, %q, %v; want %q, %q, ok %v", c.category, c.comment, c.rules,
				category, comment, err, c.wantCategory, c.wantComment, c.ok)
		}
	}
}
