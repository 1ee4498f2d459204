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
	"errors"
	"fmt"
	"net/http"
)

// checkActivity puts an activity through what the inbox does with it:
// the envelope check, typing, reading its object, and a real signed
// delivery; a valid one is also delivered broken in several ways.
func (r *fixtureRun) checkActivity(t docT, fx fixture, raw map[string]any) string {
	want, refusal := wantEnvelope(raw)
	env, err := readEnvelope(jsonObject(fx.body))
	switch {
	case refusal == "" && err != nil:
		t.Errorf("readEnvelope refused a valid envelope: %v", err)
	case refusal != "" && err == nil:
		t.Errorf("readEnvelope accepted an activity with %s: %+v", refusal, env)
	case err == nil && env != want:
		t.Errorf("readEnvelope = %+v; want %+v", env, want)
	}
	typ := jsonString(raw["type"])
	known := isAS2Type(raw["type"])
	doc, err := toType(r.ctx, jsonObject(fx.body))
	switch {
	case known && err != nil:
		t.Fatalf("toType: %v", err)
	case !known && !errors.Is(err, ErrUnknownType):
		t.Fatalf("toType of a %v: %v; want ErrUnknownType", raw["type"], err)
	case known && doc.GetTypeName() != typ:
		t.Errorf("type = %q; want %q", doc.GetTypeName(), typ)
	}
	object := objectReadable
	if known && r.handled[typ] {
		act, ok := doc.(activity)
		if !ok {
			t.Fatalf("a %s is handled but is not read as an activity", typ)
		}
		var outcome string
		outcome, object = r.checkObjectOf(t, act, raw["object"])
		r.tally.add(tallyObjectOf, outcome, fx.name)
		r.checkEmbeddedPosts(t, fx.name, act, raw)
	}
	if refusal != "" {
		r.refuses.expect(t, "as it is", fx.body, http.StatusBadRequest)
		return "refused before the signature: " + refusal
	}
	defer r.deliverBroken(t, fx.name, raw)
	status, reason, stored := r.deliverSigned(t, fx.body, env)
	switch {
	case !known:
		if status != http.StatusAccepted || stored != 0 {
			t.Errorf("%s (an unknown type): answered %d %q, %d stored; want 202, nothing stored", typ, status, reason, stored)
		}
		return "accepted, unknown type ignored"
	case object == objectUnreadable:
		if status != http.StatusBadRequest || stored != 0 {
			t.Errorf("%s without one object with a URL id: answered %d %q, %d stored; want 400, nothing stored",
				typ, status, reason, stored)
		}
		return "refused after the signature: no one object with a URL id"
	case object == objectOfUnknownType:
		// Like an activity of an unknown type, one about an object of an
		// unknown type (Lemmy's Create of a ChatMessage, Undo of a Lock) is
		// valid: it is accepted, and may be ignored.
		if status != http.StatusAccepted {
			t.Errorf("%s whose object is a %s (a type this server does not know): answered %d %q; want 202 (accepted, may be ignored)",
				typ, jsonString(jsonFirst(raw["object"]).(map[string]any)["type"]), status, reason)
		}
		if stored > 0 {
			r.storedID[env.ID] = true
		}
		return fmt.Sprintf("answered %d: its object is of an unknown type", status)
	}
	if status != http.StatusAccepted || stored != r.firstDelivery(env.ID) {
		t.Errorf("signed delivery: answered %d %q, %d stored; want 202, %d stored", status, reason, stored, r.firstDelivery(env.ID))
	}
	r.storedID[env.ID] = true
	return "accepted, stored"
}

// firstDelivery is 1 for an activity id not stored before, else 0.
func (r *fixtureRun) firstDelivery(id string) int {
	if r.storedID[id] {
		return 0
	}
	return 1
}

