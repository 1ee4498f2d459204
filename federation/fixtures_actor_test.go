package federation

// The fixture conformance test reads every payload of the shared corpus
// of real ActivityPub, WebFinger and NodeInfo documents (../shared/fixtures,
// described by its README.md) the way Tidings reads what other servers
// send, and checks each outcome against what the document itself says:
// an actor with an inbox and a key must be stored, one without them must
// be refused and leave nothing behind; a post's text, author, date and
// audience must come through; an activity must pass or fail the inbox's
// envelope check and be stored or ignored; a broken document must be
// answered with a 4xx and store nothing. No outcome is written down per
// file, so a regression in the reading code fails the test.

import (
	"crypto/x509"
	"encoding/pem"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// checkActor reads an actor document and stores it. What Tidings needs of
// an actor (an http(s) id, a username, an inbox, a key with a URL id and a
// PEM owned by the actor) is looked up in the document itself: with all of
// it the actor must be stored as the document says, without any of it it
// must be refused, leaving nothing stored.
func (r *fixtureRun) checkActor(t docT, fx fixture, raw map[string]any) string {
	want, missing := wantActor(raw)
	doc, _, err := decode(r.ctx, fx.body)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	db := r.freshDB(t)
	defer db.Close()
	got, parseErr := parseActor(doc, "")
	var saveErr error
	if parseErr == nil {
		_, saveErr = db.SaveRemoteActor(r.ctx, got)
	}
	if len(missing) > 0 {
		switch {
		case parseErr == nil && saveErr == nil:
			t.Errorf("the actor was stored although it has %s", strings.Join(missing, ", "))
		case storage.ErrorCode(saveErr) == storage.EInternal:
			t.Errorf("refused with an internal error: %v", saveErr)
		}
		if _, err := db.ActorByURI(r.ctx, want.URI); storage.ErrorCode(err) != storage.ENotFound {
			t.Errorf("after the refusal, ActorByURI(%q) = %v; want not found", want.URI, err)
		}
		return "refused: " + strings.Join(missing, ", ")
	}
	if parseErr != nil || saveErr != nil {
		t.Fatalf("a complete actor was refused: parse %v, save %v", parseErr, saveErr)
	}
	compareActor(t, "parseActor", got, want)
	stored, err := db.ActorByURI(r.ctx, want.URI)
	if err != nil {
		t.Fatalf("ActorByURI after saving: %v", err)
	}
	compareActor(t, "stored", storage.RemoteActor{URI: stored.URI, Kind: stored.Kind, Username: stored.Username,
		Inbox: stored.Inbox, SharedInbox: stored.SharedInbox, KeyID: stored.KeyID, PublicKeyPEM: stored.PublicKeyPEM}, want)
	if stored.Local || stored.Host != urlHost(want.URI) {
		t.Errorf("stored Local, Host = %v, %q; want false, %q", stored.Local, stored.Host, urlHost(want.URI))
	}
	if _, err := storage.ParsePublicKey(stored.PublicKeyPEM); err != nil {
		t.Errorf("the stored key is not usable: %v", err)
	}
	return "read"
}

// wantActor reads from the document what Tidings must find in it, and
// lists what it lacks among what Tidings requires.
func wantActor(raw map[string]any) (storage.RemoteActor, []string) {
	want := storage.RemoteActor{
		URI:      jsonString(raw["id"]),
		Username: jsonString(raw["preferredUsername"]),
		Inbox:    jsonString(raw["inbox"]),
	}
	for _, typ := range jsonTypes(raw["type"]) {
		if actorKinds[typ] {
			want.Kind = typ
			break
		}
	}
	if endpoints, ok := raw["endpoints"].(map[string]any); ok {
		want.SharedInbox = jsonString(endpoints["sharedInbox"])
	}
	var missing []string
	if !isHTTPURL(want.URI) {
		missing = append(missing, "an id that is not an http(s) URL")
	}
	if want.Username == "" {
		missing = append(missing, "no preferredUsername")
	}
	if !isHTTPURL(want.Inbox) {
		missing = append(missing, "no inbox")
	}
	key, _ := jsonFirst(raw["publicKey"]).(map[string]any)
	want.KeyID, want.PublicKeyPEM = jsonString(key["id"]), jsonString(key["publicKeyPem"])
	owner := jsonString(key["owner"])
	switch {
	case key == nil:
		missing = append(missing, "no publicKey")
	case !isHTTPURL(want.KeyID):
		missing = append(missing, "a key id that is not a URL")
	case !onSameHost(want.KeyID, want.URI):
		// A signature names its key; a key id on another server could
		// shadow the key of an actor there.
		missing = append(missing, "a key id on another server")
	case owner != "" && owner != want.URI:
		missing = append(missing, "a key owned by another actor")
	case strings.TrimSpace(want.PublicKeyPEM) == "":
		missing = append(missing, "a key without publicKeyPem")
	case !isPublicKeyPEM(want.PublicKeyPEM):
		missing = append(missing, "a publicKeyPem that is not a public key")
	}
	return want, missing
}

func compareActor(t docT, what string, got, want storage.RemoteActor) {
	t.Helper()
	for _, f := range []struct{ name, got, want string }{
		{"URI", got.URI, want.URI}, {"Kind", got.Kind, want.Kind}, {"Username", got.Username, want.Username},
		{"Inbox", got.Inbox, want.Inbox}, {"SharedInbox", got.SharedInbox, want.SharedInbox},
		{"KeyID", got.KeyID, want.KeyID}, {"PublicKeyPEM", got.PublicKeyPEM, want.PublicKeyPEM},
	} {
		if f.got != f.want {
			t.Errorf("%s: %s = %q; want %q", what, f.name, f.got, f.want)
		}
	}
}

// isPublicKeyPEM reports whether text is a PEM public key (PKIX or PKCS
// #1) that the standard library reads.
func isPublicKeyPEM(text string) bool {
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		return false
	}
	if _, err := x509.ParsePKIXPublicKey(block.Bytes); err == nil {
		return true
	}
	_, err := x509.ParsePKCS1PublicKey(block.Bytes)
	return err == nil
}
