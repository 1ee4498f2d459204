package storage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
)

// searchWords are the words generated posts are made of: few, so that
// queries find many posts, with accents and capitals the index folds.
var searchWords = []string{"river", "harbour", "council", "budget", "election", "storm", "school", "bridge",
	"library", "market", "Festival", "RAILWAY", "café", "naïve", "bus", "tram", "park", "museum", "water",
	"housing", "rent", "climate", "flood", "heat", "farm", "court", "police", "mayor", "vote", "strike"}

// folded is a word as the index keeps it: lower case, without accents.
func folded(w string) string {
	return strings.NewReplacer("é", "e", "ï", "i").Replace(strings.ToLower(w))
}

// scanWords splits text as the index does: runs of letters and digits.
func scanWords(text string) []string {
	return strings.FieldsFunc(folded(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// scannedPost is what the brute-force scan knows of a post: the words a
// reader sees in its headline and text.
type scannedPost struct {
	headline, text string
	gone           bool
}

func (p scannedPost) has(word string, prefix bool) bool {
	for _, w := range scanWords(p.headline + " " + p.text) {
		if w == word || prefix && strings.HasPrefix(w, word) {
			return true
		}
	}
	return false
}

// phrase makes a few words of text, joined as people write them.
func phrase(rng *rand.Rand, n int) []string {
	seps := []string{" ", " ", " ", ", ", ". ", " (", ") ", "\n", " - ", "/"}
	out := make([]string, n)
	for i := range out {
		out[i] = searchWords[rng.IntN(len(searchWords))] + seps[rng.IntN(len(seps))]
	}
	return out
}

// TestSearchMatchesScan publishes, edits, corrects and deletes a few
// thousand posts of members here and of another server, then checks
// that every search finds exactly the posts a scan of their words finds,
// newest first, across pages.
func TestSearchMatchesScan(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: a few thousand posts")
	}
	ctx := context.Background()
	db, clock := openTestDB(t)
	rng := rand.New(rand.NewPCG(11, 26))
	members := []*Member{mustCreateMember(t, db, "ana"), mustCreateMember(t, db, "ben"), mustCreateMember(t, db, "cy")}
	town := mustCreateSubwiki(t, db, "town", members[0], false)
	for _, m := range members {
		if _, err := db.Follow(ctx, m.ID, town.ID); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(48 * time.Hour) // old enough to correct headlines
	remote := saveRemote(t, db, "dan", "far.example")
	model := map[string]*scannedPost{}
	var ids []string
	local := map[string]bool{}
	remoteVersion := map[string]int{}
	done := map[string]int{} // how many of each change were made

	for i := range 2400 {
		clock.Advance(time.Minute)
		switch op := rng.IntN(10); {
		case op < 5 || len(ids) < 20: // a member's discussion, with Markdown
			words := phrase(rng, 3+rng.IntN(12))
			headline := strings.TrimSpace(strings.Join(phrase(rng, 2+rng.IntN(4)), ""))
			text := strings.Join(words, "")
			if rng.IntN(4) == 0 {
				text = "**" + strings.TrimSpace(text) + "** <" + searchWords[rng.IntN(len(searchWords))] + "> & more"
			}
			p, err := db.Publish(ctx, PostCreate{AuthorID: members[rng.IntN(3)].ID, SubwikiID: town.ID,
				Kind: KindDiscussion, Headline: headline, Text: text})
			if err != nil {
				t.Fatalf("publish %q: %v", headline, err)
			}
			model[p.ID] = &scannedPost{headline: p.Headline, text: strings.ReplaceAll(text, "**", "")}
			ids, local[p.ID] = append(ids, p.ID), true
		case op < 7: // a post from another server: HTML, with a link whose address is not text
			words := phrase(rng, 3+rng.IntN(10))
			hidden := searchWords[rng.IntN(len(searchWords))]
			html := "<p>" + strings.Join(words[:2], "") + `<a href="https://far.example/` + hidden + `">` +
				strings.Join(words[2:], "") + "</a> &amp; &lt;" + words[0] + "&gt;</p>"
			uri := fmt.Sprintf("https://far.example/notes/%d", i)
			p, err := db.SaveRemotePost(ctx, RemotePost{URI: uri, AuthorID: remote.ID, Visibility: Public,
				Content: html, Published: clock.now})
			if err != nil {
				t.Fatal(err)
			}
			model[p.ID] = &scannedPost{text: strings.Join(words, "") + " & <" + words[0] + ">"}
			ids = append(ids, p.ID)
		case op < 8: // an edit
			id := ids[rng.IntN(len(ids))]
			if model[id].gone {
				continue
			}
			words := phrase(rng, 2+rng.IntN(8))
			if local[id] {
				p, _ := db.PostByID(ctx, id)
				if _, err := db.EditPost(ctx, PostEdit{MemberID: p.AuthorID, PostID: id, Text: strings.Join(words, "")}); err != nil {
					t.Fatal(err)
				}
			} else {
				p, _ := db.PostByID(ctx, id)
				remoteVersion[id]++
				if _, err := db.SaveRemotePost(ctx, RemotePost{URI: p.URI, AuthorID: remote.ID, Visibility: Public,
					Content: "<p>" + strings.Join(words, "") + "</p>", Published: p.Published,
					Updated: clock.now.Add(time.Duration(remoteVersion[id]) * time.Second)}); err != nil {
					t.Fatal(err)
				}
			}
			model[id].text = strings.Join(words, "")
			done["edit"]++
		case op < 9: // a correction of a member's headline
			id := ids[rng.IntN(len(ids))]
			if model[id].gone || !local[id] {
				continue
			}
			p, _ := db.PostByID(ctx, id)
			headline := strings.TrimSpace(strings.Join(phrase(rng, 2+rng.IntN(4)), ""))
			if _, err := db.ReviseHeadline(ctx, HeadlineEdit{PostID: id, EditorID: members[rng.IntN(3)].ID,
				BaseRevision: p.Revision, Headline: headline, Reason: "clearer"}); err != nil {
				if ErrorCode(err) == ERateLimited || ErrorCode(err) == EInvalid {
					continue
				}
				t.Fatalf("revise: %v", err)
			}
			model[id].headline = headline
			done["correction"]++
		default: // a delete
			id := ids[rng.IntN(len(ids))]
			if model[id].gone {
				continue
			}
			p, _ := db.PostByID(ctx, id)
			var err error
			if local[id] {
				err = db.DeletePost(ctx, p.AuthorID, id)
			} else {
				err = db.DeleteRemotePost(ctx, remote.ID, p.URI, "")
			}
			if err != nil {
				t.Fatal(err)
			}
			model[id].gone = true
			done["delete"]++
		}
	}

	for _, change := range []string{"edit", "correction", "delete"} {
		if done[change] < 40 {
			t.Fatalf("only %d of %s made", done[change], change)
		}
	}
	queries := [][]string{}
	for _, w := range searchWords {
		queries = append(queries, []string{w})
	}
	for range 30 {
		queries = append(queries, []string{searchWords[rng.IntN(len(searchWords))], searchWords[rng.IntN(len(searchWords))]})
	}
	queries = append(queries, []string{"riv*"}, []string{"cou*"}, []string{"bri*", "storm"}, []string{"nothinglikethis"})
	for _, q := range queries {
		var want []string
		for id, p := range model {
			all := !p.gone
			for _, w := range q {
				prefix := strings.HasSuffix(w, "*")
				all = all && p.has(folded(strings.TrimSuffix(w, "*")), prefix)
			}
			if all {
				want = append(want, id)
			}
		}
		slices.Sort(want)
		slices.Reverse(want)
		got := searchAll(t, db, Stranger, SearchQuery{Text: strings.Join(q, " "), Limit: 50})
		if !slices.Equal(got, want) {
			t.Errorf("search %q: %d posts, want %d; first differences: %v", q, len(got), len(want), firstDifferences(got, want))
		}
	}
	checkSearchIndex(t, db)
}

// searchAll reads every page of a search.
func searchAll(t *testing.T, db *DB, viewerID string, q SearchQuery) []string {
	t.Helper()
	var ids []string
	for range 1000 {
		page, err := db.Search(context.Background(), viewerID, q)
		if err != nil {
			t.Fatalf("search %+v: %v", q, err)
		}
		for _, p := range page.Posts {
			ids = append(ids, p.ID)
		}
		if page.Next == "" {
			return ids
		}
		q.Before = page.Next
	}
	t.Fatal("search pages without end")
	return nil
}

// firstDifferences names a few ids in one list and not the other.
func firstDifferences(got, want []string) []string {
	var out []string
	for _, id := range got {
		if !slices.Contains(want, id) && len(out) < 3 {
			out = append(out, "extra "+id)
		}
	}
	for _, id := range want {
		if !slices.Contains(got, id) && len(out) < 6 {
			out = append(out, "missing "+id)
		}
	}
	return out
}

// checkSearchIndex asks FTS5 whether the index matches the posts.
func checkSearchIndex(t *testing.T, db *DB) {
	t.Helper()
	if _, err := db.writer.Exec(`INSERT INTO post_search (post_search, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Errorf("search index integrity: %v", err)
	}
}
