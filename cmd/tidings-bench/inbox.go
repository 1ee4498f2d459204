package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tidings-social/tidings/federation"
	"github.com/tidings-social/tidings/storage"
)

// publicCollection addresses a post to everyone.
const publicCollection = "https://www.w3.org/ns/activitystreams#Public"

// createNote is a Create(Note) as Mastodon 4 sends it (about 2 KB),
// public and addressed to the member, which is what makes the instance
// keep it without anyone following the author.
func createNote(a remoteAuthor, member, id string, now time.Time) []byte {
	status := a.uri + "/statuses/" + id
	published := now.UTC().Format(time.RFC3339)
	cc := []string{a.uri + "/followers", member}
	note := map[string]any{
		"id": status, "type": "Note", "summary": nil, "inReplyTo": nil, "published": published,
		"url": status, "attributedTo": a.uri, "to": []string{publicCollection}, "cc": cc,
		"sensitive": false, "atomUri": status, "inReplyToAtomUri": nil,
		"conversation": "tag:remote.example,2026:objectId=" + id + ":objectType=Conversation",
		"content": `<p>Council approves the new tram line after a two-year review; construction starts in spring. ` +
			`<a href="https://news.example/2026/tram" rel="nofollow noopener" target="_blank">news.example/2026/tram</a></p>`,
		"contentMap": map[string]string{"en": "<p>Council approves the new tram line.</p>"},
		"attachment": []any{},
		"tag":        []any{map[string]string{"type": "Mention", "href": member}},
		"replies": map[string]any{
			"id": status + "/replies", "type": "Collection",
			"first": map[string]any{"type": "CollectionPage", "next": status + "/replies?only_other_accounts=true&page=true",
				"partOf": status + "/replies", "items": []any{}},
		},
	}
	create := map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
			map[string]any{"ostatus": "http://ostatus.org#", "atomUri": "ostatus:atomUri",
				"inReplyToAtomUri": "ostatus:inReplyToAtomUri", "conversation": "ostatus:conversation",
				"sensitive": "as:sensitive", "toot": "http://joinmastodon.org/ns#"}},
		"id": status + "/activity", "type": "Create", "actor": a.uri, "published": published,
		"to": []string{publicCollection}, "cc": cc, "object": note,
	}
	body, _ := json.Marshal(create) // maps of strings: cannot fail
	return body
}

// signedCreates makes n signed deliveries to the shared inbox, from the
// authors in turn, signing on every core. prefix keeps ids apart.
func signedCreates(in *instance, authors []remoteAuthor, prefix string, n int) ([]*wireRequest, error) {
	inbox := "http://" + in.addr + "/inbox"
	member := fmt.Sprintf("http://%s/users/%s", in.addr, in.member)
	out := make([]*wireRequest, n)
	errs := make([]error, n)
	now := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				a := authors[i%len(authors)]
				body := createNote(a, member, fmt.Sprintf("%s-%d", prefix, i), now)
				r, err := http.NewRequest(http.MethodPost, inbox, nil)
				if err != nil {
					errs[i] = err
					continue
				}
				r.Header.Set("Content-Type", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
				errs[i] = federation.SignRequest(r, body, a.keyID, a.key, now)
				out[i] = &wireRequest{method: http.MethodPost, url: inbox, header: r.Header, body: body}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("sign delivery: %w", err)
		}
	}
	return out, nil
}

// postCounter counts the authors' posts the instance keeps, through the
// storage package on the instance's database file, as the admin commands
// open it while the server runs.
type postCounter struct {
	db  *storage.DB
	ids []string
}

// openDatabase opens the instance's database for counting. It is opened
// before the server first starts: storage.Open applies the migrations the
// file lacks, and a bench built from a newer commit than the binary it
// measures must not change the schema under a running server. (Such a
// run measures the older code on the newer schema; build both from one
// commit to compare commits.)
func openDatabase(ctx context.Context, in *instance) (*storage.DB, error) {
	db, err := storage.Open(ctx, in.db, storage.Site{Scheme: "http", Domain: in.addr})
	if err != nil {
		return nil, fmt.Errorf("open the instance's database: %w", err)
	}
	return db, nil
}

