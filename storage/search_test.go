package storage

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Whatever a reader types, a search gives results or refuses with a
// reason (EInvalid): FTS5's syntax never reaches MATCH.
func TestSearchHostileQueries(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	alice := mustCreateMember(t, db, "alice")
	if _, err := db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindDiscussion, Headline: "River NEAR the bridge",
		Text: "a:b and c*d, \"quoted\" words AND more"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text  string
		found int // -1: refused
	}{
		{`"`, -1},
		{`*`, -1},
		{`NEAR(`, 1},
		{`NEAR(river bridge)`, 0}, // the phrase "near river", and bridge
		{`a:b`, 1},
		{`headline:river`, 0}, // the phrase "headline river"
		{`search_text:river`, 0},
		{`river AND`, 1},
		{`OR`, 0},
		{`NOT river`, 0},
		{`-river`, 1},
		{`^river`, 1},
		{`river"`, 1},
		{`"river bridge"`, 1},
		{`c*d`, 1},
		{`riv*`, 1},
		{`ri*`, -1},
		{`(`, -1},
		{`{headline}: river`, 0},
		{`river: {bridge}`, 1},
		{`#`, -1},
		{`#1`, 0},
		{`in:`, 0},
		{`from:`, 0},
		{`in:nowhere river`, -1},
		{`from:@nobody river`, -1},
		{`from:alice`, -1},
		{`from:alice river`, 1},
		{"\x00river", 1},
		{"🙂", -1},
		{strings.Repeat("river ", 16), 1},
		{strings.Repeat("river ", 17), -1},
		{strings.Repeat("x", 1000), -1},
		{"", -1},
	}
	for _, tt := range tests {
		page, err := db.Search(ctx, Stranger, SearchQuery{Text: tt.text})
		switch {
		case tt.found < 0 && ErrorCode(err) != EInvalid:
			t.Errorf("search %q: error %v, want it refused as invalid", tt.text, err)
		case tt.found >= 0 && err != nil:
			t.Errorf("search %q: %v", tt.text, err)
		case tt.found >= 0 && len(page.Posts) != tt.found:
			t.Errorf("search %q found %d posts, want %d", tt.text, len(page.Posts), tt.found)
		}
	}
}

// FuzzSearch checks that no text makes a search fail other than by
// refusing it as invalid.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{`"`, `*`, `NEAR(`, `a:b`, `#tag in:x from:@y`, `"a" OR "b"*`, `x"*`, `**"`} {
		f.Add(s)
	}
	db, err := Open(context.Background(), filepath.Join(f.TempDir(), "tidings.db"), testSite)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	f.Fuzz(func(t *testing.T, text string) {
		if _, err := db.Search(context.Background(), Stranger, SearchQuery{Text: text}); err != nil && ErrorCode(err) != EInvalid {
			t.Errorf("search %q: %v", text, err)
		}
	})
}

// A search finds only what the viewer may see, by the rule every feed
// asks, and never direct posts, which the feeds leave out too.
func TestSearchVisibility(t *testing.T) {
	ctx := context.Background()
	w := newVisibilityWorld(t)
	for viewer, id := range w.viewers {
		got := searchAll(t, w.db, id, SearchQuery{Text: "carl"})
		var want []string
		for _, v := range visibilityTable[viewer] {
			if v != Direct {
				want = append(want, w.tops[v].ID)
			}
		}
		slices.Sort(want)
		slices.Reverse(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s finds %v, want %v", viewer, got, want)
		}
		comments := searchAll(t, w.db, id, SearchQuery{Text: "comment"})
		if n := len(comments); n != len(want) {
			t.Errorf("%s finds %d comments, want %d", viewer, n, len(want))
		}
	}
	// A suspended member's posts are found by nobody.
	if _, err := w.db.SuspendMember(ctx, w.members["ruth"].ID, "mia", "spam"); err != nil {
		t.Fatal(err)
	}
	if got := searchAll(t, w.db, Stranger, SearchQuery{Text: "town hall"}); len(got) != 0 {
		t.Errorf("a suspended member's post is found: %v", got)
	}
}

