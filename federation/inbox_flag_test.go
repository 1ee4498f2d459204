package federation

import (
	"bytes"
	"context"
	"path"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// flagSite is an instance that Flags of the corpus are delivered to,
// with the content they name made here: each post a Flag names becomes a
// post of alice in s/town, each account alice, each community s/town.
type flagSite struct {
	in          *inboxTestInstance
	admin, mod  *storage.Member
	alice, town *storage.Actor
}

func newFlagSite(t *testing.T) *flagSite {
	t.Helper()
	ctx := context.Background()
	in := newInboxTestInstance(t)
	admin, err := in.db.CreateMember(ctx, storage.MemberCreate{Username: "ada", Email: "ada@example.org",
		Password: "a long password", IsAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	mod, err := in.db.MemberByUsername(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	sub, err := in.db.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "town", Title: "Town"}, mod.ID)
	if err != nil {
		t.Fatal(err)
	}
	return &flagSite{in: in, admin: admin, mod: mod, alice: in.member(t, "alice"), town: in.actor(t, sub.ID)}
}

func (in *inboxTestInstance) actor(t *testing.T, id string) *storage.Actor {
	t.Helper()
	a, err := in.db.ActorByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// isAccountIRI tells the accounts a Flag names from the posts, by the
// paths Mastodon, GoToSocial, Lemmy and Mbin give them.
func isAccountIRI(iri string) bool {
	return (strings.Contains(iri, "/users/") && !strings.Contains(iri, "/statuses/")) || strings.Contains(iri, "/u/")
}

// bringHome rewrites a Flag to name content of this site: its posts, its
// account and its subwiki, made for it. It returns the new body and the
// posts and accounts (URIs) the Flag now names.
func (s *flagSite) bringHome(t *testing.T, body []byte, raw map[string]any) ([]byte, []string, []string) {
	t.Helper()
	var posts, accounts []string
	for i, iri := range jsonIRIs(raw["object"]) {
		if !isHTTPURL(iri) {
			continue // the corpus scrubbed it: nothing can be made for it
		}
		here := s.alice.URI
		if !isAccountIRI(iri) {
			p, err := s.in.db.Publish(context.Background(), storage.PostCreate{AuthorID: s.mod.ID, SubwikiID: s.town.ID,
				Kind: storage.KindDiscussion, Headline: "Flagged " + path.Base(iri), Text: "Text " + string(rune('a'+i))})
			if err != nil {
				t.Fatal(err)
			}
			here = p.URI
			posts = append(posts, here)
		} else {
			accounts = append(accounts, here)
		}
		body = bytes.ReplaceAll(body, []byte(`"`+iri+`"`), []byte(`"`+here+`"`))
	}
	for _, key := range []string{"to", "audience"} {
		for _, iri := range jsonIRIs(raw[key]) {
			if !isAccountIRI(iri) || key == "audience" {
				body = bytes.ReplaceAll(body, []byte(`"`+iri+`"`), []byte(`"`+s.town.URI+`"`))
			}
		}
	}
	return body, posts, accounts
}

// TestFlagCorpus: every Flag of the shared corpus, naming content made
// here, lands in the right queue (the subwiki's for its posts, the
// instance's for an account alone) with its reason and its items; one
// that names nothing here is passed over and stores nothing.
func TestFlagCorpus(t *testing.T) {
	root := corpusDir(t)
	var flags []fixture
	for _, fx := range readFixtures(t, root) {
		if strings.Contains(fx.name, "/activities-flag/") {
			flags = append(flags, fx)
		}
	}
	if len(flags) == 0 {
		t.Fatal("the corpus has no Flag")
	}
	for _, fx := range flags {
		t.Run(fx.name, func(t *testing.T) {
			ctx := context.Background()
			s := newFlagSite(t)
			raw := jsonObject(fx.body)
			body, posts, accounts := s.bringHome(t, fx.body, raw)
			actorURI := jsonIRI(raw["actor"])
			reporter, err := s.in.db.SaveRemoteActor(ctx, storage.RemoteActor{URI: actorURI, Kind: storage.KindPerson,
				Username: "reporter", Inbox: actorURI + "/inbox", KeyID: actorURI + "#main-key",
				PublicKeyPEM: publicPEM(t, inboxTestKeys()[0])})
			if err != nil {
				t.Fatal(err)
			}
			id := jsonString(raw["id"])
			if _, err := s.in.db.StoreInbound(ctx, id, actorURI, "Flag", "", body); err != nil {
				t.Fatal(err)
			}
			s.in.drain(t)

			reason := strings.TrimSpace(jsonString(raw["content"]))
			if reason == "" {
				reason = strings.TrimSpace(jsonString(raw["summary"]))
			}
			town, err := s.in.db.FlagQueue(ctx, s.mod.ID, s.town.ID)
			if err != nil {
				t.Fatal(err)
			}
			instance, err := s.in.db.FlagQueue(ctx, s.admin.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			want, queue, other := posts, town, instance
			if len(posts) == 0 {
				want, queue, other = accounts, instance, town
			}
			if len(other) != 0 {
				t.Errorf("the other queue has %d items, want none", len(other))
			}
			if len(queue) != len(want) {
				t.Fatalf("the queue has %d items, want %d (%v)", len(queue), len(want), want)
			}
			for i, item := range queue {
				f := item.Flags[0]
				if item.TargetURI != want[i] || len(item.Flags) != 1 || f.Comment != reason || !f.Remote ||
					f.Reporter == nil || f.Reporter.ID != reporter.ID || f.Account == nil || f.Account.ID != s.alice.ID {
					t.Errorf("item %d = %s with %+v; want %s from the reporter, reason %q, about alice", i, item.TargetURI,
						f, want[i], reason)
				}
			}
			if len(want) == 0 {
				if n := s.in.pending(t); n != 0 {
					t.Errorf("%d inbound activities still pending", n)
				}
			}
		})
	}
}
