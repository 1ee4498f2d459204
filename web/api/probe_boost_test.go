package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// boostScene is a booster's boost of an author's post, which a viewer
// may see; each has a token with every scope. Each scene has members of
// its own on a server the scenes share.
type boostScene struct {
	ta                      *testAPI
	author, booster, viewer *storage.Member
	post                    *storage.Post
	boost                   string // the entry id of the booster's boost of post
	tokens                  map[string]string
}

// newBoostScene makes the scene numbered n on ta.
func newBoostScene(t *testing.T, ta *testAPI, n int) *boostScene {
	t.Helper()
	ctx := context.Background()
	s := &boostScene{ta: ta, author: ta.signedUpMember(fmt.Sprintf("author%d", n)),
		booster: ta.signedUpMember(fmt.Sprintf("booster%d", n)), viewer: ta.signedUpMember(fmt.Sprintf("viewer%d", n))}
	s.post = ta.publish(s.author, "Ferries resume", "")
	if err := ta.db.BoostPost(ctx, s.booster.ID, s.post.ID); err != nil {
		t.Fatal(err)
	}
	entry, err := ta.db.MemberBoostEntry(ctx, s.booster.ID, s.post.ID)
	if err != nil {
		t.Fatal(err)
	}
	s.boost = entry.EntryID()
	s.tokens = map[string]string{}
	for role, m := range map[string]*storage.Member{"author": s.author, "booster": s.booster, "viewer": s.viewer} {
		s.tokens[role] = ta.tokenOf(m, "read write follow")
	}
	return s
}

// snapshot is what is stored of the scene's members.
func (s *boostScene) snapshot(t *testing.T) string {
	t.Helper()
	return storedState(t, s.ta.db, nil, []*storage.Member{s.author, s.booster, s.viewer}, []string{s.post.ID})
}

// remoteNote is a note for its author's followers, by an account of
// another server named for the scene.
func (s *boostScene) remoteNote(t *testing.T, followedByViewer bool) *storage.Post {
	t.Helper()
	remote := s.ta.remoteAccount("Person", "dora"+s.viewer.Username, "elsewhere.example", nil)
	if followedByViewer {
		s.ta.acceptedFollow(s.viewer, remote)
	}
	return s.ta.remoteNote(remote, "private", "followers")
}

// reblogOfAnswer is the id of the status an answer's reblog boosts.
func reblogOfAnswer(t *testing.T, body string) string {
	t.Helper()
	var s struct {
		Reblog *struct {
			ID string `json:"id"`
		} `json:"reblog"`
	}
	if err := json.Unmarshal([]byte(body), &s); err != nil || s.Reblog == nil {
		t.Fatalf("answer %.300s is not a reblog (%v)", body, err)
	}
	return s.Reblog.ID
}