// Filters narrow a search to a subwiki, an author or a hashtag, given as
// fields or typed as in:, from: and #; mutes leave out what the feeds
// leave out unless the search names it.
func TestSearchFilters(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	alice, bob := mustCreateMember(t, db, "alice"), mustCreateMember(t, db, "bob")
	town := mustCreateSubwiki(t, db, "town", alice, false)
	publish := func(author *Member, subwiki, headline, text string) *Post {
		p, err := db.Publish(ctx, PostCreate{AuthorID: author.ID, SubwikiID: subwiki, Kind: KindDiscussion, Headline: headline, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	inTown := publish(alice, town.ID, "Flood warning #Weather", "The river rises.")
	byBob := publish(bob, "", "Flood relief", "Volunteers at the #weather station, not #1.")
	untagged := publish(bob, town.ID, "Flood maps", "Where the water goes.")
	dan := saveRemote(t, db, "Dan", "far.example")
	remote, err := db.SaveRemotePost(ctx, RemotePost{URI: "https://far.example/notes/1", AuthorID: dan.ID, Visibility: Public,
		Content: "<p>Rain again</p>", Hashtags: []string{"#Weather", "#", "x y"}})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(ps ...*Post) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.ID)
		}
		slices.Sort(out)
		slices.Reverse(out)
		return out
	}
	tests := []struct {
		name   string
		viewer string
		q      SearchQuery
		want   []string
	}{
		{"words", Stranger, SearchQuery{Text: "flood"}, ids(inTown, byBob, untagged)},
		{"in: typed", Stranger, SearchQuery{Text: "flood in:town"}, ids(inTown, untagged)},
		{"subwiki field", Stranger, SearchQuery{Text: "flood", Subwiki: "town"}, ids(inTown, untagged)},
		{"from: typed", Stranger, SearchQuery{Text: "flood from:@bob"}, ids(byBob, untagged)},
		{"author field", Stranger, SearchQuery{Text: "flood", Author: "@bob"}, ids(byBob, untagged)},
		{"both", Stranger, SearchQuery{Text: "flood in:town from:bob"}, ids(untagged)},
		{"hashtag typed", Stranger, SearchQuery{Text: "#WEATHER"}, ids(inTown, byBob, remote)},
		{"hashtag field", Stranger, SearchQuery{Tag: "weather"}, ids(inTown, byBob, remote)},
		{"hashtag and word", Stranger, SearchQuery{Text: "#weather flood"}, ids(inTown, byBob)},
		{"remote author", Stranger, SearchQuery{Text: "rain from:Dan@far.example"}, ids(remote)},
		{"muted author left out", alice.ID, SearchQuery{Text: "flood"}, ids(inTown)},
		{"muted author named", alice.ID, SearchQuery{Text: "flood from:bob"}, ids(byBob, untagged)},
		{"muted word", bob.ID, SearchQuery{Text: "flood"}, ids(byBob, untagged)},
	}
	if err := db.Mute(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.MuteWord(ctx, bob.ID, "warning"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		if got := searchAll(t, db, tt.viewer, tt.q); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %+v finds %v, want %v", tt.name, tt.q, got, tt.want)
		}
	}
	for _, q := range []SearchQuery{{Text: "flood in:town in:city"}, {Text: "flood", Subwiki: "alice"}, {Tag: "no tag"},
		{Text: "#a #b"}} {
		_, err := db.Search(ctx, Stranger, q)
		wantCode(t, err, EInvalid)
	}
	// An edit replaces a member's hashtags.
	if _, err := db.EditPost(ctx, PostEdit{MemberID: bob.ID, PostID: byBob.ID, Text: "Now #sunny"}); err != nil {
		t.Fatal(err)
	}
	if got := searchAll(t, db, Stranger, SearchQuery{Tag: "weather"}); !slices.Equal(got, ids(inTown, remote)) {
		t.Errorf("after the edit #weather finds %v", got)
	}
	if got := searchAll(t, db, Stranger, SearchQuery{Tag: "#Sunny"}); !slices.Equal(got, ids(byBob)) {
		t.Errorf("after the edit #sunny finds %v", got)
	}
}

