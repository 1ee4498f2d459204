package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/tidings-social/tidings/storage"
)

// warnings reads a page's content warnings: for each <details
// class="content-warning">, the text of its <summary> and the text it
// hides; and the page's text outside them all.
func warnings(t *testing.T, p page) (hidden map[string]string, outside string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(p.Body))
	if err != nil {
		t.Fatal(err)
	}
	hidden = map[string]string{}
	var out strings.Builder
	var walk func(n *html.Node, into *strings.Builder)
	walk = func(n *html.Node, into *strings.Builder) {
		if n.Type == html.TextNode {
			into.WriteString(n.Data + " ")
			return
		}
		if n.Type == html.ElementNode && n.Data == "details" && hasClass(n, "content-warning") {
			var summary, body strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && c.Data == "summary" {
					walk(c, &summary)
				} else {
					walk(c, &body)
				}
			}
			hidden[strings.Join(strings.Fields(summary.String()), " ")] += body.String()
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, into)
		}
	}
	walk(doc, &out)
	return hidden, out.String()
}

// hasClass reports whether the element has the class.
func hasClass(n *html.Node, class string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" && strings.Contains(" "+a.Val+" ", " "+class+" ") {
			return true
		}
	}
	return false
}

// wantWarned fails the test unless the page shows the text collapsed
// behind the warning, and the headline (if any) outside every warning.
func wantWarned(t *testing.T, where string, p page, warning, text, headline string) {
	t.Helper()
	wantStatus(t, p, http.StatusOK)
	hidden, outside := warnings(t, p)
	if !strings.Contains(hidden[warning], text) {
		t.Errorf("%s: %q is not behind the warning %q; warnings: %q", where, text, warning, hidden)
	}
	if strings.Contains(outside, text) {
		t.Errorf("%s: %q is shown outside its warning", where, text)
	}
	if headline != "" && !strings.Contains(outside, headline) {
		t.Errorf("%s: the headline %q is not shown outside the warning", where, headline)
	}
}