// TestProbeBoosts sends the boost paths what a careless or hostile app
// sends: ids of boosts where posts go, boosts of what may not be
// boosted or seen, and others' boosts. A refusal changes nothing; a
// boost shows nobody a post beyond its audience.
func TestProbeBoosts(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// arrange changes the scene and returns the request: who sends
		// it, the method and the path.
		arrange func(t *testing.T, s *boostScene) (who, method, path string)
		status  int
		check   func(t *testing.T, s *boostScene, body string)
	}{
		{"reblog of a reblog's id boosts the post", func(t *testing.T, s *boostScene) (string, string, string) {
			return "viewer", http.MethodPost, "/api/v1/statuses/" + s.boost + "/reblog"
		}, http.StatusOK, func(t *testing.T, s *boostScene, body string) {
			if got := reblogOfAnswer(t, body); got != s.post.ID {
				t.Errorf("the reblog reblogs %s, want the post %s", got, s.post.ID)
			}
			if boosted, _ := s.ta.db.BoostedBy(ctx, s.viewer.ID, []string{s.post.ID, s.boost}); !boosted[s.post.ID] || boosted[s.boost] {
				t.Errorf("the viewer boosted %v, want the post alone", boosted)
			}
		}},
		{"unreblog of what is not boosted", func(t *testing.T, s *boostScene) (string, string, string) {
			return "viewer", http.MethodPost, "/api/v1/statuses/" + s.post.ID + "/unreblog"
		}, http.StatusOK, nil},
		{"unreblog of another's boost id takes back only one's own", func(t *testing.T, s *boostScene) (string, string, string) {
			return "viewer", http.MethodPost, "/api/v1/statuses/" + s.boost + "/unreblog"
		}, http.StatusOK, func(t *testing.T, s *boostScene, body string) {
			if boosted, _ := s.ta.db.BoostedBy(ctx, s.booster.ID, []string{s.post.ID}); !boosted[s.post.ID] {
				t.Error("the booster's boost was taken back by the viewer")
			}
		}},
		{"reblog of a comment", func(t *testing.T, s *boostScene) (string, string, string) {
			c, err := s.ta.db.Comment(ctx, storage.CommentCreate{AuthorID: s.author.ID, ParentID: s.post.ID, Text: "Good"})
			if err != nil {
				t.Fatal(err)
			}
			return "viewer", http.MethodPost, "/api/v1/statuses/" + c.ID + "/reblog"
		}, http.StatusOK, nil},
		{"reblog of a suspended member's post", func(t *testing.T, s *boostScene) (string, string, string) {
			if _, err := s.ta.db.SuspendMember(ctx, "", s.author.Username, "spam"); err != nil {
				t.Fatal(err)
			}
			return "viewer", http.MethodPost, "/api/v1/statuses/" + s.post.ID + "/reblog"
		}, http.StatusNotFound, nil},
		{"reblog of a post of an account one blocks", func(t *testing.T, s *boostScene) (string, string, string) {
			if err := s.ta.db.Block(ctx, s.viewer.ID, s.author.ID); err != nil {
				t.Fatal(err)
			}
			return "viewer", http.MethodPost, "/api/v1/statuses/" + s.post.ID + "/reblog"
		}, http.StatusNotFound, nil},
		{"reblog of a post of an account blocking one", func(t *testing.T, s *boostScene) (string, string, string) {
			if err := s.ta.db.Block(ctx, s.author.ID, s.viewer.ID); err != nil {
				t.Fatal(err)
			}
			return "viewer", http.MethodPost, "/api/v1/statuses/" + s.boost + "/reblog"
		}, http.StatusNotFound, nil},
		{"reblog of a post one may not see", func(t *testing.T, s *boostScene) (string, string, string) {
			return "viewer", http.MethodPost, "/api/v1/statuses/" + s.remoteNote(t, false).ID + "/reblog"
		}, http.StatusNotFound, nil},
		{"reblog of a post for followers only", func(t *testing.T, s *boostScene) (string, string, string) {
			return "viewer", http.MethodPost, "/api/v1/statuses/" + s.remoteNote(t, true).ID + "/reblog"
		}, http.StatusForbidden, nil},
		{"DELETE of someone else's boost id", func(t *testing.T, s *boostScene) (string, string, string) {
			return "viewer", http.MethodDelete, "/api/v1/statuses/" + s.boost
		}, http.StatusNotFound, nil},
		{"DELETE of a boost id by the boosted post's author", func(t *testing.T, s *boostScene) (string, string, string) {
			return "author", http.MethodDelete, "/api/v1/statuses/" + s.boost
		}, http.StatusNotFound, nil},
		{"DELETE of one's own boost id", func(t *testing.T, s *boostScene) (string, string, string) {
			return "booster", http.MethodDelete, "/api/v1/statuses/" + s.boost
		}, http.StatusOK, func(t *testing.T, s *boostScene, body string) {
			if got, _ := s.ta.db.PostByID(ctx, s.post.ID); got == nil || got.AnnounceCount != 0 {
				t.Errorf("after the booster deleted the boost the post is %+v, want it there, unboosted", got)
			}
		}},
		{"PUT of a boost id", func(t *testing.T, s *boostScene) (string, string, string) {
			return "booster", http.MethodPut, "/api/v1/statuses/" + s.boost
		}, http.StatusNotFound, nil},
		{"GET of a boost of a deleted post", func(t *testing.T, s *boostScene) (string, string, string) {
			if err := s.ta.db.DeletePost(ctx, s.author.ID, s.post.ID); err != nil {
				t.Fatal(err)
			}
			return "viewer", http.MethodGet, "/api/v1/statuses/" + s.boost
		}, http.StatusNotFound, nil},
		{"GET of a boost of a suspended member's post", func(t *testing.T, s *boostScene) (string, string, string) {
			if _, err := s.ta.db.SuspendMember(ctx, "", s.author.Username, "spam"); err != nil {
				t.Fatal(err)
			}
			return "viewer", http.MethodGet, "/api/v1/statuses/" + s.boost
		}, http.StatusNotFound, nil},
		{"GET of a boost by a suspended member", func(t *testing.T, s *boostScene) (string, string, string) {
			if _, err := s.ta.db.SuspendMember(ctx, "", s.booster.Username, "spam"); err != nil {
				t.Fatal(err)
			}
			return "viewer", http.MethodGet, "/api/v1/statuses/" + s.boost
		}, http.StatusNotFound, nil},
		{"GET of a boost of a post whose author blocks the viewer", func(t *testing.T, s *boostScene) (string, string, string) {
			if err := s.ta.db.Block(ctx, s.author.ID, s.viewer.ID); err != nil {
				t.Fatal(err)
			}
			return "viewer", http.MethodGet, "/api/v1/statuses/" + s.boost
		}, http.StatusNotFound, nil},
		{"GET of a boost by an account blocking the viewer", func(t *testing.T, s *boostScene) (string, string, string) {
			if err := s.ta.db.Block(ctx, s.booster.ID, s.viewer.ID); err != nil {
				t.Fatal(err)
			}
			return "viewer", http.MethodGet, "/api/v1/statuses/" + s.boost
		}, http.StatusNotFound, nil},
		{"GET of a boost by an account the viewer blocks", func(t *testing.T, s *boostScene) (string, string, string) {
			if err := s.ta.db.Block(ctx, s.viewer.ID, s.booster.ID); err != nil {
				t.Fatal(err)
			}
			return "viewer", http.MethodGet, "/api/v1/statuses/" + s.boost
		}, http.StatusNotFound, nil},
		{"favourite through a boost by an account blocking the viewer", func(t *testing.T, s *boostScene) (string, string, string) {
			if err := s.ta.db.Block(ctx, s.booster.ID, s.viewer.ID); err != nil {
				t.Fatal(err)
			}
			return "viewer", http.MethodPost, "/api/v1/statuses/" + s.boost + "/favourite"
		}, http.StatusNotFound, nil},
		{"a profile's boosts to an account the booster blocks", func(t *testing.T, s *boostScene) (string, string, string) {
			if err := s.ta.db.Block(ctx, s.booster.ID, s.viewer.ID); err != nil {
				t.Fatal(err)
			}
			return "viewer", http.MethodGet, "/api/v1/accounts/" + s.booster.ID + "/statuses"
		}, http.StatusOK, func(t *testing.T, s *boostScene, body string) {
			if body != "[]\n" {
				t.Errorf("the booster's statuses to the viewer they block = %.300s, want none", body)
			}
		}},
		{"a profile's boosts to an account blocking the booster", func(t *testing.T, s *boostScene) (string, string, string) {
			if err := s.ta.db.Block(ctx, s.viewer.ID, s.booster.ID); err != nil {
				t.Fatal(err)
			}
			return "viewer", http.MethodGet, "/api/v1/accounts/" + s.booster.ID + "/statuses"
		}, http.StatusOK, func(t *testing.T, s *boostScene, body string) {
			if body != "[]\n" {
				t.Errorf("the booster's statuses to a viewer blocking them = %.300s, want none", body)
			}
		}},
		{"reblogged_by leaves out a suspended booster", func(t *testing.T, s *boostScene) (string, string, string) {
			if _, err := s.ta.db.SuspendMember(ctx, "", s.booster.Username, "spam"); err != nil {
				t.Fatal(err)
			}
			return "viewer", http.MethodGet, "/api/v1/statuses/" + s.post.ID + "/reblogged_by"
		}, http.StatusOK, func(t *testing.T, s *boostScene, body string) {
			if body != "[]\n" {
				t.Errorf("reblogged_by = %.300s, want none: the booster is suspended", body)
			}
		}},
		{"reblogged_by of a boost of a post one may not see", func(t *testing.T, s *boostScene) (string, string, string) {
			if err := s.ta.db.Block(ctx, s.author.ID, s.viewer.ID); err != nil {
				t.Fatal(err)
			}
			return "viewer", http.MethodGet, "/api/v1/statuses/" + s.boost + "/reblogged_by"
		}, http.StatusNotFound, nil},
	}
	ta := startStatusAPI(t)
	for n, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newBoostScene(t, ta, n)
			who, method, path := tt.arrange(t, s)
			before := s.snapshot(t)
			ans := s.ta.call(method, path, "", "", s.tokens[who])
			wantJSONAnswer(t, ans, tt.status)
			if ans.Status >= 400 && s.snapshot(t) != before {
				t.Errorf("%s %s answered %d but changed what is stored", method, path, ans.Status)
			}
			if ans.Status == http.StatusNotFound && ans.Body != `{"error":"Record not found"}`+"\n" {
				t.Errorf("body %q, want Mastodon's Record not found", ans.Body)
			}
			if tt.check != nil && ans.Status == tt.status {
				tt.check(t, s, ans.Body)
			}
		})
	}
}

