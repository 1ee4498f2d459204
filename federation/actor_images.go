package federation

import (
	"mime"
	"path"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// imageSetter is an actor type that can carry a header image.
type imageSetter interface {
	SetActivityStreamsImage(vocab.ActivityStreamsImageProperty)
}

// setImages puts a local actor's avatar in icon and header in image, as
// Images with url and mediaType, as Mastodon publishes them.
func setImages(t actorType, a *storage.Actor) {
	if image := imageValue(a.IconURL); image != nil {
		icon := streams.NewActivityStreamsIconProperty()
		icon.AppendActivityStreamsImage(image)
		t.SetActivityStreamsIcon(icon)
	}
	if s, ok := t.(imageSetter); ok {
		if image := imageValue(a.HeaderURL); image != nil {
			header := streams.NewActivityStreamsImageProperty()
			header.AppendActivityStreamsImage(image)
			s.SetActivityStreamsImage(header)
		}
	}
}

// imageValue is an Image at the address, with the media type its name
// tells (uploads are named by their type), or nil for no address.
func imageValue(address string) vocab.ActivityStreamsImage {
	u := iriOf(address)
	if u == nil {
		return nil
	}
	image := streams.NewActivityStreamsImage()
	link := streams.NewActivityStreamsUrlProperty()
	link.AppendIRI(u)
	image.SetActivityStreamsUrl(link)
	if t := mime.TypeByExtension(path.Ext(u.Path)); storage.IsImageType(t) {
		mediaType := streams.NewActivityStreamsMediaTypeProperty()
		mediaType.Set(t)
		image.SetActivityStreamsMediaType(mediaType)
	}
	return image
}

// headerOf reads a remote actor's image (the header of its profile): an
// Image's url, or a bare link.
func headerOf(t vocab.Type) string {
	a, ok := t.(interface {
		GetActivityStreamsImage() vocab.ActivityStreamsImageProperty
	})
	if !ok || isNil(a.GetActivityStreamsImage()) {
		return ""
	}
	for it := a.GetActivityStreamsImage().Begin(); it != a.GetActivityStreamsImage().End(); it = it.Next() {
		if it.IsIRI() && it.GetIRI() != nil {
			return it.GetIRI().String()
		}
		if u := imageObjectOf(it.GetType()); u != "" {
			return u
		}
	}
	return ""
}
