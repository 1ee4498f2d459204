package federation

import (
	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// withAttachments is an actor type with attachments (every go-fed actor
// type has them).
type withAttachments interface {
	GetActivityStreamsAttachment() vocab.ActivityStreamsAttachmentProperty
}

// profileFieldsOf reads an actor's profile fields: its attachments of
// type PropertyValue (schema.org, as Mastodon, GoToSocial, Misskey and
// Pleroma send them) with a text name, in order; the value is HTML, "" when absent.
// go-fed knows no PropertyValue and keeps such an attachment as the JSON
// it came as, so the JSON is read here; anything else is skipped.
func profileFieldsOf(t vocab.Type) []storage.ProfileField {
	a, ok := t.(withAttachments)
	if !ok || a.GetActivityStreamsAttachment() == nil {
		return nil
	}
	raw, err := a.GetActivityStreamsAttachment().Serialize()
	if err != nil {
		return nil
	}
	items, isList := raw.([]any)
	if !isList {
		items = []any{raw}
	}
	var fields []storage.ProfileField
	for _, item := range items {
		m, ok := item.(map[string]any)
		if !ok || !isPropertyValue(m["type"]) {
			continue
		}
		name, ok := m["name"].(string)
		if !ok {
			// A name that begins like a URL ("XMPP: ...") was moved to a
			// language map when the document was read (keepTextAsText).
			name, ok = fieldNameFromMap(m["nameMap"])
		}
		if !ok {
			continue
		}
		value, _ := m["value"].(string)
		fields = append(fields, storage.ProfileField{Name: name, ValueHTML: value})
	}
	return fields
}

// isPropertyValue reports whether a JSON type names PropertyValue, alone
// or among others, with or without the schema prefix.
func isPropertyValue(t any) bool {
	switch x := t.(type) {
	case string:
		return x == "PropertyValue" || x == "schema:PropertyValue" || x == "http://schema.org#PropertyValue"
	case []any:
		for _, item := range x {
			if isPropertyValue(item) {
				return true
			}
		}
	}
	return false
}

// fieldNameFromMap reads a name given as a language map: the undefined
// language's, else the only one.
func fieldNameFromMap(v any) (string, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	if name, ok := m["und"].(string); ok {
		return name, true
	}
	if len(m) == 1 {
		for _, v := range m {
			name, ok := v.(string)
			return name, ok
		}
	}
	return "", false
}
