package main

// End-to-end interoperability between real Tidings instances and the
// independent Fedify peer (testdata/fedify-peer): Fedify follows a
// member and hears her posts, likes, profile edits and deletions; a
// member follows Fedify and sees its posts, edits and deletions; and
// Tidings' inbox refuses unsigned and forged deliveries.

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidings-social/tidings/federation"
	"github.com/tidings-social/tidings/storage"
)

// interopWait bounds every wait for something to travel between servers.
const interopWait = 15 * time.Second

// interopServed is one request a recorded instance answered: the HTTP
// signature scheme it carried, told from its headers as the Fedify peer
// tells them ("rfc9421" when it has Signature-Input, "draft-cavage"
// when it has Signature alone, "" for none), the status, and for a
// refusal the start of the reason.
type interopServed struct {
	Method, Path, HTTPSig string
	Status                int
	Reason                string
}

// interopLog is what the recording front of an instance saw.
type interopLog struct {
	mu   sync.Mutex
	list []interopServed
}

func (l *interopLog) add(s interopServed) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = append(l.list, s)
}

// inboxPosts returns the POSTs to any inbox of the instance, oldest
// first.
func (l *interopLog) inboxPosts() []interopServed {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []interopServed
	for _, s := range l.list {
		if s.Method == http.MethodPost && (s.Path == "/inbox" || strings.HasSuffix(s.Path, "/inbox")) {
			out = append(out, s)
		}
	}
	return out
}

// interopRecorder keeps the status and the start of a refusal's body.
type interopRecorder struct {
	http.ResponseWriter
	status int
	reason bytes.Buffer
}

func (w *interopRecorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *interopRecorder) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.status >= 400 && w.reason.Len() < 300 {
		w.reason.Write(p)
	}
	return w.ResponseWriter.Write(p)
}

// interopSigScheme tells which HTTP signature spec a request carries,
// as peer.mjs does.
func interopSigScheme(h http.Header) string {
	switch {
	case h.Get("Signature-Input") != "":
		return "rfc9421"
	case h.Get("Signature") != "":
		return "draft-cavage"
	}
	return ""
}

// startInteropInstance starts a federating Tidings instance behind a
// transparent recording front: the instance's domain is the front's
// address, and the front passes every request on unchanged (same Host,
// no X-Forwarded-For) and records what signature scheme it carried and
// how Tidings answered. Tidings cannot tell which scheme a delivery
// used, and the Fedify peer records only what it receives, so this is
// where the scheme of the peer's deliveries to Tidings is observed.
func startInteropInstance(t *testing.T) (*instance, *interopLog) {
	t.Helper()
	front, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	back, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		front.Close()
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Server.Domain = front.Addr().String()
	cfg.Server.Listen = back.Addr().String()
	cfg.Storage.Path = filepath.Join(t.TempDir(), "tidings.db")
	federating(&cfg)
	m := &Main{Config: cfg, Listener: back}
	if err := m.Run(context.Background()); err != nil {
		front.Close()
		back.Close()
		t.Fatalf("run instance: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close instance: %v", err)
		}
	})
	log := &interopLog{}
	backAddr := back.Addr().String()
	proxy := &httputil.ReverseProxy{Director: func(r *http.Request) {
		r.URL.Scheme, r.URL.Host = "http", backAddr // r.Host, the signed host, stays
		r.Header["X-Forwarded-For"] = nil           // nil: the proxy adds none
	}}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &interopRecorder{ResponseWriter: w}
		scheme := interopSigScheme(r.Header)
		proxy.ServeHTTP(rw, r)
		log.add(interopServed{Method: r.Method, Path: r.URL.Path, HTTPSig: scheme, Status: rw.status,
			Reason: strings.TrimSpace(rw.reason.String())})
	})}
	go srv.Serve(front)
	t.Cleanup(func() { srv.Close() }) // runs before the instance closes
	return &instance{Main: m, URL: "http://" + front.Addr().String()}, log
}

