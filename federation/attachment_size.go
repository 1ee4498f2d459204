package federation

import (
	"math"

	"github.com/go-fed/activity/streams/vocab"
)

// sizeOf reads the size in pixels an Image or a Document states, as
// Mastodon sends it (width and height, which go-fed knows on an Image
// only), or 0, 0 when it states none or a size no image shown has.
// Pages use it to keep room for the image; the cache checks the bytes.
func sizeOf(m mediaObject) (width, height int) {
	if img, ok := m.(interface {
		GetActivityStreamsWidth() vocab.ActivityStreamsWidthProperty
		GetActivityStreamsHeight() vocab.ActivityStreamsHeightProperty
	}); ok {
		w, h := img.GetActivityStreamsWidth(), img.GetActivityStreamsHeight()
		if !isNil(w) && !isNil(h) && w.IsXMLSchemaNonNegativeInteger() && h.IsXMLSchemaNonNegativeInteger() {
			width, height = w.Get(), h.Get()
		}
	} else if u, ok := m.(interface{ GetUnknownProperties() map[string]any }); ok {
		width, height = pixels(u.GetUnknownProperties()["width"]), pixels(u.GetUnknownProperties()["height"])
	}
	if width <= 0 || height <= 0 || width > maxImageSide || height > maxImageSide {
		return 0, 0
	}
	return width, height
}

// pixels reads a JSON number as a whole count of pixels, or 0.
func pixels(v any) int {
	f, ok := v.(float64)
	if !ok || f != math.Trunc(f) || f <= 0 || f > maxImageSide {
		return 0
	}
	return int(f)
}
