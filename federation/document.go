package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
)

// activityStreamsContext is the AS2 context: documents that come without
// any @context (Lemmy's stored assets, some servers' activities) are
// read as if they had it.
const activityStreamsContext = "https://www.w3.org/ns/activitystreams"

// outgoingContext is the @context of every document Tidings serves or
// sends: AS2, security (publicKey), and the extension terms Mastodon
// expects, named as Mastodon names them.
var outgoingContext = []any{
	activityStreamsContext,
	"https://w3id.org/security/v1",
	map[string]any{
		"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
		"sensitive":                 "as:sensitive",
		"Hashtag":                   "as:Hashtag",
		"toot":                      "http://joinmastodon.org/ns#",
		"discoverable":              "toot:discoverable",
		"indexable":                 "toot:indexable",
		"featured":                  map[string]any{"@id": "toot:featured", "@type": "@id"},
		"schema":                    "http://schema.org#",
		"PropertyValue":             "schema:PropertyValue",
		"value":                     "schema:value",
		"history":                   map[string]any{"@id": "https://w3id.org/fep/bad1/history", "@type": "@id"},
		"tidings":                   tidingsNamespace,
		"HeadlineRevision":          "tidings:HeadlineRevision",
		"headlineRevision":          "tidings:headlineRevision",
		"previousHeadline":          "tidings:previousHeadline",
		"revertOf":                  "tidings:revertOf",
		"postingRestrictedToMods":   "https://join-lemmy.org/ns#postingRestrictedToMods",
	},
}

// tidingsNamespace is the namespace of the terms Tidings adds for
// headline corrections (see docs/federation.md).
const tidingsNamespace = "https://w3id.org/tidings#"

// naturalLanguageProperties hold text that go-fed may mistake for a link.
var naturalLanguageProperties = []string{"content", "name", "summary"}

// keepTextAsText moves a text that begins like a URL ("UPDATE: ...",
// "PSA: ...") into the language map of its property, in m and the objects
// nested in it: go-fed reads any string with a scheme-like prefix as an
// IRI and the text would be lost. An existing language map is kept.
func keepTextAsText(v any) {
	switch x := v.(type) {
	case map[string]any:
		for _, key := range naturalLanguageProperties {
			s, ok := x[key].(string)
			if !ok || !looksLikeIRI(s) {
				continue
			}
			if _, has := x[key+"Map"]; !has {
				x[key+"Map"] = map[string]any{"und": s}
			}
			delete(x, key)
		}
		for key, nested := range x {
			if key != "@context" {
				keepTextAsText(nested)
			}
		}
	case []any:
		for _, item := range x {
			keepTextAsText(item)
		}
	}
}

// looksLikeIRI reports whether go-fed would parse s as a URL with a
// scheme: a word of letters, digits, +, - or . before a colon.
func looksLikeIRI(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || scheme == "" {
		return false
	}
	for _, r := range scheme {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// ErrUnknownType is a document of a type this server does not know (such
// as Pleroma's EmojiReact). Inboxes accept and ignore such activities.
var ErrUnknownType = errors.New("unknown ActivityStreams type")

// encode serializes an ActivityStreams value with the outgoing context.
func encode(t vocab.Type, extra map[string]any) ([]byte, error) {
	m, err := streams.Serialize(t)
	if err != nil {
		return nil, fmt.Errorf("serialize %s: %w", t.GetTypeName(), err)
	}
	m["@context"] = outgoingContext
	for k, v := range extra {
		m[k] = v
	}
	if err := whole(m); err != nil {
		return nil, fmt.Errorf("serialize %s: %w", t.GetTypeName(), err)
	}
	alwaysLists(m)
	return json.Marshal(m)
}

// whole refuses a document that lost its id, or an activity that lost
// its actor, object or target (or their ids): the builders leave out an
// id that does not parse (it may have come from another server) rather
// than fail.
func whole(m map[string]any) error {
	if !hasID(m) {
		return errors.New("no valid id")
	}
	for _, key := range []string{"actor", "object", "target"} {
		if v, ok := m[key]; ok && !hasID(v) {
			return fmt.Errorf("no valid %s", key)
		}
	}
	return nil
}

// hasID reports whether a value is an id, an object with one, or a
// non-empty list of them.
func hasID(v any) bool {
	switch x := v.(type) {
	case string:
		return x != ""
	case map[string]any:
		id, _ := x["id"].(string)
		return id != ""
	case []any:
		return len(x) > 0 && !slices.ContainsFunc(x, func(item any) bool { return !hasID(item) })
	}
	return false
}

// listProperties are written as JSON arrays even with one item: go-fed
// writes a single value bare, which JSON-LD allows but some servers'
// parsers do not (Lemmy refuses a post whose attachment is not a list).
var listProperties = []string{"to", "cc", "orderedItems", "items", "attachment", "tag"}

// alwaysLists wraps single values of listProperties in arrays, in m and
// in the objects nested in it.
func alwaysLists(v any) {
	switch x := v.(type) {
	case map[string]any:
		for key, nested := range x {
			if key == "@context" {
				continue
			}
			if _, isList := nested.([]any); !isList && slices.Contains(listProperties, key) {
				nested = []any{nested}
				x[key] = nested
			}
			alwaysLists(nested)
		}
	case []any:
		for _, item := range x {
			alwaysLists(item)
		}
	}
}

// decode reads a JSON document into a typed ActivityStreams value. It
// returns ErrUnknownType (wrapped) for a type go-fed does not know, and
// another error for anything that is not an ActivityStreams object.
func decode(ctx context.Context, body []byte) (vocab.Type, map[string]any, error) {
	m, err := decodeJSON(body)
	if err != nil {
		return nil, nil, err
	}
	t, err := toType(ctx, m)
	return t, m, err
}

// decodeJSON reads a body that must be one JSON object.
func decodeJSON(body []byte) (map[string]any, error) {
	var m map[string]any
	// Unmarshal refuses anything after the object, as a single object
	// must be, and costs less than a Decoder.
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("not a single JSON object: %w", err)
	}
	if m == nil {
		return nil, errors.New("not a JSON object: null")
	}
	return m, nil
}

// toType resolves a decoded JSON object into a typed value.
func toType(ctx context.Context, m map[string]any) (vocab.Type, error) {
	if _, ok := m["@context"]; !ok {
		m["@context"] = activityStreamsContext
	}
	keepTextAsText(m)
	if _, ok := m["type"]; !ok {
		return nil, errors.New("the object has no type")
	}
	t, err := streams.ToType(ctx, m)
	if errors.Is(err, streams.ErrUnhandledType) {
		return nil, fmt.Errorf("%w %v", ErrUnknownType, m["type"])
	}
	if err != nil {
		return nil, fmt.Errorf("not a valid ActivityStreams object: %w", err)
	}
	return t, nil
}
