package storage

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
)

// The data set of BenchmarkHomeFeed: a million posts, loaded in bulk.

// feedBench is the benchmark's data set, opened once per test process.
var feedBench struct {
	once    sync.Once
	db      *DB
	members map[string]string // member ids by name
	err     error
}

// openFeedBench opens the benchmark's data set, building it first if no
// earlier run left it in the temporary directory.
func openFeedBench(b *testing.B) (*DB, map[string]string) {
	b.Helper()
	feedBench.once.Do(func() {
		ctx := context.Background()
		path := filepath.Join(os.TempDir(), fmt.Sprintf("tidings-homefeed-v%d.db", feedBenchVersion))
		if _, err := os.Stat(path); os.IsNotExist(err) {
			start := time.Now()
			if feedBench.err = buildFeedBench(ctx, path); feedBench.err != nil {
				return
			}
			b.Logf("built %s in %v", path, time.Since(start).Round(time.Second))
		}
		db, err := Open(ctx, path, testSite)
		if err != nil {
			feedBench.err = err
			return
		}
		feedBench.db = db
		feedBench.members = map[string]string{}
		for _, name := range feedMembers {
			m, err := db.MemberByUsername(ctx, name)
			if err != nil {
				feedBench.err = err
				return
			}
			feedBench.members[name] = m.ID
		}
	})
	if feedBench.err != nil {
		b.Fatalf("home feed data set: %v", feedBench.err)
	}
	return feedBench.db, feedBench.members
}

// buildFeedBench makes the benchmark's data set in a file of its own and
// moves it to path once it is complete, so that an interrupted build
// leaves nothing to be used.
func buildFeedBench(ctx context.Context, path string) error {
	building := path + ".building"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(building + suffix)
	}
	db, err := Open(ctx, building, testSite)
	if err != nil {
		return err
	}
	// Only this connection writes, and the file is thrown away if the
	// build fails: there is no need to wait for the disk.
	for _, pragma := range []string{"PRAGMA synchronous = OFF", "PRAGMA cache_size = -262144"} {
		if _, err := db.writer.ExecContext(ctx, pragma); err != nil {
			db.Close()
			return err
		}
	}
	if _, err := loadFeedData(ctx, db, benchFeedShape); err != nil {
		db.Close()
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	return os.Rename(building, path)
}