// newPostCounter counts the posts of the authors, who must be known to
// the instance already.
func newPostCounter(ctx context.Context, db *storage.DB, authors []remoteAuthor) (*postCounter, error) {
	c := &postCounter{db: db}
	for _, a := range authors {
		actor, err := db.ActorByURI(ctx, a.uri)
		if err != nil {
			return nil, fmt.Errorf("author %s unknown to the instance: %w", a.uri, err)
		}
		c.ids = append(c.ids, actor.ID)
	}
	return c, nil
}

// count returns how many posts of the authors are kept.
func (c *postCounter) count(ctx context.Context) (int, error) {
	total := 0
	for _, id := range c.ids {
		n, err := c.db.CountPostsBy(ctx, storage.Stranger, id)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// waitFor waits until at least want posts are kept, and returns when
// that was first seen. It is called once the activities were all
// acknowledged, so stored: it polls the count of unprocessed inbound
// activities, which costs the measured machine little, and counts the
// posts once that is zero (an activity is marked processed in the commit
// that keeps its post). Counting the posts of every author at each poll
// took a seventh of a core from the server under test.
func (c *postCounter) waitFor(ctx context.Context, want int, timeout time.Duration) (time.Time, error) {
	deadline := time.Now().Add(timeout)
	for {
		pending, err := c.db.PendingInbound(ctx)
		if err != nil {
			return time.Time{}, err
		}
		if pending == 0 {
			seen := time.Now()
			n, err := c.count(ctx)
			if err != nil {
				return time.Time{}, err
			}
			if n >= want {
				return seen, nil
			}
			if time.Now().After(deadline) {
				return time.Time{}, fmt.Errorf("%d of %d posts kept after %s, nothing left to process", n, want, timeout)
			}
		} else if time.Now().After(deadline) {
			return time.Time{}, fmt.Errorf("%d activities left to process after %s", pending, timeout)
		}
		select {
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// inboxPhase introduces the authors with one delivery each (the instance
// fetches their keys then, outside the timed part), then floods the
// shared inbox with n signed Creates from conns connections. It returns
// the rows for accepting (202) and for processing into posts, timed from
// the first request until the last post is kept.
func inboxPhase(ctx context.Context, in *instance, db *storage.DB, authors []remoteAuthor, n, conns int, timeout time.Duration) ([]phaseResult, error) {
	warm, err := signedCreates(in, authors, "warm", len(authors))
	if err != nil {
		return nil, err
	}
	if res := flood(ctx, warm, len(warm), min(conns, len(warm))); res.statuses[http.StatusAccepted] != len(warm) {
		return nil, fmt.Errorf("introducing the authors: answers %v, %d failed (%v); see %s/serve.log",
			res.statuses, res.failures, res.firstErr, in.dir)
	}
	counter, err := newPostCounter(ctx, db, authors)
	if err != nil {
		return nil, err
	}
	if _, err := counter.waitFor(ctx, len(authors), timeout); err != nil {
		return nil, fmt.Errorf("introducing the authors: %w", err)
	}
	reqs, err := signedCreates(in, authors, "flood", n)
	if err != nil {
		return nil, err
	}

	before, err := readUsage(in.pid())
	if err != nil {
		return nil, err
	}
	peak := watchPeak(in.pid())
	res := flood(ctx, reqs, n, conns)
	accepted, err := readUsage(in.pid())
	if err != nil {
		peak.end(accepted)
		return nil, err
	}
	done, err := counter.waitFor(ctx, len(authors)+res.statuses[http.StatusAccepted], timeout)
	if err != nil {
		peak.end(accepted)
		return nil, fmt.Errorf("processing: %w", err)
	}
	processed, err := readUsage(in.pid())
	processed = peak.end(processed)
	if err != nil {
		return nil, err
	}
	rows := []phaseResult{measured("inbox accepted (202)", res, http.StatusAccepted, before, accepted)}
	end := phaseResult{Phase: "inbox processed end to end", Requests: n, OK: res.statuses[http.StatusAccepted],
		WallS: done.Sub(res.began).Seconds()}
	end.PerSecond = float64(end.OK) / end.WallS
	end.setUsage(n, before, processed)
	return append(rows, end), nil
}
