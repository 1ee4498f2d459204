package main

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// TestAnswerToAPrivatePostStaysPrivate: alice answers carl's
// followers-only post. Her comment is direct: it goes to carl alone,
// addressed to him and tagging him as Mastodon needs to show it, never
// to alice's own followers (dave, on another server), and its page opens
// for alice only here.
func TestAnswerToAPrivatePostStaysPrivate(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	alice := member(t, a, "alice")
	bob := member(t, a, "bob")
	stranger := newVisitor(t, a)
	carl := newRemoteAccount(t, "carl")
	dave := newRemoteAccount(t, "dave")
	aliceURI := a.DB.Site.ActorURI("alice")

	// dave follows alice; alice follows carl.
	dave.send(a, dave.activity("Follow", "follows/1", aliceURI, []string{aliceURI}, nil))
	followAccepted(t, a, alice, "alice", carl)
	waitFor(t, "dave's follow to be accepted", 10*time.Second, func() bool { return len(dave.srv.deliveries()) > 0 })

	private := carl.note("notes/private", "<p>carl-for-followers</p>", []string{carl.Followers()}, nil, nil)
	carl.send(a, carl.activity("Create", "activities/1", private, []string{carl.Followers()}, nil))
	settle(t, a)
	post, err := a.DB.PostByURI(ctx, private["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	answered := alice.post("/posts/"+post.ID+"/comments", url.Values{"text": {"alice-answers-privately"}})
	wantStatus(t, answered, http.StatusSeeOther)

	var create map[string]any
	waitFor(t, "alice's answer to reach carl", 10*time.Second, func() bool {
		for _, d := range carl.srv.deliveries() {
			if obj, ok := d["object"].(map[string]any); ok && d["type"] == "Create" &&
				strings.Contains(fmtString(obj["content"]), "alice-answers-privately") {
				create = d
				return true
			}
		}
		return false
	})
	object := create["object"].(map[string]any)
	for _, doc := range []map[string]any{create, object} {
		if to := strings.Join(stringsOf(doc["to"]), " "); to != carl.URI {
			t.Errorf("the answer's %s is to %q, want carl alone", doc["type"], to)
		}
		if cc := stringsOf(doc["cc"]); len(cc) != 0 {
			t.Errorf("the answer's %s is cc %v, want nobody", doc["type"], cc)
		}
	}
	var tagged []string
	tags, _ := object["tag"].([]any)
	for _, tag := range tags {
		if m, ok := tag.(map[string]any); ok && m["type"] == "Mention" {
			tagged = append(tagged, m["href"].(string))
		}
	}
	if !slices.Contains(tagged, carl.URI) {
		t.Errorf("the answer tags %v, want carl among them", tagged)
	}

	// Nothing of it went to alice's follower dave.
	settle(t, a)
	for _, d := range dave.srv.deliveries() {
		if d["type"] == "Create" {
			t.Errorf("dave, alice's follower, got %v", d)
		}
	}
	comment, err := a.DB.PostByURI(ctx, object["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if comment.Visibility != storage.Direct {
		t.Errorf("alice's answer is %s, want direct", comment.Visibility)
	}
	for name, v := range map[string]*visitor{"bob": bob, "a stranger": stranger} {
		if got := v.get("/posts/" + comment.ID).Status; got != http.StatusNotFound {
			t.Errorf("the answer's page for %s: %d, want 404", name, got)
		}
	}
	wantBody(t, alice.get("/posts/"+post.ID), "alice-answers-privately")
}

// fmtString is v when it is a string, else "".
func fmtString(v any) string {
	s, _ := v.(string)
	return s
}

// stringsOf reads an ActivityStreams property that is a string or a
// list of strings.
func stringsOf(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var list []string
		for _, item := range x {
			if s, ok := item.(string); ok {
				list = append(list, s)
			}
		}
		return list
	}
	return nil
}
