package storage

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The search benchmark: the first page (30) of searches among 20,000
// posts of 40 authors, their text drawn from 5,000 words with Zipf's
// law, as words in news are: a few in most posts, most in a few. It runs
// only with -bench (figures in docs/BENCHMARKS.md):
//
//	go test ./storage -run '^$' -bench Search -benchtime=200x
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "tidings.db"), testSite)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	words := make([]string, 5000)
	for i := range words {
		words[i] = fmt.Sprintf("w%dx", i) // w0x is the commonest
	}
	start := time.Now()
	if err := loadSearchBench(ctx, db, words, 20_000); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded 20,000 posts in %v", time.Since(start).Round(time.Millisecond))
	member, err := db.CreateMember(ctx, MemberCreate{Username: "reader", Email: "reader@example.org", Password: "correct horse"})
	if err != nil {
		b.Fatal(err)
	}
	for _, bm := range []struct {
		name string
		q    SearchQuery
	}{
		{"common", SearchQuery{Text: words[0]}},    // in most posts
		{"middling", SearchQuery{Text: words[30]}}, // in a few hundred
		{"rare", SearchQuery{Text: words[3000]}},   // in a few
		{"two common", SearchQuery{Text: words[0] + " " + words[1]}},
		{"prefix", SearchQuery{Text: "w12*"}}, // w12x, w120x ... w1299x
		{"hashtag", SearchQuery{Tag: "tag3"}},
		{"absent", SearchQuery{Text: "nowhere"}},
	} {
		if terms, err := bm.q.parse(); err == nil && terms.match != "" {
			var n int
			if err := db.reader.QueryRow(`SELECT count(*) FROM post_search WHERE post_search MATCH ?`, terms.match).Scan(&n); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d posts", bm.name, n)
		}
		for _, viewer := range []struct{ name, id string }{{"stranger", Stranger}, {"member", member.ID}} {
			b.Run(bm.name+"/"+viewer.name, func(b *testing.B) {
				q := bm.q
				q.Limit = 30
				cpu := cpuTime()
				for b.Loop() {
					if _, err := db.Search(ctx, viewer.id, q); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-us/op")
			})
		}
	}
}

// loadSearchBench publishes n posts from other servers, a tenth of them
// with one of ten hashtags, in one transaction.
func loadSearchBench(ctx context.Context, db *DB, words []string, n int) error {
	var authors []*Actor
	for i := range 40 {
		uri := fmt.Sprintf("https://host%d.example/users/a%d", i%8, i)
		a, err := db.SaveRemoteActor(ctx, RemoteActor{URI: uri, Kind: KindPerson, Username: fmt.Sprintf("a%d", i),
			Inbox: uri + "/inbox", KeyID: uri + "#main-key", PublicKeyPEM: testPublicKeys()[0]})
		if err != nil {
			return err
		}
		authors = append(authors, a)
	}
	rng := rand.New(rand.NewSource(20))
	zipf := rand.NewZipf(rng, 1.1, 1, uint64(len(words)-1))
	text := func(n int) string {
		out := make([]string, n)
		for i := range out {
			out[i] = words[zipf.Uint64()]
		}
		return strings.Join(out, " ")
	}
	published := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return db.write(ctx, func(tx *Tx) error {
		for i := range n {
			published = published.Add(time.Minute)
			a := authors[rng.Intn(len(authors))]
			p := &Post{ID: tx.db.ids.next(published), URI: fmt.Sprintf("%s/posts/%d", a.URI, i), AuthorID: a.ID,
				Kind: KindDiscussion, Headline: text(8), Content: "<p>" + text(60) + "</p>", Visibility: Public,
				Published: published}
			if err := tx.insertPost(ctx, p); err != nil {
				return err
			}
			if i%10 == 0 {
				if err := tx.setPostTags(ctx, p.ID, []string{fmt.Sprintf("tag%d", rng.Intn(10))}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