// loadFeedData fills db with a data set of the shape and returns the ids
// of feedMembers by name.
func loadFeedData(ctx context.Context, db *DB, shape feedShape) (map[string]string, error) {
	l := &feedLoader{db: db, shape: shape, rnd: rand.New(rand.NewSource(4)), members: map[string]string{}}
	l.entropy = ulid.Monotonic(l.rnd, 0)
	for _, name := range feedMembers {
		m, err := db.CreateMember(ctx, MemberCreate{Username: name, Email: name + "@example.org", Password: "correct horse"})
		if err != nil {
			return nil, err
		}
		l.members[name] = m.ID
	}
	for _, step := range []func(context.Context) error{l.loadActors, l.loadFollows, l.loadPosts, l.loadBoosts} {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	return l.members, nil
}

// feedLoader writes a data set with plain SQL in large transactions on
// the writer connection: through the public operations, one transaction a
// post, a million posts would take an hour.
type feedLoader struct {
	db      *DB
	shape   feedShape
	rnd     *rand.Rand
	entropy *ulid.MonotonicEntropy

	members map[string]string // member ids by name
	authors []string          // Person actor ids; the first quietAuthors are the quiet ones
	groups  []string          // Group actor ids
}

// id makes an id for time t, as the server does.
func (l *feedLoader) id(t time.Time) string {
	return ulid.MustNew(ulid.Timestamp(t), l.entropy).String()
}

// inBatches runs fn for i in [0, n) with query prepared, in transactions
// of batch rows.
func (l *feedLoader) inBatches(ctx context.Context, n, batch int, query string, fn func(stmt *sql.Stmt, i int) error) error {
	for from := 0; from < n; from += batch {
		tx, err := l.db.writer.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, query)
		if err != nil {
			tx.Rollback()
			return err
		}
		for i := from; i < min(n, from+batch); i++ {
			if err := fn(stmt, i); err != nil {
				tx.Rollback()
				return fmt.Errorf("row %d: %w", i, err)
			}
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// fakeKey stands in for an RSA-2048 public key: the feed reads it with the
// author, so it has the size of one.
var fakeKey = "-----BEGIN PUBLIC KEY-----\n" + strings.Repeat(strings.Repeat("A", 64)+"\n", 6) + "AQAB\n-----END PUBLIC KEY-----\n"

func (l *feedLoader) loadActors(ctx context.Context) error {
	s := l.shape
	created := feedEnd.AddDate(-2, 0, 0)
	return l.inBatches(ctx, s.authors+s.groups, 10_000, `INSERT INTO actors (id, uri, kind, username, host,
		display_name, summary, url, inbox, shared_inbox, outbox, followers_uri, following_uri, published, key_id,
		public_key_pem, fetched_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		func(stmt *sql.Stmt, i int) error {
			kind, name, path := KindPerson, fmt.Sprintf("user%d", i), "users"
			if i >= s.authors {
				kind, name, path = KindGroup, fmt.Sprintf("group%d", i-s.authors), "c"
			}
			host := fmt.Sprintf("s%d.example", l.rnd.Intn(s.hosts))
			uri := "https://" + host + "/" + path + "/" + name
			id := l.id(created.Add(time.Duration(i) * time.Second))
			ms := millis(created)
			_, err := stmt.ExecContext(ctx, id, uri, kind, name, host, "Display "+name,
				"<p>"+loremText(l.rnd, 40, 200)+"</p>", uri, uri+"/inbox", "https://"+host+"/inbox", uri+"/outbox",
				uri+"/followers", uri+"/following", ms, uri+"#main-key", fakeKey, ms, ms, ms)
			if kind == KindGroup {
				l.groups = append(l.groups, id)
			} else {
				l.authors = append(l.authors, id)
			}
			return err
		})
}

// loadFollows makes the members' follows and joins, a few pending ones
// that the feeds must leave out, and the dense member's followers.
func (l *feedLoader) loadFollows(ctx context.Context) error {
	type follow struct{ follower, followee, state string }
	var follows []follow
	add := func(follower string, from []string, n int, state string) {
		for _, i := range l.rnd.Perm(len(from))[:n] {
			follows = append(follows, follow{follower, from[i], state})
		}
	}
	s, dense := l.shape, l.members["dense"]
	quiet, regular := l.authors[:s.quietAuthors], l.authors[s.quietAuthors:]
	add(dense, l.authors, s.follows, FollowAccepted)
	add(dense, l.groups, s.joins, FollowAccepted)
	add(l.members["medium"], regular, s.mediumFollows, FollowAccepted)
	add(l.members["sparse"], quiet, s.sparseFollows, FollowAccepted)
	for _, name := range feedMembers {
		add(l.members[name], regular, 3, FollowPending)
	}
	for _, i := range l.rnd.Perm(len(l.authors))[:s.followers] {
		follows = append(follows, follow{l.authors[i], dense, FollowAccepted})
	}
	ms := millis(feedEnd.AddDate(-1, 0, 0))
	return l.inBatches(ctx, len(follows), len(follows), `INSERT INTO follows (id, follower_id, followee_id, state,
		activity_uri, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (follower_id, followee_id) DO NOTHING`,
		func(stmt *sql.Stmt, i int) error {
			f := follows[i]
			id := l.id(fromMillis(ms))
			_, err := stmt.ExecContext(ctx, id, f.follower, f.followee, f.state, testSite.ActivityURI(id), ms, ms)
			return err
		})
}

// loadPosts writes the posts oldest first, with ids made from their
// publication times.
func (l *feedLoader) loadPosts(ctx context.Context) error {
	s := l.shape
	start := feedEnd.AddDate(-1, 0, 0)
	times := make([]time.Time, s.posts)
	for i := range times {
		times[i] = start.Add(time.Duration(l.rnd.Int63n(int64(feedEnd.Sub(start)))))
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	type thread struct{ id, uri, subwiki string }
	var recent []thread // the latest posts that are not comments, to comment on
	return l.inBatches(ctx, s.posts, 50_000, `INSERT INTO posts (id, uri, author_id, local, kind, headline, link_url,
		content, url, visibility, in_reply_to, subwiki_id, parent_id, root_id, published, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		func(stmt *sql.Stmt, i int) error {
			id := l.id(times[i])
			author, local := l.authors[s.quietAuthors+l.rnd.Intn(s.authors-s.quietAuthors)], false
			switch r := l.rnd.Float64(); {
			case r < s.own:
				author, local = l.members["dense"], true
			case r < s.own+s.quiet:
				author = l.authors[l.rnd.Intn(s.quietAuthors)]
			}
			uri := fmt.Sprintf("https://s%d.example/objects/%s", l.rnd.Intn(s.hosts), id)
			if local {
				uri = testSite.PostURI(id)
			}
			kind, visibility, headline, link, inReplyTo := KindNote, Public, "", "", ""
			var subwiki, parent any
			switch r := l.rnd.Float64(); {
			case r < s.comments && len(recent) > 0:
				root := recent[l.rnd.Intn(len(recent))]
				kind, inReplyTo, parent = KindComment, root.uri, root.id
				if root.subwiki != "" {
					subwiki = root.subwiki
				}
			case r < s.comments+s.direct:
				visibility = Direct
			default:
				th := thread{id: id, uri: uri}
				if l.rnd.Float64() < s.inSubwiki/(1-s.comments-s.direct) {
					th.subwiki = l.groups[l.rnd.Intn(len(l.groups))]
					subwiki, kind, headline = th.subwiki, KindDiscussion, loremText(l.rnd, 30, 90)
					if l.rnd.Intn(3) > 0 {
						kind, link = KindNews, "https://news.example/articles/"+id
					}
				}
				switch v := l.rnd.Intn(100); {
				case v < 5:
					visibility = Unlisted
				case v < 9 && (subwiki == nil || s.followersInSubwikis):
					visibility = Followers
				}
				if recent = append(recent, th); len(recent) > 5_000 {
					recent = recent[1:]
				}
			}
			ms := millis(times[i])
			_, err := stmt.ExecContext(ctx, id, uri, author, local, kind, headline, link,
				"<p>"+loremText(l.rnd, 80, 800)+"</p>", uri, visibility, inReplyTo, subwiki, parent, parent, ms, ms)
			return err
		})
}

// loadBoosts has random authors boost random posts for everyone (not
// comments) within two days of their publication, each boost with its
// entry id, as BoostPost and React make them.
func (l *feedLoader) loadBoosts(ctx context.Context) error {
	if l.shape.boosts == 0 {
		return nil
	}
	type boostable struct {
		id        string
		published int64
	}
	var posts []boostable
	rows, err := l.db.writer.QueryContext(ctx, `SELECT id, published FROM posts
		WHERE kind <> 'comment' AND visibility IN ('public', 'unlisted') ORDER BY id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var p boostable
		if err := rows.Scan(&p.id, &p.published); err != nil {
			rows.Close()
			return err
		}
		posts = append(posts, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return l.inBatches(ctx, l.shape.boosts, 50_000, `INSERT INTO reactions (id, actor_id, post_id, kind, activity_uri, created_at)
		VALUES (?, ?, ?, 'announce', ?, ?) ON CONFLICT DO NOTHING`,
		func(stmt *sql.Stmt, i int) error {
			p := posts[l.rnd.Intn(len(posts))]
			booster := l.authors[l.rnd.Intn(len(l.authors))]
			at := fromMillis(p.published).Add(time.Duration(l.rnd.Int63n(int64(48 * time.Hour))))
			if at.After(feedEnd) {
				at = feedEnd
			}
			id := l.id(at)
			_, err := stmt.ExecContext(ctx, id, booster, p.id, "https://boosts.example/"+id, millis(at))
			return err
		})
}

const lorem = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore " +
	"et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex " +
	"ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat " +
	"nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim " +
	"id est laborum. "

// loremText returns between least and most bytes of text.
func loremText(rnd *rand.Rand, least, most int) string {
	n := least + rnd.Intn(most-least+1)
	text := strings.Repeat(lorem, n/len(lorem)+2)
	from := rnd.Intn(len(lorem))
	return strings.TrimSpace(text[from : from+n])
}
