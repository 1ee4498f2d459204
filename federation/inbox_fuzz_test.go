package federation

// FuzzInboxActivity delivers each input to a real inbox, signed by the
// activity's actor, and runs what the inbox stored through the inbox
// worker's own step (claim, handle with panics caught, record the
// outcome), then checks the records left behind and that nothing was
// logged as an error. Nothing leaves the process: the client's dialer refuses
// every address, so an activity that needs a remote document meets an
// unreachable server, as it may in production.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// inboxFuzzDelivery is one input delivered to a fresh copy of the instance.
type inboxFuzzDelivery struct {
	instance *fuzzInstance
	db       *storage.DB
	fed      *Federator
	router   *mux.Router
	body     []byte
	sender   string   // the activity's actor, when the envelope names one
	errors   []string // what the federator logged as errors
}

// open is the delivery of one input to a fresh copy of the instance.
func (inst *fuzzInstance) open(t *testing.T, input []byte) *inboxFuzzDelivery {
	t.Helper()
	d := &inboxFuzzDelivery{instance: inst, db: inst.db.open(t),
		body: bytes.ReplaceAll(input, []byte(fuzzPostToken), []byte(inst.localPost))}
	d.fed = New(d.db, Config{Site: fixtureSite, Version: "fuzz"}, slog.New(errorLog{&d.errors}))
	offline(d.fed)
	d.router = mux.NewRouter()
	d.fed.Routes(d.router)
	return d
}

// deliver posts the body to the shared inbox, signed with the instance's
// key as the actor the envelope names; that actor is first stored with
// the key, as if fetched (an actor that cannot be stored, such as one of
// this instance, is left to the inbox to refuse).
func (d *inboxFuzzDelivery) deliver(t *testing.T) *httptest.ResponseRecorder {
	t.Helper()
	ctx := context.Background()
	keyID := "https://nobody.example/actor#main-key"
	var raw map[string]any
	if json.Unmarshal(d.body, &raw) == nil {
		if env, err := readEnvelope(raw); err == nil {
			d.sender, keyID = env.Actor, env.Actor+"#main-key"
			if _, err := d.db.ActorByURI(ctx, env.Actor); storage.ErrorCode(err) == storage.ENotFound {
				d.db.SaveRemoteActor(ctx, d.instance.stubActor(env.Actor, storage.KindPerson, "sender"))
			}
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/inbox", bytes.NewReader(d.body))
	req.Host = fixtureSite.Domain
	req.Header.Set("Content-Type", "application/activity+json")
	signEd25519(t, req, d.body, keyID, d.instance.key, d.fed.now())
	rec := httptest.NewRecorder()
	d.router.ServeHTTP(rec, req)
	return rec
}

// signEd25519 signs a request as draft-cavage hs2019 with an Ed25519 key,
// which is a hundred times quicker than RSA.
func signEd25519(t *testing.T, r *http.Request, body []byte, keyID string, key ed25519.PrivateKey, now time.Time) {
	t.Helper()
	r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	r.Header.Set("Digest", digestHeaderOf(body))
	sig := cavageSignature{keyID: keyID, algorithm: "hs2019", headers: []string{"(request-target)", "host", "date", "digest"}}
	msg, err := sig.signingString(nil, r, true)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Signature", `keyId="`+strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(keyID)+
		`",algorithm="hs2019",headers="(request-target) host date digest",signature="`+
		base64.StdEncoding.EncodeToString(ed25519.Sign(key, msg))+`"`)
}

// work does what an inbox worker does until nothing is due: claim the
// next activity, handle it (a panic caught and logged), record the outcome.
func (d *inboxFuzzDelivery) work() {
	for d.fed.inboxStep(context.Background(), 0) {
	}
}

// errorLog keeps what the federator logs at level Error: a panic the
// worker caught, a failure to store or to record an outcome. No input may
// cause one.
type errorLog struct{ records *[]string }

func (h errorLog) Enabled(_ context.Context, level slog.Level) bool { return level >= slog.LevelError }

func (h errorLog) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, "\n%s: %v", a.Key, a.Value)
		return true
	})
	*h.records = append(*h.records, b.String())
	return nil
}

func (h errorLog) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h errorLog) WithGroup(string) slog.Handler      { return h }

