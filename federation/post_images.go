package federation

import (
	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// withAttachment is a post object (a Note or a Page) whose attachment
// list may already hold a news post's Link.
type withAttachment interface {
	GetActivityStreamsAttachment() vocab.ActivityStreamsAttachmentProperty
	SetActivityStreamsAttachment(vocab.ActivityStreamsAttachmentProperty)
	GetUnknownProperties() map[string]any
}

// addImages lists the images of a local post in its attachment, as
// Mastodon sends them (ActivityPub::NoteSerializer's media attachments):
// a Document with url, mediaType, name (the description, which Mastodon,
// GoToSocial and Lemmy read as alt text) and width and height. They come
// after a news post's Link, which Lemmy reads as the post's link only
// while it is first. The post is marked sensitive as its content warning
// says, so that Mastodon hides the images behind it too.
func addImages(t postType, p *storage.Post) {
	obj, ok := t.(withAttachment)
	if !ok || len(p.Attachments) == 0 {
		return
	}
	list := obj.GetActivityStreamsAttachment()
	if list == nil {
		list = streams.NewActivityStreamsAttachmentProperty()
	}
	for _, a := range p.Attachments {
		u := iriOf(a.URL)
		if u == nil {
			continue
		}
		doc := streams.NewActivityStreamsDocument()
		url := streams.NewActivityStreamsUrlProperty()
		url.AppendIRI(u)
		doc.SetActivityStreamsUrl(url)
		mediaType := streams.NewActivityStreamsMediaTypeProperty()
		mediaType.Set(a.MediaType)
		doc.SetActivityStreamsMediaType(mediaType)
		if a.Alt != "" {
			name := streams.NewActivityStreamsNameProperty()
			name.AppendXMLSchemaString(a.Alt)
			doc.SetActivityStreamsName(name)
		}
		if a.Width > 0 && a.Height > 0 {
			// Not in go-fed's vocabulary on a Document; Mastodon sends them.
			doc.GetUnknownProperties()["width"] = a.Width
			doc.GetUnknownProperties()["height"] = a.Height
		}
		list.AppendActivityStreamsDocument(doc)
	}
	if list.Len() == 0 {
		return
	}
	obj.SetActivityStreamsAttachment(list)
	obj.GetUnknownProperties()["sensitive"] = p.Sensitive || p.ContentWarning != ""
}