// TestProbeStreamedBoosts: a boost on the user stream shows only what
// the streamer may see; the next boost they may see comes next.
func TestProbeStreamedBoosts(t *testing.T) {
	ctx := context.Background()
	ta := startStatusAPI(t)
	s := newBoostScene(t, ta, 0)
	if _, err := ta.db.Follow(ctx, s.viewer.ID, s.booster.ID); err != nil {
		t.Fatal(err)
	}
	hidden := ta.publish(s.author, "Hidden from the viewer", "")
	if err := ta.db.Block(ctx, s.author.ID, s.viewer.ID); err != nil {
		t.Fatal(err)
	}
	seen := ta.publish(ta.signedUpMember("other"), "Seen", "")
	stream := ta.openStream(s.tokens["viewer"], "")
	stream.send(`{"type":"subscribe","stream":"user"}`)
	stream.syncStream()

	if err := ta.db.BoostPost(ctx, s.booster.ID, hidden.ID); err != nil {
		t.Fatal(err)
	}
	if err := ta.db.BoostPost(ctx, s.booster.ID, seen.ID); err != nil {
		t.Fatal(err)
	}
	_, event, payload := stream.nextEvent()
	var got struct {
		Reblog struct {
			ID string `json:"id"`
		} `json:"reblog"`
	}
	if err := json.Unmarshal([]byte(payload), &got); err != nil {
		t.Fatalf("payload %q: %v", payload, err)
	}
	if event != "update" || got.Reblog.ID != seen.ID {
		t.Errorf("the stream sent %s of a reblog of %s, want the reblog of %s (not of %s, whose author blocks the viewer)",
			event, got.Reblog.ID, seen.ID, hidden.ID)
	}
}
