package federation

import (
	"maps"
	"net/url"
	"reflect"
	"slices"
	"time"

	"github.com/go-fed/activity/streams/vocab"
)

// Narrow views of go-fed values: each names only what Tidings reads, so
// one function serves every type that has the property.

// ref is a value that is either given by its id or embedded whole.
type ref struct {
	IRI  string
	Type vocab.Type // nil when only the id was given
}

// refItem is an item of a property that holds ids or embedded values.
type refItem interface {
	IsIRI() bool
	GetIRI() *url.URL
	GetType() vocab.Type
}

// refList is a property with several items.
type refList[T refItem] interface {
	Len() int
	At(int) T
}

// refsOf returns the items of a property; nil when it is absent.
func refsOf[T refItem](p refList[T]) []ref {
	if isNil(p) {
		return nil
	}
	var out []ref
	for i := 0; i < p.Len(); i++ {
		if r, ok := refOfItem(p.At(i)); ok {
			out = append(out, r)
		}
	}
	return out
}

// refOfItem reads one item; links count by their href.
func refOfItem(it refItem) (ref, bool) {
	if it.IsIRI() {
		if u := it.GetIRI(); u != nil {
			return ref{IRI: u.String()}, true
		}
		return ref{}, false
	}
	t := it.GetType()
	if t == nil {
		return ref{}, false
	}
	if link, ok := t.(vocab.ActivityStreamsLink); ok {
		if href := link.GetActivityStreamsHref(); href != nil && href.Get() != nil {
			return ref{IRI: href.Get().String()}, true
		}
		return ref{}, false
	}
	return ref{IRI: idOf(t), Type: t}, true
}

// firstRef is the first item of a property, or a zero ref.
func firstRef[T refItem](p refList[T]) ref {
	if refs := refsOf(p); len(refs) > 0 {
		return refs[0]
	}
	return ref{}
}

// iris returns the ids in a property.
func iris[T refItem](p refList[T]) []string {
	var out []string
	for _, r := range refsOf(p) {
		if r.IRI != "" {
			out = append(out, r.IRI)
		}
	}
	return out
}

// singleRef is a property with at most one id or embedded value.
type singleRef interface {
	IsIRI() bool
	GetIRI() *url.URL
	GetType() vocab.Type
}

// iriOfSingle returns the id in a functional property like inbox.
func iriOfSingle(p singleRef) string {
	if isNil(p) {
		return ""
	}
	r, _ := refOfItem(p)
	return r.IRI
}

// idOf returns the id of a value, or "".
func idOf(t vocab.Type) string {
	if isNil(t) {
		return ""
	}
	if id := t.GetJSONLDId(); id != nil && id.Get() != nil {
		return id.Get().String()
	}
	return ""
}

// textItem is an item of a natural-language property (name, summary,
// content), given as a plain string or as a language map.
type textItem interface {
	IsXMLSchemaString() bool
	GetXMLSchemaString() string
	IsRDFLangString() bool
	GetRDFLangString() map[string]string
}

type textList[T textItem] interface {
	Len() int
	At(int) T
}

// textOf returns the first text of a property, preferring a plain
// string, then English, then the language that sorts first.
func textOf[T textItem](p textList[T]) string {
	if isNil(p) {
		return ""
	}
	var fallback string
	for i := 0; i < p.Len(); i++ {
		it := p.At(i)
		if it.IsXMLSchemaString() {
			return it.GetXMLSchemaString()
		}
		if it.IsRDFLangString() && fallback == "" {
			langs := it.GetRDFLangString()
			if en, ok := langs["en"]; ok {
				return en
			}
			for _, lang := range slices.Sorted(maps.Keys(langs)) {
				fallback = langs[lang]
				break
			}
		}
	}
	return fallback
}

// timeProperty is a functional time property like published.
type timeProperty interface {
	IsXMLSchemaDateTime() bool
	Get() time.Time
}

// timeOf returns the time in a property, or the zero time.
func timeOf(p timeProperty) time.Time {
	if isNil(p) || !p.IsXMLSchemaDateTime() {
		return time.Time{}
	}
	return p.Get()
}

// iriOf parses an absolute URL for an outgoing document, or returns nil.
// Ids in outgoing documents may have come from other servers, so one that
// does not parse is left out rather than trusted to (a document that so
// loses its own id, actor or object is refused by encode).
func iriOf(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil
	}
	return u
}

// iriList is a property that lists ids (to, cc, items, ...).
type iriList interface{ AppendIRI(*url.URL) }

// appendIRIs adds the ids that parse to a list property.
func appendIRIs(p iriList, uris ...string) {
	for _, s := range uris {
		if u := iriOf(s); u != nil {
			p.AppendIRI(u)
		}
	}
}

// iriValue is a property with one id (inbox, first, partOf, ...).
type iriValue interface{ SetIRI(*url.URL) }

// setIRI sets a property to the id, when it parses.
func setIRI(p iriValue, s string) {
	if u := iriOf(s); u != nil {
		p.SetIRI(u)
	}
}

// isNil reports whether an interface value is nil or holds a nil pointer.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}
