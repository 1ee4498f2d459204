package federation

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// peer is a second real instance whose members and subwikis send
// activities to another instance's shared inbox, signed with their own
// keys. The other instance fetches their actors from the peer's routes.
type peer struct {
	*inboxTestInstance
	t    *testing.T
	next atomic.Int64
}

func newPeer(t *testing.T) *peer {
	return &peer{inboxTestInstance: newInboxTestInstance(t), t: t}
}

// member creates a member of the peer and returns its actor.
func (p *peer) member(name string) *storage.Actor {
	p.t.Helper()
	m, err := p.db.CreateMember(context.Background(), storage.MemberCreate{
		Username: name, Email: name + "@example.org", Password: "a long password",
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return p.actor(m.ID)
}

// subwiki creates a subwiki of the peer, moderated by the member.
func (p *peer) subwiki(name string, moderator *storage.Actor) *storage.Actor {
	p.t.Helper()
	s, err := p.db.CreateSubwiki(context.Background(), storage.SubwikiCreate{Name: name, Title: name}, moderator.ID)
	if err != nil {
		p.t.Fatal(err)
	}
	return p.actor(s.ID)
}

func (p *peer) actor(id string) *storage.Actor {
	p.t.Helper()
	a, err := p.db.ActorByID(context.Background(), id)
	if err != nil {
		p.t.Fatal(err)
	}
	return a
}

// id makes a fresh id on the peer for an activity or object.
func (p *peer) id(kind string) string {
	return fmt.Sprintf("%s/%s/%d", p.fed.cfg.Site.Base(), kind, p.next.Add(1))
}

// send delivers the activity to the instance's shared inbox, signed by
// the actor, and insists on 202.
func (p *peer) send(to *inboxTestInstance, as *storage.Actor, activity map[string]any) {
	p.t.Helper()
	keyID, pemText, err := p.db.SigningKey(context.Background(), as.ID)
	if err != nil {
		p.t.Fatal(err)
	}
	key, err := storage.ParsePrivateKey(pemText)
	if err != nil {
		p.t.Fatal(err)
	}
	if status, reason := to.deliver(p.t, activity, keyID, key); status != http.StatusAccepted {
		p.t.Fatalf("delivering %s %v: status %d (%s), want 202", activity["type"], activity["id"], status, reason)
	}
}

// activity is an activity of the actor on the peer, with a fresh id.
func (p *peer) activity(typ string, as *storage.Actor, object any) map[string]any {
	return map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       p.id("activities"), "type": typ, "actor": as.URI, "object": object,
	}
}

// local resolves an actor of the peer on the instance, as it would be
// once anyone there looked it up.
func (in *inboxTestInstance) local(t *testing.T, a *storage.Actor) *storage.Actor {
	t.Helper()
	got, err := in.fed.ResolveActor(context.Background(), a.URI)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// member returns the actor of a member of the instance.
func (in *inboxTestInstance) member(t *testing.T, name string) *storage.Actor {
	t.Helper()
	a, err := in.db.ActorByURI(context.Background(), in.fed.cfg.Site.ActorURI(name))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// drain lets one inbox worker handle everything that is due.
func (in *inboxTestInstance) drain(t *testing.T) {
	t.Helper()
	for range 100 {
		if !in.fed.inboxStep(context.Background(), 0) {
			return
		}
	}
	t.Fatal("the inbox worker still had work after 100 steps")
}