// wantEnvelope reads the id, type and actor of an activity from the
// document, and why the inbox must refuse it, if it must.
func wantEnvelope(raw map[string]any) (envelope, string) {
	e := envelope{ID: jsonString(raw["id"]), Type: jsonString(raw["type"])}
	switch actor := raw["actor"].(type) {
	case string:
		e.Actor = actor
	case map[string]any:
		e.Actor = jsonString(actor["id"])
	case []any:
		if len(actor) == 1 {
			e.Actor = jsonString(actor[0])
		}
	}
	switch {
	case e.Type == "":
		return e, "no single type"
	case e.ID == "":
		return e, "no id"
	case e.Actor == "":
		return e, "no actor"
	case !onSameHost(e.ID, e.Actor):
		return e, fmt.Sprintf("an id (%s) not on its actor's server (%s)", hostOrID(e.ID), urlHost(e.Actor))
	}
	return e, ""
}

// What the object of an activity is, for the inbox.
const (
	objectReadable      = iota // one object, by URL or embedded with a URL id
	objectUnreadable           // none, several, or without a URL id
	objectOfUnknownType        // embedded, with an id, of a type not in the vocabulary
)

// checkObjectOf checks that objectOf finds the one object the document
// names, by id or embedded.
func (r *fixtureRun) checkObjectOf(t docT, act activity, object any) (string, int) {
	t.Helper()
	got, err := objectOf(act)
	if arr, ok := object.([]any); ok && len(arr) == 1 {
		object = arr[0]
	}
	switch o := object.(type) {
	case string:
		if !hasScheme(o) {
			if err == nil {
				t.Errorf("objectOf read %q from an object that is not a URL", got.IRI)
			}
			return "unreadable: an object that is not a URL", objectUnreadable
		}
		if err != nil || got.IRI != o || got.Type != nil {
			t.Errorf("objectOf = %+v, %v; want the IRI %q", got, err, o)
		}
		return "an IRI", objectReadable
	case map[string]any:
		id, typ := jsonString(o["id"]), jsonString(o["type"])
		if !hasScheme(id) {
			if err == nil {
				t.Errorf("objectOf read %q from an embedded object without a URL id", got.IRI)
			}
			return "unreadable: an embedded object without a URL id", objectUnreadable
		}
		if !isAS2Type(o["type"]) {
			if err == nil && got.IRI != id {
				t.Errorf("objectOf read %q from an embedded %s with id %q", got.IRI, typ, id)
			}
			return "embedded " + typ + " of an unknown type: not readable", objectOfUnknownType
		}
		if err != nil || got.IRI != id || got.Type == nil || got.Type.GetTypeName() != typ {
			t.Errorf("objectOf = %+v, %v; want the embedded %s %q", got, err, typ, id)
		}
		return "an embedded " + typ, objectReadable
	}
	if err == nil {
		t.Errorf("objectOf read %+v from %T", got, object)
	}
	return fmt.Sprintf("unreadable: %s", describeObject(object)), objectUnreadable
}

func describeObject(v any) string {
	if arr, ok := v.([]any); ok {
		return fmt.Sprintf("%d objects", len(arr))
	}
	if v == nil {
		return "no object"
	}
	return fmt.Sprintf("an object of JSON type %T", v)
}

// checkEmbeddedPosts checks the posts an activity carries, also through
// an Announce of a Create (FEP-1b12).
func (r *fixtureRun) checkEmbeddedPosts(t docT, name string, act activity, raw map[string]any) {
	object, ok := raw["object"].(map[string]any)
	if !ok {
		return
	}
	ref, err := objectOf(act)
	if err != nil || ref.Type == nil {
		return
	}
	if post, ok := ref.Type.(postable); ok && postTypes[ref.Type.GetTypeName()] {
		r.tally.add(tallyEmbeddedPosts, r.checkPost(t, object, post), name)
		return
	}
	if inner, ok := ref.Type.(activity); ok {
		r.checkEmbeddedPosts(t, name, inner, object)
	}
}
