package main

// Outgoing RFC 9421 signatures and double-knocking, checked by the
// independent Fedify peer: a peer that refuses draft-cavage makes Tidings
// knock again with RFC 9421, which Fedify verifies, and Tidings then signs
// for that peer with RFC 9421 from the first request on; a peer that signs
// with RFC 9421 first is accepted by Tidings at once.

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// peerVerifiedRequest is one request the peer served, with the scheme of
// the signature it verified ("" for none): Fedify's own check for inbox
// POSTs, Fedify's verifyRequest for signed GETs.
type peerVerifiedRequest struct {
	Method   string `json:"method"`
	Path     string `json:"path"`
	HTTPSig  string `json:"httpSignature"`
	Verified string `json:"verifiedSignature"`
	Status   int    `json:"status"`
}

func TestFedifyVerifiesTidingsRFC9421(t *testing.T) {
	findNode(t)
	inst, _ := startInteropInstance(t)
	peer := startFedifyPeer(t, "--name", "strict")
	if status, resp := peer.control(t, "refuse-scheme", map[string]any{"scheme": "draft-cavage"}); status != http.StatusOK {
		t.Fatalf("refuse draft-cavage: status %d: %s", status, resp)
	}
	bob := member(t, inst, "bob")
	bobActor := actorOf(t, inst, "bob")
	handle := "@" + peer.Handle

	// Bob follows the peer: Tidings fetches its actor, signed as the
	// instance actor, then delivers the Follow, signed as bob.
	followRemote(t, bob, handle)
	follow := interopWaitActivity(t, peer, "the peer to receive bob's Follow", "Follow", func(a peerActivity) bool {
		return a.Actor == bobActor.URI && a.ObjectID == peer.Actor
	})
	if follow.HTTPSig != "rfc9421" {
		t.Errorf("bob's Follow was signed %q, want rfc9421", follow.HTTPSig)
	}
	waitFor(t, "bob among the peer's followers", interopWait, func() bool {
		return slices.Contains(peer.followers(t), bobActor.URI)
	})
	peerHost := mustHost(t, peer.URL)
	if got, err := inst.DB.HostSignatureScheme(context.Background(), peerHost); err != nil || got != storage.SignatureRFC9421 {
		t.Errorf("Tidings remembers %q (%v) for %s, want rfc9421", got, err, peerHost)
	}

	// Bob unfollows: a second delivery, signed with RFC 9421 at once.
	remote := remoteActor(t, inst, handle)
	bob.get("/" + handle)
	wantStatus(t, bob.post("/unfollow", url.Values{"actor": {remote.ID}}), http.StatusSeeOther)
	interopWaitActivity(t, peer, "the peer to receive bob's Undo", "Undo", func(a peerActivity) bool {
		return a.Actor == bobActor.URI
	})

	// What the peer saw: Tidings knocked with draft-cavage exactly once,
	// its very first signed request, refused; every request after was
	// signed with RFC 9421, and Fedify verified each of them: signed GETs
	// (fetches of the peer's actor and documents) and both deliveries.
	var served []peerVerifiedRequest
	peer.controlJSON(t, "requests", &served)
	var signed []peerVerifiedRequest
	for _, r := range served {
		if r.HTTPSig != "" {
			signed = append(signed, r)
		}
	}
	if len(signed) < 3 {
		t.Fatalf("the peer served %d signed requests, want at least a GET and two POSTs: %+v", len(signed), served)
	}
	if first := signed[0]; first.HTTPSig != "draft-cavage" || first.Status != http.StatusUnauthorized {
		t.Errorf("first signed request %+v, want draft-cavage refused with 401", first)
	}
	gets, posts := 0, 0
	for _, r := range signed[1:] {
		if r.HTTPSig != "rfc9421" || r.Verified != "rfc9421" || r.Status/100 != 2 {
			t.Errorf("request %+v after the first knock, want signed rfc9421, verified and answered 2xx; all: %+v", r, signed)
		}
		switch r.Method {
		case http.MethodGet:
			gets++
		case http.MethodPost:
			posts++
		}
	}
	if gets == 0 || posts != 2 {
		t.Errorf("signed with RFC 9421: %d GETs and %d POSTs, want at least 1 and 2: %+v", gets, posts, signed)
	}
}

func TestTidingsAcceptsFedifyRFC9421(t *testing.T) {
	findNode(t)
	inst, log := startInteropInstance(t)
	peer := startFedifyPeer(t, "--name", "signer", "--first-knock", "rfc9421")
	member(t, inst, "alice")
	aliceActor := actorOf(t, inst, "alice")
	interopControl(t, peer, "follow", map[string]string{"target": "alice@" + inst.Config.Server.Domain})
	interopWaitActivity(t, peer, "the peer to receive alice's Accept", "Accept", func(a peerActivity) bool {
		return a.Actor == aliceActor.URI
	})
	// The Follow, signed with RFC 9421, was accepted (202) at the first knock.
	interopCheckDeliveries(t, log, "rfc9421", 1)
}

func mustHost(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}