func FuzzInboxActivity(f *testing.F) {
	for _, seed := range []string{
		`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://mastodon.example/users/carol/statuses/2/activity","type":"Create","actor":"https://mastodon.example/users/carol","to":["https://www.w3.org/ns/activitystreams#Public"],"object":{"id":"https://mastodon.example/users/carol/statuses/2","type":"Note","attributedTo":"https://mastodon.example/users/carol","content":"<p>Hello <a href=\"https://tidings.test/@alice\" class=\"u-url mention\">@alice</a></p>","published":"2026-11-22T09:00:00Z","to":["https://www.w3.org/ns/activitystreams#Public"],"tag":[{"type":"Mention","href":"https://tidings.test/users/alice","name":"@alice@tidings.test"}]}}`,
		`{"id":"https://lemmy.example/activities/announce/1","type":"Announce","actor":"https://lemmy.example/c/news","to":["https://www.w3.org/ns/activitystreams#Public"],"object":{"id":"https://lemmy.example/activities/create/1","type":"Create","actor":"https://lemmy.example/u/dave","object":{"id":"https://lemmy.example/post/2","type":"Page","attributedTo":"https://lemmy.example/u/dave","name":"Harbour reopens","attachment":[{"type":"Link","href":"https://harbour.example/reopens"}],"audience":"https://lemmy.example/c/news","to":["https://lemmy.example/c/news","https://www.w3.org/ns/activitystreams#Public"]}}}`,
		`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://gts.example/users/erin/follow/01J","type":"Follow","actor":"https://gts.example/users/erin","object":"https://tidings.test/users/alice"}`,
		`{"id":"https://mastodon.example/users/carol#likes/1","type":"Like","actor":"https://mastodon.example/users/carol","object":"{{post}}"}`,
		`{"id":"https://b.example/activities/01JDY","type":"Offer","actor":"https://b.example/users/bob","object":{"id":"{{post}}","type":"Page","name":"Glacier retreat doubles in a decade","headlineRevision":1},"target":"{{post}}","summary":"The survey covers ten years."}`,
		`{"id":"https://lemmy.example/activities/lock/1","type":"Announce","actor":"https://lemmy.example/c/news","object":{"id":"https://lemmy.example/activities/lock/2","type":"Lock","actor":"https://lemmy.example/u/dave","object":"https://lemmy.example/post/1","summary":"Settled"}}`,
	} {
		f.Add([]byte(seed))
	}
	instance := newFuzzInstance(f)
	f.Fuzz(func(t *testing.T, input []byte) {
		d := instance.open(t, input)
		rec := d.deliver(t)
		pending, err := d.db.PendingInbound(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		switch status := rec.Code; {
		case status == http.StatusAccepted:
		case status == http.StatusBadRequest, status == http.StatusUnauthorized, status == http.StatusRequestEntityTooLarge:
			if strings.TrimSpace(rec.Body.String()) == "" {
				t.Errorf("status %d without a reason", status)
			}
			if pending != 0 {
				t.Errorf("status %d, yet %d activities were stored", status, pending)
			}
		default:
			t.Fatalf("status %d (%s), want 202 or a 4xx", status, rec.Body)
		}
		d.work()
		for _, e := range d.errors {
			t.Errorf("logged as an error: %s", e)
		}
		d.checkRecords(t)
	})
}

// checkRecords checks what processing left: posts and actors fit to
// store, and no activity changing what its actor has no right to.
func (d *inboxFuzzDelivery) checkRecords(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	seen := map[string]bool{}
	for _, uri := range append(jsonStrings(d.body, 1000), fuzzCarolPost, fuzzDavePost, d.instance.localPost) {
		if seen[uri] {
			continue
		}
		seen[uri] = true
		p, err := d.db.PostByURI(ctx, uri)
		if storage.ErrorCode(err) == storage.ENotFound {
			continue
		}
		if err != nil {
			t.Fatalf("PostByURI(%q): %v", uri, err)
		}
		checkPostRecord(t, d.db, p)
	}
	d.checkOthersPosts(t)
	if d.sender == "" {
		return
	}
	if a, err := d.db.ActorByURI(ctx, d.sender); err == nil && !a.Local {
		checkActorRecord(t, a)
	}
}

// checkOthersPosts: the posts the instance starts with change only by an
// activity of their author or (for one in a remote group) of the group,
// and the local post never by another server.
func (d *inboxFuzzDelivery) checkOthersPosts(t *testing.T) {
	t.Helper()
	for uri, mayChange := range map[string][]string{
		fuzzCarolPost: {fuzzCarol}, fuzzDavePost: {fuzzDave, fuzzGroup}, d.instance.localPost: nil,
	} {
		if slices.Contains(mayChange, d.sender) {
			continue
		}
		p, err := d.db.PostByURI(context.Background(), uri)
		if err != nil {
			t.Errorf("%s of another actor is gone after an activity of %s: %v", uri, d.sender, err)
			continue
		}
		was := d.instance.before[uri]
		if p.AuthorID != was.AuthorID || p.Content != was.Content || p.URL != was.URL || p.Local != was.Local {
			t.Errorf("an activity of %s changed %s:\n got %+v\nwant %+v", d.sender, uri, p, was)
		}
		if uri != d.instance.localPost && p.Headline != was.Headline {
			t.Errorf("an activity of %s changed the headline of %s to %q", d.sender, uri, p.Headline)
		}
	}
}

// jsonStrings lists up to limit string values of a JSON document, at any
// depth, for looking up what the document may have made.
func jsonStrings(body []byte, limit int) []string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			if len(out) < limit {
				out = append(out, x)
			}
		case map[string]any:
			for _, item := range x {
				walk(item)
			}
		case []any:
			for _, item := range x {
				walk(item)
			}
		}
	}
	walk(v)
	return out
}
