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
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// jsonObject decodes a JSON object; nil for anything else.
func jsonObject(body []byte) map[string]any {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil
	}
	return m
}

func jsonEncode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func jsonString(v any) string {
	s, _ := v.(string)
	return s
}

// jsonList is a property's values: an array's items, or the one value.
func jsonList(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	}
	return []any{v}
}

func jsonFirst(v any) any {
	if l := jsonList(v); len(l) > 0 {
		return l[0]
	}
	return nil
}

// jsonTypes is "type" as a list of names; nil when it is not a string or
// an array of strings.
func jsonTypes(v any) []string {
	var out []string
	for _, item := range jsonList(v) {
		s, ok := item.(string)
		if !ok {
			return nil
		}
		out = append(out, s)
	}
	return out
}

// isAS2Type reports whether a "type" value names an ActivityStreams type.
func isAS2Type(v any) bool {
	for _, typ := range jsonTypes(v) {
		for _, names := range as2Vocabulary {
			if slices.Contains(names, typ) {
				return true
			}
		}
	}
	return false
}

// jsonIRI is the id a value stands for: an IRI, an embedded object's id, a
// link's href; for an array, its first item's.
func jsonIRI(v any) string {
	switch v := jsonFirst(v).(type) {
	case string:
		return v
	case map[string]any:
		if jsonString(v["type"]) == "Link" || jsonString(v["type"]) == "Mention" {
			return jsonString(v["href"])
		}
		return jsonString(v["id"])
	}
	return ""
}

// jsonIRIs lists the ids in an addressing property.
func jsonIRIs(v any) []string {
	var out []string
	for _, item := range jsonList(v) {
		if s := jsonIRI(item); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func jrdLinksTo(raw map[string]any, relPrefix string) bool {
	for _, item := range jsonList(raw["links"]) {
		link, _ := item.(map[string]any)
		if strings.HasPrefix(jsonString(link["rel"]), relPrefix) {
			return true
		}
	}
	return false
}

// isHTTPURL reports whether s is an absolute http(s) URL with a host.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// hasScheme reports whether s is a URL with a scheme (an IRI).
func hasScheme(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != ""
}

func urlHost(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}

// hostOrID names where an id is: its host, or the id itself when it
// has none (Mbin's scrubbed "SCRUBBED_ID").
func hostOrID(s string) string {
	if h := urlHost(s); h != "" {
		return h
	}
	return fmt.Sprintf("%q", s)
}

func onSameHost(a, b string) bool {
	h := urlHost(a)
	return h != "" && h == urlHost(b)
}
