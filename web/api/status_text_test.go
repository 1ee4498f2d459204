package api

import (
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

func TestFirstLink(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"no link here", ""},
		{"Read https://news.example/a/b?c=1.", "https://news.example/a/b?c=1"},
		{"(see http://news.example/x)", "http://news.example/x"},
		{"https://one.example/ and https://two.example/", "https://one.example/"},
		{"ftp://files.example/x", ""},
	} {
		if got := firstLink(tc.text); got != tc.want {
			t.Errorf("firstLink(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestFirstLine(t *testing.T) {
	long := strings.Repeat("a", storage.MaxHeadlineLength+5)
	for _, tc := range []struct{ text, want string }{
		{"", ""},
		{"@climate Glaciers melt\nmore", "Glaciers melt"},
		{"@climate@news.example\n\n  Second line  ", "Second line"},
		{"@climate", ""},
		{long, strings.Repeat("a", storage.MaxHeadlineLength-1) + "…"},
	} {
		if got := firstLine(tc.text); got != tc.want {
			t.Errorf("firstLine(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestMastodonVisibility(t *testing.T) {
	for in, want := range map[string]string{storage.Public: "public", storage.Unlisted: "unlisted",
		storage.Followers: "private", storage.Direct: "direct"} {
		if got := mastodonVisibility(in); got != want {
			t.Errorf("mastodonVisibility(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStatusContent(t *testing.T) {
	for _, tc := range []struct {
		name string
		post storage.Post
		want string
	}{
		{"note", storage.Post{Kind: storage.KindNote, Content: "<p>Hi</p>"}, "<p>Hi</p>"},
		{"news", storage.Post{Kind: storage.KindNews, Headline: "Rivers <rise>", URL: "https://t.example/posts/1",
			Content: "<p>Read it</p>"}, `<p><a href="https://t.example/posts/1">Rivers &lt;rise&gt;</a></p><p>Read it</p>`},
		{"discussion headlined apart", storage.Post{Kind: storage.KindDiscussion, Headline: "Bridges", URL: "u",
			Content: "<p>Half need repair</p>"}, `<p><a href="u">Bridges</a></p><p>Half need repair</p>`},
		{"discussion from its first line", storage.Post{Kind: storage.KindDiscussion, Headline: "Bridges need repair",
			URL: "u", Content: `<p><a href="x">@climate</a> Bridges need repair<br>Half of them.</p>`},
			`<p><a href="x">@climate</a> Bridges need repair<br>Half of them.</p>`},
	} {
		if got := statusContent(&tc.post); got != tc.want {
			t.Errorf("%s: statusContent = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestDescendantsOf(t *testing.T) {
	c := func(id, parent string) *storage.Post { return &storage.Post{ID: id, ParentID: parent} }
	thread := []*storage.Post{c("a", "root"), c("b", "a"), c("c", "root"), c("d", "b"), c("e", "c")}
	for _, tc := range []struct {
		id   string
		want string
	}{
		{"root", "a b c d e"},
		{"a", "b d"},
		{"c", "e"},
		{"d", ""},
	} {
		var got []string
		for _, p := range descendantsOf(tc.id, thread) {
			got = append(got, p.ID)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("descendantsOf(%s) = %v, want %s", tc.id, got, tc.want)
		}
	}
}

func TestRedraftText(t *testing.T) {
	for _, tc := range []struct {
		post storage.Post
		want string
	}{
		{storage.Post{Kind: storage.KindDiscussion, Source: "Bridges\nneed repair"}, "Bridges\nneed repair"},
		{storage.Post{Kind: storage.KindNews, LinkURL: "https://news.example/a"}, "https://news.example/a"},
		{storage.Post{Kind: storage.KindNews, LinkURL: "https://news.example/a", Source: "Read it"}, "Read it\n\nhttps://news.example/a"},
	} {
		if got := redraftText(&tc.post); got != tc.want {
			t.Errorf("redraftText(%+v) = %q, want %q", tc.post, got, tc.want)
		}
	}
}