// interopCheckDeliveries fails the test unless the peer's deliveries to
// Tidings' inboxes (want of them at least) were all signed with the
// scheme the peer knocks with first and all accepted (202) at that
// first knock. A refusal means Fedify had to fall back to the other
// scheme ("double-knocking").
func interopCheckDeliveries(t *testing.T, log *interopLog, knock string, want int) {
	t.Helper()
	posts := log.inboxPosts()
	if len(posts) < want {
		t.Errorf("Tidings served %d inbox POSTs, want at least %d: %+v", len(posts), want, posts)
	}
	for _, s := range posts {
		if s.HTTPSig != knock || s.Status != http.StatusAccepted {
			t.Errorf("Tidings answered a delivery signed %q to %s with %d %q; want every delivery signed %s (the peer's first knock) and answered 202; all inbox POSTs: %+v",
				s.HTTPSig, s.Path, s.Status, s.Reason, knock, posts)
			return
		}
	}
}

// interopGetJSON fetches uri as ActivityPub JSON, unsigned, and
// decodes it into v; it returns the status.
func interopGetJSON(t *testing.T, uri string, v any) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, uri, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/activity+json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", uri, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode == http.StatusOK && v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("GET %s: %v: %s", uri, err, body)
		}
	}
	return res.StatusCode
}

// interopControl makes a control call of the peer that must answer 202.
func interopControl(t *testing.T, p *fedifyPeer, path string, body any) []byte {
	t.Helper()
	status, resp := p.control(t, path, body)
	if status != http.StatusAccepted {
		t.Fatalf("peer %s %s %v: status %d: %s", p.Handle, path, body, status, resp)
	}
	return resp
}

// interopWaitActivity waits until the peer received an activity of the type
// for which match holds, and returns it.
func interopWaitActivity(t *testing.T, p *fedifyPeer, what, typ string, match func(peerActivity) bool) peerActivity {
	t.Helper()
	var got peerActivity
	waitFor(t, what, interopWait, func() bool {
		var ok bool
		got, ok = findActivity(p.inbox(t, typ), match)
		return ok
	})
	return got
}

