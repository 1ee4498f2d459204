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
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// fixtureInbox is a real Tidings federation endpoint on loopback.
type fixtureInbox struct {
	db  *storage.DB
	fed *Federator
	url string // the shared inbox
}

func newFixtureInbox(t *testing.T, db *storage.DB) *fixtureInbox {
	t.Helper()
	fed := New(db, Config{Site: fixtureSite, Version: "test", AllowPrivateAddresses: true}, slog.New(slog.DiscardHandler))
	router := mux.NewRouter()
	fed.Routes(router)
	srv := httptest.NewServer(router)
	t.Cleanup(srv.Close)
	return &fixtureInbox{db: db, fed: fed, url: srv.URL + "/inbox"}
}

// post delivers a body, signed when sign is not nil, and returns the
// status, the reason given, and how many activities were stored by it.
func (in *fixtureInbox) post(t docT, body []byte, sign func(*http.Request) error) (int, string, int) {
	t.Helper()
	before := in.pending(t)
	req, err := http.NewRequest(http.MethodPost, in.url, bytes.NewReader(body))
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if sign != nil {
		if err := sign(req); err != nil {
			t.Fatalf("sign: %v", err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("deliver: %v", err)
	}
	defer resp.Body.Close()
	reason, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(reason)), in.pending(t) - before
}

func (in *fixtureInbox) pending(t docT) int {
	t.Helper()
	n, err := in.db.PendingInbound(context.Background())
	if err != nil {
		t.Fatalf("PendingInbound: %v", err)
	}
	return n
}

// expect delivers an unsigned body that must be refused before the
// signature is looked at, storing nothing.
func (in *fixtureInbox) expect(t docT, what string, body []byte, status int) {
	t.Helper()
	got, reason, stored := in.post(t, body, nil)
	if got != status || reason == "" || stored != 0 {
		t.Errorf("%s: answered %d %q, %d stored; want %d with a reason, nothing stored", what, got, reason, stored, status)
	}
	if n := in.pending(t); n != 0 {
		t.Errorf("%s: %d activities pending in an inbox that must refuse everything", what, n)
	}
}

// deliverSigned delivers an activity signed by its actor (a stub with the
// test's key, so no key is fetched), and returns the answer and how many
// activities it stored.
func (r *fixtureRun) deliverSigned(t docT, body []byte, env envelope) (int, string, int) {
	t.Helper()
	keyID := env.Actor + "#fixture-key"
	_, err := r.accepts.db.SaveRemoteActor(r.ctx, storage.RemoteActor{URI: env.Actor, Kind: storage.KindPerson,
		Username: "sender", Inbox: env.Actor + "/inbox", KeyID: keyID, PublicKeyPEM: r.keyPEM})
	if err != nil {
		t.Fatalf("save the sender %s: %v", env.Actor, err)
	}
	return r.accepts.post(t, body, func(req *http.Request) error {
		return SignRequest(req, body, keyID, r.key, time.Now())
	})
}

// brokenDeliveries are ways of breaking a valid activity (its body, its
// JSON object, the inbox's size limit), each refused before the signature
// is checked.
var brokenDeliveries = []struct {
	name   string
	status int
	change func(body []byte, raw map[string]any, limit int64) []byte
}{
	{"truncated", http.StatusBadRequest, func(b []byte, _ map[string]any, _ int64) []byte { return b[:len(b)/2] }},
	{"in an array", http.StatusBadRequest, func(b []byte, _ map[string]any, _ int64) []byte {
		return slices.Concat([]byte("["), b, []byte("]"))
	}},
	{"followed by more JSON", http.StatusBadRequest, func(b []byte, _ map[string]any, _ int64) []byte {
		return slices.Concat(b, []byte("\n{}"))
	}},
	{"a JSON string", http.StatusBadRequest, func(_ []byte, raw map[string]any, _ int64) []byte {
		return jsonEncode(raw["type"])
	}},
	{"null", http.StatusBadRequest, func([]byte, map[string]any, int64) []byte { return []byte("null") }},
	{"without type", http.StatusBadRequest, editedCopy(func(m map[string]any) { delete(m, "type") })},
	{"with a numeric type", http.StatusBadRequest, editedCopy(func(m map[string]any) { m["type"] = 7 })},
	{"without id", http.StatusBadRequest, editedCopy(func(m map[string]any) { delete(m, "id") })},
	{"without actor", http.StatusBadRequest, editedCopy(func(m map[string]any) { delete(m, "actor") })},
	{"with two actors", http.StatusBadRequest, editedCopy(func(m map[string]any) {
		m["actor"] = []any{m["actor"], "https://elsewhere.invalid/users/mallory"}
	})},
	{"with its id on another server", http.StatusBadRequest, editedCopy(func(m map[string]any) {
		m["id"] = "https://elsewhere.invalid/activities/1"
	})},
	{"one byte over the size limit", http.StatusRequestEntityTooLarge, func(_ []byte, raw map[string]any, limit int64) []byte {
		m := maps.Clone(raw)
		m["padding"] = ""
		m["padding"] = strings.Repeat("x", max(0, int(limit)+1-len(jsonEncode(m))))
		return jsonEncode(m)
	}},
}

func editedCopy(change func(map[string]any)) func([]byte, map[string]any, int64) []byte {
	return func(_ []byte, raw map[string]any, _ int64) []byte {
		m := maps.Clone(raw)
		change(m)
		return jsonEncode(m)
	}
}

// deliverBroken delivers broken copies of a valid activity, unsigned, to
// the inbox that must stay empty.
func (r *fixtureRun) deliverBroken(t docT, name string, raw map[string]any) {
	t.Helper()
	body := jsonEncode(raw)
	for _, b := range brokenDeliveries {
		r.refuses.expect(t, b.name, b.change(body, raw, r.refuses.fed.cfg.MaxInboxBytes), b.status)
		r.tally.add(tallyBrokenCopies, fmt.Sprintf("%s: refused with %d", b.name, b.status), name)
	}
}
