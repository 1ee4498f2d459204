package federation

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// sentObject publishes what make does on a fresh instance and returns the
// object of the activity of type typ its follower's server received.
func sentObject(t *testing.T, in *outboxTestInstance, typ string) map[string]any {
	t.Helper()
	ctx := context.Background()
	if _, err := in.fed.expandOutbox(ctx); err != nil {
		t.Fatal(err)
	}
	in.deliverDue(t)
	in.remote.mu.Lock()
	defer in.remote.mu.Unlock()
	for i := len(in.remote.received) - 1; i >= 0; i-- {
		a := in.remote.received[i]
		if a["type"] == typ {
			obj, _ := a["object"].(map[string]any)
			return obj
		}
	}
	t.Fatalf("the follower's server received no %s", typ)
	return nil
}

// publishNews publishes a news post of alice's.
func publishNews(t *testing.T, in *outboxTestInstance, warning string) *storage.Post {
	t.Helper()
	p, err := in.db.Publish(context.Background(), storage.PostCreate{AuthorID: in.alice.ID, Kind: storage.KindNews,
		Headline: "Glacier retreat doubles & speeds up", LinkURL: "https://paper.example/glaciers",
		Text: "A **new** survey of 200 glaciers.", ContentWarning: warning})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// tidingsReads is what another Tidings keeps of an object.
func tidingsReads(t *testing.T, obj map[string]any) storage.RemotePost {
	t.Helper()
	typed, err := toType(context.Background(), obj)
	if err != nil {
		t.Fatal(err)
	}
	post, ok := typed.(postable)
	if !ok {
		t.Fatalf("a %T is no post", typed)
	}
	return remotePost(&storage.Actor{ID: "author"}, post)
}

// once reports whether text, read as HTML, has s exactly once.
func once(html, s string) bool { return strings.Count(textOfHTML(html), s) == 1 }

func TestNewsPostAsEachServerReadsIt(t *testing.T) {
	in := newOutboxTestInstance(t)
	p := publishNews(t, in, "")
	obj := sentObject(t, in, "Create")
	headline, link, commentary := p.Headline, p.LinkURL, "A new survey of 200 glaciers."

	m := mastodonReads(obj)
	if m.spoiler != "" {
		t.Errorf("Mastodon: content warning %q; want none", m.spoiler)
	}
	if !strings.Contains(m.text, "<h2>"+headline+"</h2>") || !once(m.text, headline) {
		t.Errorf("Mastodon: text %q; want the headline once, as a heading", m.text)
	}
	if !strings.Contains(textOfHTML(m.text), commentary) {
		t.Errorf("Mastodon: text %q; want the commentary %q", m.text, commentary)
	}
	if m.card != link {
		t.Errorf("Mastodon: preview card for %q; want %q", m.card, link)
	}

	g := gotosocialReads(obj)
	if g.contentWarning != "" {
		t.Errorf("GoToSocial: content warning %q; want none", g.contentWarning)
	}
	if !once(g.content, headline) || !strings.Contains(textOfHTML(g.content), commentary) {
		t.Errorf("GoToSocial: content %q; want the headline once and the commentary", g.content)
	}
	if as := anchors(g.content); len(as) == 0 || as[0].href != link {
		t.Errorf("GoToSocial: links %+v; want the news link first", as)
	}

	l := lemmyReads(obj)
	if want := (lemmyPost{title: headline, url: link, body: p.Source}); l != want {
		t.Errorf("Lemmy: %+v; want %+v", l, want)
	}

	r := tidingsReads(t, obj)
	if r.Kind != storage.KindNews || r.Headline != headline || r.LinkURL != link || r.Content != p.Content || r.ContentWarning != "" {
		t.Errorf("Tidings: kind %q, headline %q, link %q, content %q, warning %q; want news %q, %q, %q, none",
			r.Kind, r.Headline, r.LinkURL, r.Content, r.ContentWarning, headline, link, p.Content)
	}
	extra := obj
	if extra["history"] != p.URI+"/history" || extra["headlineRevision"] != float64(1) {
		t.Errorf("Tidings: history %v, headlineRevision %v; want %s/history, 1", extra["history"], extra["headlineRevision"], p.URI)
	}
}

func TestDiscussionAsEachServerReadsIt(t *testing.T) {
	in := newOutboxTestInstance(t)
	p, err := in.db.Publish(context.Background(), storage.PostCreate{AuthorID: in.alice.ID, Kind: storage.KindDiscussion,
		Headline: "Which rivers flood first?", Text: "Our town has *two*."})
	if err != nil {
		t.Fatal(err)
	}
	obj := sentObject(t, in, "Create")
	if obj["type"] != "Note" {
		t.Fatalf("a discussion is a %v; want a Note", obj["type"])
	}
	m := mastodonReads(obj)
	if m.spoiler != "" || !once(m.text, p.Headline) || !strings.Contains(textOfHTML(m.text), "Our town has two.") {
		t.Errorf("Mastodon: warning %q, text %q; want no warning, the headline once and the text", m.spoiler, m.text)
	}
	g := gotosocialReads(obj)
	if g.contentWarning != "" || !once(g.content, p.Headline) {
		t.Errorf("GoToSocial: warning %q, content %q; want no warning and the headline once", g.contentWarning, g.content)
	}
	if l := lemmyReads(obj); l.title != p.Headline || l.body != p.Source || l.url != "" {
		t.Errorf("Lemmy: %+v; want title %q, body %q, no url", l, p.Headline, p.Source)
	}
	if r := tidingsReads(t, obj); r.Kind != storage.KindDiscussion || r.Headline != p.Headline || r.Content != p.Content {
		t.Errorf("Tidings: kind %q, headline %q, content %q; want discussion %q, %q", r.Kind, r.Headline, r.Content, p.Headline, p.Content)
	}
}

func TestCommentAsEachServerReadsIt(t *testing.T) {
	in := newOutboxTestInstance(t)
	ctx := context.Background()
	p := publishNews(t, in, "")
	c, err := in.db.Comment(ctx, storage.CommentCreate{AuthorID: in.alice.ID, ParentID: p.ID, Text: "Two hundred is *a lot*."})
	if err != nil {
		t.Fatal(err)
	}
	obj := sentObject(t, in, "Create")
	if obj["id"] != c.URI || obj["inReplyTo"] != p.URI {
		t.Fatalf("sent %v in reply to %v; want the comment %s in reply to %s", obj["id"], obj["inReplyTo"], c.URI, p.URI)
	}
	if m := mastodonReads(obj); m.spoiler != "" || !strings.Contains(textOfHTML(m.text), "Two hundred is a lot.") {
		t.Errorf("Mastodon: warning %q, text %q; want no warning and the text", m.spoiler, m.text)
	}
	if g := gotosocialReads(obj); g.contentWarning != "" {
		t.Errorf("GoToSocial: warning %q; want none", g.contentWarning)
	}
	if l := lemmyReads(obj); l.body != c.Source {
		t.Errorf("Lemmy: body %q; want %q", l.body, c.Source)
	}
}

func TestContentWarningAsEachServerReadsIt(t *testing.T) {
	const warning = "flood photos"
	t.Run("discussion", func(t *testing.T) {
		in := newOutboxTestInstance(t)
		_, err := in.db.Publish(context.Background(), storage.PostCreate{AuthorID: in.alice.ID, Kind: storage.KindDiscussion,
			Headline: "Our street today", Text: "The water reached the doors.", ContentWarning: warning})
		if err != nil {
			t.Fatal(err)
		}
		obj := sentObject(t, in, "Create")
		if m := mastodonReads(obj); m.spoiler != warning || !m.sensitive {
			t.Errorf("Mastodon: warning %q, sensitive %v; want %q, true", m.spoiler, m.sensitive, warning)
		}
		if g := gotosocialReads(obj); g.contentWarning != warning || !g.sensitive {
			t.Errorf("GoToSocial: warning %q, sensitive %v; want %q, true", g.contentWarning, g.sensitive, warning)
		}
		if l := lemmyReads(obj); !l.nsfw || l.title != "Our street today" {
			t.Errorf("Lemmy: %+v; want nsfw, titled as the headline", l)
		}
		if r := tidingsReads(t, obj); r.ContentWarning != warning || !r.Sensitive {
			t.Errorf("Tidings: warning %q, sensitive %v; want %q, true", r.ContentWarning, r.Sensitive, warning)
		}
	})
	t.Run("news", func(t *testing.T) {
		in := newOutboxTestInstance(t)
		p := publishNews(t, in, warning)
		obj := sentObject(t, in, "Create")
		// Mastodon cannot collapse a Page: it shows the warning where the
		// commentary would be, and marks the post sensitive.
		m := mastodonReads(obj)
		if !m.sensitive || strings.Contains(textOfHTML(m.text), "survey") || !strings.Contains(m.text, warning) || !once(m.text, p.Headline) {
			t.Errorf("Mastodon: sensitive %v, text %q; want sensitive, the headline and the warning, not the commentary", m.sensitive, m.text)
		}
		if g := gotosocialReads(obj); g.contentWarning != warning {
			t.Errorf("GoToSocial: warning %q; want %q", g.contentWarning, warning)
		}
		if l := lemmyReads(obj); !l.nsfw || l.title != p.Headline || l.url != p.LinkURL {
			t.Errorf("Lemmy: %+v; want nsfw, titled as the headline, with the link", l)
		}
		if r := tidingsReads(t, obj); r.ContentWarning != warning || r.Headline != p.Headline {
			t.Errorf("Tidings: warning %q, headline %q; want %q, %q", r.ContentWarning, r.Headline, warning, p.Headline)
		}
	})
}

func TestCorrectionAsEachServerReadsIt(t *testing.T) {
	in := newOutboxTestInstance(t)
	ctx := context.Background()
	p := publishNews(t, in, "")
	sentObject(t, in, "Create")
	in.clock.Advance(time.Hour)
	const corrected = "Glacier retreat doubles in one region"
	if _, err := in.db.ReviseHeadline(ctx, storage.HeadlineEdit{PostID: p.ID, EditorID: in.alice.ID, BaseRevision: 1,
		Headline: corrected, Reason: "The survey covers one region."}); err != nil {
		t.Fatal(err)
	}
	obj := sentObject(t, in, "Update")
	published, _ := time.Parse(time.RFC3339, str(obj["published"]))
	updated, _ := time.Parse(time.RFC3339, str(obj["updated"]))
	if !updated.After(published) {
		t.Errorf("updated %v, published %v; Mastodon applies an edit only when updated is later", obj["updated"], obj["published"])
	}
	if m := mastodonReads(obj); !strings.Contains(m.text, "<h2>"+corrected+"</h2>") || strings.Contains(m.text, p.Headline) {
		t.Errorf("Mastodon: text %q; want the corrected headline only", m.text)
	}
	if g := gotosocialReads(obj); g.contentWarning != "" || !once(g.content, corrected) || strings.Contains(g.content, "speeds up") {
		t.Errorf("GoToSocial: warning %q, content %q; want no warning and the corrected headline once", g.contentWarning, g.content)
	}
	if l := lemmyReads(obj); l.title != corrected {
		t.Errorf("Lemmy: title %q; want %q", l.title, corrected)
	}
	if r := tidingsReads(t, obj); r.Headline != corrected || obj["headlineRevision"] != float64(2) || r.HistoryURI != "" && r.HistoryURI != p.URI+"/history" {
		t.Errorf("Tidings: headline %q, headlineRevision %v; want %q, 2", r.Headline, obj["headlineRevision"], corrected)
	}
}

// TestAPostHasOneDocument: what a post's address answers is the object
// its Create carried, since GoToSocial and Mastodon fetch a boosted post
// by id and must read it as the followers who were sent it.
func TestAPostHasOneDocument(t *testing.T) {
	in := newOutboxTestInstance(t)
	p := publishNews(t, in, "")
	sent := sentObject(t, in, "Create")
	router := mux.NewRouter()
	in.fed.Routes(router)
	req := httptest.NewRequest(http.MethodGet, p.URI, nil)
	req.Header.Set("Accept", "application/activity+json")
	rec := httptest.NewRecorder()
	router.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", p.URI, rec.Code, rec.Body)
	}
	var fetched map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &fetched); err != nil {
		t.Fatal(err)
	}
	delete(fetched, "@context")
	if !reflect.DeepEqual(fetched, sent) {
		t.Errorf("the post's address answers\n%v\nwhile its Create carried\n%v", fetched, sent)
	}
}