func TestFedifyPeerFollowsTidingsMember(t *testing.T) {
	findNode(t)
	for _, knock := range []string{"rfc9421", "draft-cavage"} {
		t.Run(knock, func(t *testing.T) {
			inst, log := startInteropInstance(t)
			peer := startFedifyPeer(t, "--name", "reader", "--first-knock", knock)
			ctx := context.Background()
			alice := member(t, inst, "alice")
			aliceActor := actorOf(t, inst, "alice")
			domain := inst.Config.Server.Domain

			// The peer follows alice by handle: WebFinger, her actor, then a
			// Follow, which Tidings accepts at once with a signed Accept.
			interopControl(t, peer, "follow", map[string]string{"target": "alice@" + domain})
			accept := interopWaitActivity(t, peer, "the peer to receive alice's Accept", "Accept", func(a peerActivity) bool {
				return a.Actor == aliceActor.URI
			})
			if accept.HTTPSig != "draft-cavage" {
				t.Errorf("alice's Accept was signed %q; Tidings signs draft-cavage", accept.HTTPSig)
			}
			waitFor(t, "the peer's follow of alice to be accepted", interopWait, func() bool {
				return slices.Contains(peer.following(t), peerFollowing{Actor: aliceActor.URI, State: "accepted"})
			})
			waitFor(t, "the peer among alice's followers on Tidings", interopWait, func() bool {
				return followersOf(t, inst, "alice") == 1
			})
			wantBody(t, alice.get("/@alice/followers"), "@"+peer.Handle)

			// Alice posts through the form; the peer, a follower, gets the
			// Create, and Fedify verified Tidings' draft-cavage signature.
			const text = "Flood warning for the lower valley"
			alice.get("/")
			wantStatus(t, alice.post("/compose", url.Values{"kind": {"discussion"}, "headline": {text + " tonight."},
				"text": {"Move cars to higher ground."}, "action": {"publish"}}), http.StatusSeeOther)
			post := latestPost(t, inst, "alice")
			create := interopWaitActivity(t, peer, "the peer to receive alice's Create", "Create", func(a peerActivity) bool {
				return a.ObjectID == post.URI
			})
			if create.Actor != aliceActor.URI || create.ObjectType != "Note" || !strings.Contains(create.Content, text) {
				t.Errorf("the peer got Create %+v; want actor %s and a Note containing %q", create, aliceActor.URI, text)
			}
			if create.ID != post.URI+"/activity" {
				t.Errorf("the Create's id is %s, want %s/activity", create.ID, post.URI)
			}
			if create.HTTPSig != "draft-cavage" {
				t.Errorf("the Create was signed %q; Tidings signs draft-cavage", create.HTTPSig)
			}

			// The note can be dereferenced at its id.
			var note struct{ ID, Type, Content, AttributedTo string }
			if status := interopGetJSON(t, post.URI, &note); status != http.StatusOK ||
				note.ID != post.URI || note.Type != "Note" || note.AttributedTo != aliceActor.URI || !strings.Contains(note.Content, text) {
				t.Errorf("GET %s: status %d, %+v", post.URI, status, note)
			}

			// The peer likes it (Fedify looks the note up, then sends a Like
			// to its author); Tidings counts it.
			interopControl(t, peer, "like", map[string]string{"object": post.URI})
			waitFor(t, "the like counted on Tidings", interopWait, func() bool {
				p, err := inst.DB.PostByID(ctx, post.ID)
				return err == nil && p.LikeCount == 1
			})
			wantBody(t, alice.get("/@alice"), "♥ 1")

			// Alice renames herself; the peer gets Update(Person).
			alice.get("/settings/profile")
			wantStatus(t, alice.post("/settings/profile", url.Values{"display_name": {"Alice Correspondent"}, "bio": {"Rivers and floods."}}), http.StatusSeeOther)
			interopWaitActivity(t, peer, "the peer to receive alice's Update with her new name", "Update", func(a peerActivity) bool {
				return a.Actor == aliceActor.URI && a.ObjectID == aliceActor.URI && a.Name == "Alice Correspondent"
			})

			// Alice deletes the post; the peer gets the Delete.
			alice.get("/@alice")
			wantStatus(t, alice.post("/posts/"+post.ID+"/delete", nil), http.StatusSeeOther)
			interopWaitActivity(t, peer, "the peer to receive the Delete of the post", "Delete", func(a peerActivity) bool {
				return a.Actor == aliceActor.URI && a.ObjectID == post.URI
			})
			if status := interopGetJSON(t, post.URI, nil); status != http.StatusGone {
				t.Errorf("GET %s after the delete: status %d, want 410", post.URI, status)
			}

			// The peer unfollows; Tidings forgets it as a follower.
			interopControl(t, peer, "unfollow", map[string]string{"target": aliceActor.URI})
			waitFor(t, "alice to have no followers on Tidings", interopWait, func() bool {
				return followersOf(t, inst, "alice") == 0
			})

			// The peer delivered Follow, Like and Undo to Tidings, each
			// signed with the scheme it tries first, and Tidings accepted
			// each at the first knock.
			interopCheckDeliveries(t, log, knock, 3)
		})
	}
}

