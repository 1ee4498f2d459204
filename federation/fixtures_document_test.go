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
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// checkCollection reads a collection and counts its items.
func (r *fixtureRun) checkCollection(t docT, fx fixture, raw map[string]any) string {
	doc, _, err := decode(r.ctx, fx.body)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	typ := jsonString(raw["type"])
	if doc.GetTypeName() != typ {
		t.Errorf("type = %q; want %q", doc.GetTypeName(), typ)
	}
	var got int
	if c, ok := doc.(interface {
		GetActivityStreamsItems() vocab.ActivityStreamsItemsProperty
	}); ok {
		got += len(refsOf(c.GetActivityStreamsItems()))
	}
	if c, ok := doc.(interface {
		GetActivityStreamsOrderedItems() vocab.ActivityStreamsOrderedItemsProperty
	}); ok {
		got += len(refsOf(c.GetActivityStreamsOrderedItems()))
	}
	want := readableItems(raw["items"]) + readableItems(raw["orderedItems"])
	if got != want {
		t.Errorf("%d items read; want %d", got, want)
	}
	if total, ok := raw["totalItems"].(float64); ok {
		c, _ := doc.(interface {
			GetActivityStreamsTotalItems() vocab.ActivityStreamsTotalItemsProperty
		})
		if c == nil || c.GetActivityStreamsTotalItems() == nil || c.GetActivityStreamsTotalItems().Get() != int(total) {
			t.Errorf("totalItems not read as %v", total)
		}
	}
	return "read as " + typ
}

// readableItems counts the items given by URL or embedded with a known type.
func readableItems(v any) int {
	n := 0
	for _, item := range jsonList(v) {
		if s, ok := item.(string); ok && hasScheme(s) {
			n++
		}
		if m, ok := item.(map[string]any); ok && isAS2Type(m["type"]) {
			n++
		}
	}
	return n
}

// checkWebFinger serves the JRD from a loopback server and resolves an
// account through it, as ResolveHandle does: the actor id must be the
// document's self link of an ActivityPub media type, or the lookup must
// fail when there is none.
func (r *fixtureRun) checkWebFinger(t docT, fx fixture, raw map[string]any) string {
	var doc jrd
	if err := json.Unmarshal(fx.body, &doc); err != nil {
		t.Fatalf("not read as a JRD: %v", err)
	}
	if doc.Subject != jsonString(raw["subject"]) || len(doc.Links) != len(jsonList(raw["links"])) {
		t.Errorf("JRD subject %q with %d links; want %q with %d", doc.Subject, len(doc.Links),
			jsonString(raw["subject"]), len(jsonList(raw["links"])))
	}
	self := activityPubSelf(raw)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/jrd+json")
		w.Write(fx.body)
	}))
	defer srv.Close()
	got, err := r.accepts.fed.webfingerSelf(r.ctx, "someone", srv.Listener.Addr().String())
	if self == "" {
		if err == nil || storage.ErrorCode(err) != storage.ENotFound {
			t.Errorf("webfingerSelf = %q, %v; want not found (no ActivityPub self link)", got, err)
		}
		return "no ActivityPub self link: not usable"
	}
	if err != nil || got != self {
		t.Errorf("webfingerSelf = %q, %v; want %q", got, err, self)
	}
	subject, _ := strings.CutPrefix(jsonString(raw["subject"]), "acct:")
	_, domain, _ := strings.Cut(subject, "@")
	switch {
	case subject == "":
		return "self link read; no subject"
	case domain == "":
		return "self link read; a subject without a domain"
	case !strings.EqualFold(domain, urlHost(self)):
		return "self link read; the subject's domain is not the actor's server"
	}
	return "self link read"
}

// activityPubSelf is the first self link of an ActivityPub media type.
func activityPubSelf(raw map[string]any) string {
	for _, item := range jsonList(raw["links"]) {
		link, _ := item.(map[string]any)
		typ := jsonString(link["type"])
		if jsonString(link["rel"]) == "self" && jsonString(link["href"]) != "" &&
			(typ == "application/activity+json" || strings.HasPrefix(typ, "application/ld+json")) {
			return jsonString(link["href"])
		}
	}
	return ""
}

// checkNodeInfo reads a NodeInfo document or the links that point to one.
func checkNodeInfo(t docT, raw map[string]any) string {
	if software, ok := raw["software"].(map[string]any); ok {
		name, version := jsonString(software["name"]), jsonString(raw["version"])
		if name == "" || version == "" || len(jsonList(raw["protocols"])) == 0 {
			t.Errorf("a NodeInfo document without software name, version or protocols: %v", raw)
		}
		return "a NodeInfo " + version + " document"
	}
	for _, item := range jsonList(raw["links"]) {
		link, _ := item.(map[string]any)
		if strings.HasPrefix(jsonString(link["rel"]), "http://nodeinfo.diaspora.software/ns/schema/") &&
			!isHTTPURL(jsonString(link["href"])) {
			t.Errorf("a NodeInfo link without an http(s) href: %v", link)
		}
	}
	return "NodeInfo links"
}

// checkBroken makes sure a document that is not an ActivityStreams object
// is refused by decode and by the inbox.
func (r *fixtureRun) checkBroken(t docT, fx fixture) string {
	if _, _, err := decode(r.ctx, fx.body); err == nil || errors.Is(err, ErrUnknownType) {
		t.Errorf("decode = %v; want an error", err)
	}
	r.refuses.expect(t, "as it is", fx.body, http.StatusBadRequest)
	return "refused with 400"
}
