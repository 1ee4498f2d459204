package federation

import (
	"strings"

	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// mediaObject is what Tidings reads of an Image or a Document attached
// to a post, or of an actor's icon and image.
type mediaObject interface {
	vocab.Type
	GetActivityStreamsUrl() vocab.ActivityStreamsUrlProperty
	GetActivityStreamsName() vocab.ActivityStreamsNameProperty
	GetActivityStreamsSummary() vocab.ActivityStreamsSummaryProperty
	GetActivityStreamsMediaType() vocab.ActivityStreamsMediaTypeProperty
}

// attachmentsOf reads the images a post carries, as Mastodon, GoToSocial
// and Lemmy send them: an Image, or a Document whose mediaType is an
// image type, with its address in url (a string or a Link) and its alt
// text in name (or in summary, where GoToSocial has put it). Links (a news post's link), videos, audio and images of
// other types (SVG) are left out; storage keeps the first few.
func attachmentsOf(post postable) []storage.Attachment {
	var out []storage.Attachment
	for _, r := range refsOf(post.GetActivityStreamsAttachment()) {
		m, ok := r.Type.(mediaObject)
		if !ok {
			continue
		}
		if a, ok := imageOf(m); ok {
			out = append(out, a)
		}
	}
	return out
}

// imageOf reads one Image or Document as an image, if it is one.
func imageOf(m mediaObject) (storage.Attachment, bool) {
	declared := mediaTypeOf(m.GetActivityStreamsMediaType())
	switch m.GetTypeName() {
	case "Image":
		// An Image may leave its type to its url, or to the bytes.
	case "Document":
		if !storage.IsImageType(declared) {
			return storage.Attachment{}, false // a video, audio or anything else
		}
	default:
		return storage.Attachment{}, false
	}
	href, linkType := imageURLOf(m.GetActivityStreamsUrl())
	if href == "" {
		return storage.Attachment{}, false
	}
	if declared == "" {
		declared = linkType
	}
	if declared != "" && !storage.IsImageType(declared) {
		return storage.Attachment{}, false
	}
	alt := strings.TrimSpace(textOf(m.GetActivityStreamsName()))
	if alt == "" {
		alt = strings.TrimSpace(textOf(m.GetActivityStreamsSummary()))
	}
	w, h := sizeOf(m)
	return storage.Attachment{URL: href, MediaType: declared, Alt: alt, Width: w, Height: h}, true
}

// imageURLOf is the first address in a url property that may be an
// image: a plain IRI, or a Link whose mediaType, if any, is an image's.
// It returns the Link's media type too.
func imageURLOf(p vocab.ActivityStreamsUrlProperty) (href, mediaType string) {
	if isNil(p) {
		return "", ""
	}
	for it := p.Begin(); it != p.End(); it = it.Next() {
		switch {
		case it.IsIRI() && it.GetIRI() != nil:
			return it.GetIRI().String(), ""
		case it.IsActivityStreamsLink():
			link := it.GetActivityStreamsLink()
			t := mediaTypeOf(link.GetActivityStreamsMediaType())
			if h := link.GetActivityStreamsHref(); h != nil && h.Get() != nil && (t == "" || storage.IsImageType(t)) {
				return h.Get().String(), t
			}
		}
	}
	return "", ""
}

// mediaTypeOf reads a mediaType property, without its parameters.
func mediaTypeOf(p vocab.ActivityStreamsMediaTypeProperty) string {
	if isNil(p) {
		return ""
	}
	t, _, _ := strings.Cut(p.Get(), ";")
	return strings.ToLower(strings.TrimSpace(t))
}

// imageObjectOf reads an actor's icon or image (header): an Image's url,
// or a bare link; the cache checks the bytes when it is shown.
func imageObjectOf(t vocab.Type) string {
	m, ok := t.(mediaObject)
	if !ok {
		return ""
	}
	a, ok := imageOf(m)
	if !ok {
		return ""
	}
	return a.URL
}