func TestTidingsMemberFollowsFedifyPeer(t *testing.T) {
	findNode(t)
	for _, knock := range []string{"rfc9421", "draft-cavage"} {
		t.Run(knock, func(t *testing.T) {
			inst, log := startInteropInstance(t)
			peer := startFedifyPeer(t, "--name", "wire", "--first-knock", knock)
			ctx := context.Background()
			bob := member(t, inst, "bob")
			member(t, inst, "alice")
			bobActor, aliceActor := actorOf(t, inst, "bob"), actorOf(t, inst, "alice")
			handle := "@" + peer.Handle

			// Bob finds the peer by handle and follows; Fedify verified the
			// Follow's signature (else it would not be recorded) and accepts.
			followRemote(t, bob, handle)
			follow := interopWaitActivity(t, peer, "the peer to receive bob's Follow", "Follow", func(a peerActivity) bool {
				return a.Actor == bobActor.URI && a.ObjectID == peer.Actor
			})
			if follow.HTTPSig != "draft-cavage" {
				t.Errorf("bob's Follow was signed %q; Tidings signs draft-cavage", follow.HTTPSig)
			}
			waitFor(t, "bob among the peer's followers", interopWait, func() bool {
				return slices.Contains(peer.followers(t), bobActor.URI)
			})
			remote := remoteActor(t, inst, handle)
			if remote.URI != peer.Actor {
				t.Fatalf("Tidings resolved %s to %s, want %s", handle, remote.URI, peer.Actor)
			}
			waitFor(t, "bob's follow of the peer accepted on Tidings", interopWait, func() bool {
				f, err := inst.DB.FollowBetween(ctx, bobActor.ID, remote.ID)
				return err == nil && f != nil && f.State == storage.FollowAccepted
			})

			// The peer posts; the note reaches bob's home feed.
			const text = "Dispatch from the Fedify wire"
			noteID := peer.post(t, map[string]any{"content": "<p>" + text + ", <strong>verified</strong>.</p>"})
			waitFor(t, "the peer's note in bob's home feed", interopWait, func() bool {
				return strings.Contains(bob.get("/").Body, text)
			})
			stored, err := inst.DB.PostByURI(ctx, noteID)
			if err != nil {
				t.Fatalf("the peer's note %s is not stored: %v", noteID, err)
			}
			if stored.AuthorID != remote.ID || stored.Local || stored.Visibility != storage.Public || !strings.Contains(stored.Content, "<strong>verified</strong>") {
				t.Errorf("stored note %+v; want a public remote post by %s keeping its HTML", stored, remote.ID)
			}

			// The peer renames itself; Tidings' copy of it follows.
			interopControl(t, peer, "update-profile", map[string]string{"name": "Wire Service"})
			waitFor(t, "the peer's new name on Tidings", interopWait, func() bool {
				return remoteActor(t, inst, handle).DisplayName == "Wire Service"
			})

			// The peer deletes the note; it leaves bob's feed.
			interopControl(t, peer, "delete", map[string]string{"object": noteID})
			waitFor(t, "the deleted note gone from bob's feed", interopWait, func() bool {
				return !strings.Contains(bob.get("/").Body, text)
			})
			if _, err := inst.DB.PostByURI(ctx, noteID); storage.ErrorCode(err) != storage.ENotFound {
				t.Errorf("PostByURI(%s) after the Delete: %v; want not found", noteID, err)
			}

			// Bob unfollows; the peer gets Undo(Follow) and drops him.
			bob.get("/" + handle)
			wantStatus(t, bob.post("/unfollow", url.Values{"actor": {remote.ID}}), http.StatusSeeOther)
			undo := interopWaitActivity(t, peer, "the peer to receive bob's Undo", "Undo", func(a peerActivity) bool {
				return a.Actor == bobActor.URI
			})
			if undo.ObjectType != "Follow" && undo.ObjectID != follow.ID {
				t.Errorf("bob's Undo %+v does not undo his Follow %s", undo, follow.ID)
			}
			waitFor(t, "bob gone from the peer's followers", interopWait, func() bool {
				return !slices.Contains(peer.followers(t), bobActor.URI)
			})
			if f, err := inst.DB.FollowBetween(ctx, bobActor.ID, remote.ID); err != nil || f != nil {
				t.Errorf("bob's follow of the peer after unfollowing: %+v, %v; want none", f, err)
			}

			// Now nobody here follows the peer. It mentions alice, who
			// does not follow it: the post is kept only because it is
			// addressed to a member here.
			mentionID := peer.post(t, map[string]any{"content": "<p>@alice a tip for you</p>", "mention": aliceActor.URI})
			waitFor(t, "the mention of alice kept on Tidings", interopWait, func() bool {
				p, err := inst.DB.PostByURI(ctx, mentionID)
				return err == nil && p.AuthorID == remote.ID
			})

			// Accept, Create, Update, Delete and the mention's Create were
			// each signed with the peer's first knock and accepted by
			// Tidings at once.
			interopCheckDeliveries(t, log, knock, 5)
		})
	}
}

// interopFakeActor is an ActivityPub actor on an httptest server on loopback
// whose private key the test holds, to sign deliveries by hand.
type interopFakeActor struct {
	URI, KeyID string
	Key        *rsa.PrivateKey
}