// TestContentWarningsSetAndShown: members set a content warning on a
// discussion, a news post and a comment, change it and take it away;
// remote posts come with theirs. Every feed, the post's page and the
// thread show what a warning covers collapsed behind it (a <details>,
// which needs no script), and a news post's headline in the open. A
// warning that breaks the rules is refused with the reason, and the form
// comes back as it was sent.
func TestContentWarningsSetAndShown(t *testing.T) {
	ctx := context.Background()
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	bob := member(t, inst, "bob")
	stranger := newVisitor(t, inst)
	createSubwiki(t, alice, "town", "Town", nil)
	town := subwikiID(t, inst, "town")

	wantBody(t, alice.get("/compose"), `name="content_warning"`)
	discussion := publish(t, alice, url.Values{"kind": {"discussion"}, "subwiki": {town},
		"headline": {"Finale talk"}, "text": {"secret-discussion-body"}, "content_warning": {" Spoilers\n for the finale "}})
	news := publish(t, alice, url.Values{"kind": {"news"}, "link": {"https://news.example/storm"},
		"headline": {"Storm photos"}, "text": {"secret-news-commentary"}, "content_warning": {"Injuries"}})

	for _, view := range []struct {
		name     string
		v        *visitor
		path     string
		withNews bool // the news post is on the profile, not in the subwiki
	}{
		{"alice's home feed", alice, "/", true},
		{"alice's profile", stranger, "/@alice", true},
		{"the subwiki", stranger, "/s/town", false},
	} {
		p := view.v.get(view.path)
		wantWarned(t, view.name, p, "Spoilers for the finale", "secret-discussion-body", "Finale talk")
		if view.withNews {
			wantWarned(t, view.name, p, "Injuries", "secret-news-commentary", "Storm photos")
		}
	}
	wantWarned(t, "the news post's page", stranger.get("/posts/"+news), "Injuries", "secret-news-commentary", "Storm photos")
	wantWarned(t, "the discussion's page", stranger.get("/posts/"+discussion), "Spoilers for the finale",
		"secret-discussion-body", "Finale talk")

	// Bob comments behind a warning, naming alice; the thread and her
	// notification keep it collapsed.
	bob.get("/s/town")
	wantStatus(t, bob.post("/s/town/join", nil), http.StatusSeeOther)
	wantBody(t, bob.get("/posts/"+discussion), `name="content_warning"`)
	p := bob.post("/posts/"+discussion+"/comments", url.Values{"text": {"@alice secret-comment"}, "content_warning": {"The ending"}})
	wantStatus(t, p, http.StatusSeeOther)
	wantWarned(t, "the thread", stranger.get("/posts/"+discussion), "The ending", "secret-comment", "")
	wantWarned(t, "alice's notifications", alice.get("/notifications"), "The ending", "secret-comment", "")

	// A warning too long is refused, and nothing is published.
	long := strings.Repeat("w", storage.MaxContentWarningLength+1)
	p = alice.post("/compose", url.Values{"action": {"publish"}, "kind": {"discussion"}, "headline": {"Refused"},
		"text": {"kept-text"}, "content_warning": {long}})
	wantStatus(t, p, http.StatusBadRequest)
	wantBody(t, p, "A content warning can be at most", "kept-text", `value="`+long+`"`)
	p = bob.post("/posts/"+discussion+"/comments", url.Values{"text": {"kept-comment"}, "content_warning": {long}})
	wantStatus(t, p, http.StatusBadRequest)
	wantBody(t, p, "A content warning can be at most", "kept-comment", `value="`+long+`"`)
	if n, err := inst.DB.CountPostsBy(ctx, storage.Stranger, memberOf(t, inst, "alice").ID); err != nil || n != 2 {
		t.Errorf("alice has %d posts after a refused one, %v; want 2", n, err)
	}
	if thread, _ := inst.DB.Thread(ctx, storage.Stranger, discussion); len(thread) != 1 {
		t.Errorf("the thread has %d comments after a refused one, want 1", len(thread))
	}

	// Alice changes the news post's warning, then takes it away.
	wantBody(t, alice.get("/posts/"+news+"/edit"), `name="content_warning"`, `value="Injuries"`)
	p = alice.post("/posts/"+news+"/edit", url.Values{"text": {"secret-news-commentary"}, "content_warning": {long}})
	wantStatus(t, p, http.StatusBadRequest)
	wantBody(t, p, "A content warning can be at most", `value="`+long+`"`)
	wantStatus(t, alice.post("/posts/"+news+"/edit", url.Values{"text": {"secret-news-commentary"},
		"content_warning": {"Graphic injuries"}}), http.StatusSeeOther)
	wantWarned(t, "the edited post", stranger.get("/posts/"+news), "Graphic injuries", "secret-news-commentary", "Storm photos")
	wantStatus(t, alice.post("/posts/"+news+"/edit", url.Values{"text": {"secret-news-commentary"}}), http.StatusSeeOther)
	p = stranger.get("/posts/" + news)
	if hidden, outside := warnings(t, p); len(hidden) != 0 || !strings.Contains(outside, "secret-news-commentary") {
		t.Errorf("the post whose warning was taken away: warnings %q; commentary shown: %v",
			hidden, strings.Contains(outside, "secret-news-commentary"))
	}

	// Remote posts and comments come with their warnings.
	carlURI := "https://carl.example/users/carl"
	carl, err := inst.DB.SaveRemoteActor(ctx, storage.RemoteActor{URI: carlURI, Kind: storage.KindPerson, Username: "carl",
		Inbox: carlURI + "/inbox", Followers: carlURI + "/followers", KeyID: carlURI + "#main-key",
		PublicKeyPEM: hostilePublicPEM(t)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.DB.SaveRemotePost(ctx, storage.RemotePost{URI: "https://carl.example/notes/1", AuthorID: carl.ID,
		Content: "<p>secret-remote-note</p>", Visibility: storage.Public, ContentWarning: "Politics", Sensitive: true}); err != nil {
		t.Fatal(err)
	}
	root, _ := inst.DB.PostByID(ctx, discussion)
	if _, err := inst.DB.SaveRemotePost(ctx, storage.RemotePost{URI: "https://carl.example/notes/2", AuthorID: carl.ID,
		Content: "<p>secret-remote-comment</p>", Visibility: storage.Public, InReplyTo: root.URI,
		ContentWarning: "Also the ending"}); err != nil {
		t.Fatal(err)
	}
	wantWarned(t, "carl's profile", stranger.get("/@carl@carl.example"), "Politics", "secret-remote-note", "")
	wantWarned(t, "the thread with carl's comment", stranger.get("/posts/"+discussion), "Also the ending",
		"secret-remote-comment", "")
}