// Migration 0026 indexes the posts made before it, stripping their
// markup in SQL as plainText does in Go.
func TestSearchMigrationIndexesOldPosts(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tidings.db")
	db, err := Open(ctx, path, testSite)
	if err != nil {
		t.Fatal(err)
	}
	alice := mustCreateMember(t, db, "alice")
	dan := saveRemote(t, db, "dan", "far.example")
	if _, err := db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindDiscussion, Headline: "Old news",
		Text: "**Bold** claims & <odd> things"}); err != nil {
		t.Fatal(err)
	}
	for i, content := range []string{`<p>Tram <a href="https://x.example/hidden">lines</a> &amp; buses</p>`,
		`<p>unclosed &lt;tag and &#39;quotes&#39; &#34;here&#34;`, `plain`, ``} {
		if _, err := db.SaveRemotePost(ctx, RemotePost{URI: "https://far.example/n/" + string(rune('a'+i)), AuthorID: dan.ID,
			Visibility: Public, Content: content}); err != nil {
			t.Fatal(err)
		}
	}
	// Undo 0026 as if the posts had been made before it.
	for _, q := range []string{`DROP TRIGGER post_search_insert`, `DROP TRIGGER post_search_update`,
		`DROP TRIGGER post_search_delete`, `DROP TABLE post_search`, `DROP TABLE post_tags`,
		`ALTER TABLE posts DROP COLUMN search_text`, `DELETE FROM schema_migrations WHERE version = 26`} {
		if _, err := db.writer.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	if db, err = Open(ctx, path, testSite); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.reader.Query(`SELECT content, search_text FROM posts`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var content, text string
		if err := rows.Scan(&content, &text); err != nil {
			t.Fatal(err)
		}
		if want := plainText(content); strings.Join(strings.Fields(text), " ") != strings.Join(strings.Fields(want), " ") {
			t.Errorf("migrated text of %q = %q, want %q", content, text, want)
		}
	}
	for word, want := range map[string]int{"old": 1, "bold": 1, "odd": 1, "lines": 1, "hidden": 0, "tag": 1, "quotes": 1, "plain": 1} {
		if got := searchAll(t, db, Stranger, SearchQuery{Text: word}); len(got) != want {
			t.Errorf("after the migration %q finds %d posts, want %d", word, len(got), want)
		}
	}
	checkSearchIndex(t, db)
}

// The search is answered from the index and the posts' primary key; it
// never scans the posts table. With words in few posts, those are read by
// rowid; with words in many, the posts are walked newest first by id and
// no sort is needed.
func TestSearchQueryPlan(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	if err := loadSearchBench(ctx, db, []string{"river", "rain", "snow"}, searchWalk+200); err != nil {
		t.Fatal(err)
	}
	plan := func(q searchTerms) string {
		t.Helper()
		cond, args, err := db.searchCond(ctx, "someone", q)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := db.reader.Query(`EXPLAIN QUERY PLAN `+postsSelect+`WHERE `+cond+` AND p.id < ? ORDER BY p.id DESC LIMIT ?`,
			append(args, "\uffff", 21)...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var lines []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, detail)
		}
		return strings.Join(lines, "\n")
	}
	for _, q := range []searchTerms{{match: `"snowfall"`}, {tag: "tag1"}, {match: `"snowfall"`, tag: "tag1"}} {
		got := plan(q)
		if strings.Contains(got, "\nSCAN p\n") || strings.Contains(got, "SCAN p ") || strings.HasPrefix(got, "SCAN p") {
			t.Errorf("%+v: the plan scans the posts:\n%s", q, got)
		}
		if q.match != "" && !strings.Contains(got, "VIRTUAL TABLE INDEX") {
			t.Errorf("%+v: the plan does not use the index:\n%s", q, got)
		}
		if q.tag != "" && q.match == "" && !strings.Contains(got, "post_tags_tag") {
			t.Errorf("%+v: the plan does not use the hashtag index:\n%s", q, got)
		}
	}
	got := plan(searchTerms{match: `"river"`})
	if !strings.HasPrefix(got, "SEARCH p USING INDEX sqlite_autoindex_posts_1 (id<?)") || strings.Contains(got, "TEMP B-TREE") {
		t.Errorf("a common word: the plan does not walk the posts by id:\n%s", got)
	}
}