func startInteropFakeActor(t *testing.T) *interopFakeActor {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pemText := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	a := &interopFakeActor{Key: key}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost: // deliveries, such as an Accept
			io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusAccepted)
		case r.URL.Path == "/users/mallory":
			w.Header().Set("Content-Type", "application/activity+json")
			json.NewEncoder(w).Encode(map[string]any{
				"@context":          []string{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
				"id":                a.URI,
				"type":              "Person",
				"preferredUsername": "mallory",
				"inbox":             a.URI + "/inbox",
				"outbox":            a.URI + "/outbox",
				"followers":         a.URI + "/followers",
				"publicKey":         map[string]string{"id": a.KeyID, "owner": a.URI, "publicKeyPem": pemText},
			})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	a.URI = srv.URL + "/users/mallory"
	a.KeyID = a.URI + "#main-key"
	return a
}

// deliver POSTs an activity to an inbox, signed by signer when it is not
// nil, and returns the status and the reason given.
func interopDeliver(t *testing.T, inbox string, body []byte, sign func(*http.Request) error) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if sign != nil {
		if err := sign(req); err != nil {
			t.Fatal(err)
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", inbox, err)
	}
	defer res.Body.Close()
	reason, _ := io.ReadAll(res.Body)
	return res.StatusCode, strings.TrimSpace(string(reason))
}

func TestInboxRefusesUnsignedAndForged(t *testing.T) {
	findNode(t)
	inst := startInstance(t, federating)
	peer := startFedifyPeer(t, "--name", "victim")
	member(t, inst, "alice")
	aliceActor := actorOf(t, inst, "alice")
	mallory := startInteropFakeActor(t)
	inbox := inst.URL + "/inbox"
	followBy := func(actor, id string) []byte {
		return []byte(fmt.Sprintf(`{"@context":"https://www.w3.org/ns/activitystreams","type":"Follow","id":%q,"actor":%q,"object":%q}`,
			id, actor, aliceActor.URI))
	}
	signAsMallory := func(body []byte) func(*http.Request) error {
		return func(r *http.Request) error {
			return federation.SignRequest(r, body, mallory.KeyID, mallory.Key, time.Now())
		}
	}

	// An unsigned Follow in the peer's name.
	forgedByPeer := followBy(peer.Actor, peer.URL+"/activities/forged-1")
	if status, reason := interopDeliver(t, inbox, forgedByPeer, nil); status != http.StatusUnauthorized || reason == "" {
		t.Errorf("unsigned delivery: %d %q; want 401 with a reason", status, reason)
	}

	// A Follow in the peer's name, correctly signed, but with mallory's key.
	forgedByPeer = followBy(peer.Actor, peer.URL+"/activities/forged-2")
	status, reason := interopDeliver(t, inbox, forgedByPeer, signAsMallory(forgedByPeer))
	if status != http.StatusUnauthorized || !strings.Contains(reason, mallory.URI) || !strings.Contains(reason, peer.Actor) {
		t.Errorf("delivery in the peer's name signed by mallory's key: %d %q; want 401 naming the key's owner and the claimed actor", status, reason)
	}

	// Mallory's own Follow, signed, but the body changed after signing.
	own := followBy(mallory.URI, strings.TrimSuffix(mallory.URI, "/users/mallory")+"/activities/1")
	tampered := bytes.Replace(own, []byte(`"Follow"`), []byte(`"Follow" `), 1)
	if status, reason := interopDeliver(t, inbox, tampered, signAsMallory(own)); status != http.StatusUnauthorized || !strings.Contains(reason, "digest") {
		t.Errorf("delivery whose body does not match its digest: %d %q; want 401 about the digest", status, reason)
	}

	// Mallory's own Follow, as signed: accepted, so the refusals above
	// were about the signatures and not about the activity.
	if status, reason := interopDeliver(t, inbox, own, signAsMallory(own)); status != http.StatusAccepted {
		t.Fatalf("mallory's own signed Follow: %d %q; want 202", status, reason)
	}
	waitFor(t, "mallory to follow alice", interopWait, func() bool { return followersOf(t, inst, "alice") == 1 })
	if _, err := inst.DB.ActorByURI(context.Background(), peer.Actor); storage.ErrorCode(err) != storage.ENotFound {
		t.Errorf("Tidings knows the peer, in whose name only forged deliveries came: %v", err)
	}
	if n := len(peer.following(t)); n != 0 {
		t.Errorf("the peer follows %d actors; it never asked to", n)
	}
}
