package federation

import (
	"context"
	"encoding/json"

	"github.com/tidings-social/tidings/storage"
)

// instrumentOf reads the revision another Tidings sent as the instrument
// of an Update, from the activity as received: the Update itself, or the
// Update inside a subwiki's Announce.
func instrumentOf(in *incoming) *revisionDoc {
	if in.record == nil {
		return nil
	}
	var raw struct {
		Type       string          `json:"type"`
		Instrument any             `json:"instrument"`
		Object     json.RawMessage `json:"object"`
	}
	if json.Unmarshal(in.record.Body, &raw) != nil {
		return nil
	}
	if raw.Type == "Announce" {
		if json.Unmarshal(raw.Object, &raw) != nil {
			return nil
		}
	}
	if raw.Type != "Update" || raw.Instrument == nil {
		return nil
	}
	doc, err := readRevision(raw.Instrument)
	if err != nil {
		return nil
	}
	return doc
}

// revisionOf is the origin's account of a post's headline revision, for
// an Update from the post's author whose post names a newer revision
// than ours: fetched from the post's history collection at the origin.
// It says who corrected the headline and why; the editor, who may be
// anywhere, is looked up (or fetched) if possible.
func (f *Federator) revisionOf(ctx context.Context, in *incoming, author *storage.Actor, post postable, historyURI string) *storage.RemoteRevision {
	props, ok := post.(interface{ GetUnknownProperties() map[string]any })
	if !ok || historyURI == "" || in.record == nil {
		return nil
	}
	number := intProperty(props.GetUnknownProperties(), "headlineRevision")
	if number < 2 {
		return nil
	}
	if ours, err := f.db.PostByURI(ctx, idOf(post)); err == nil && ours.Revision >= number {
		return nil // known already
	}
	doc := f.fetchRevision(ctx, historyURI, idOf(post), number)
	if doc == nil || !sameHost(doc.ID, author.URI) {
		return nil
	}
	rev := &storage.RemoteRevision{Number: doc.HeadlineRevision, Reason: doc.Summary, SourceURL: doc.URL,
		RevertsTo: doc.RevertOf, URI: doc.ID, CreatedAt: doc.Published}
	if doc.AttributedTo != "" {
		if editor, err := f.ResolveActor(ctx, doc.AttributedTo); err == nil {
			rev.EditorID = editor.ID
		}
	}
	return rev
}

// groupRevision applies a headline revision a remote subwiki decided on
// for a post in it whose origin takes no corrections (a Mastodon note, a
// Lemmy post): the subwiki is the authority there, as this server is for
// its own subwikis.
func (f *Federator) groupRevision(ctx context.Context, in *incoming, object ref) error {
	doc := instrumentOf(in)
	if doc == nil || doc.Object != object.IRI || !sameHost(doc.ID, in.actor.URI) {
		return ignore("an Update by %s of %s, which is not on its server", in.actor.URI, object.IRI)
	}
	rev := &storage.RemoteRevision{Number: doc.HeadlineRevision, Reason: doc.Summary, SourceURL: doc.URL,
		RevertsTo: doc.RevertOf, URI: doc.ID, CreatedAt: doc.Published}
	if doc.AttributedTo != "" {
		if editor, err := f.ResolveActor(ctx, doc.AttributedTo); err == nil {
			rev.EditorID = editor.ID
		}
	}
	err := f.db.ReviseByGroup(completing(ctx, in), in.actor.ID, object.IRI, doc.Name, rev)
	if storage.ErrorCode(err) == storage.ENotFound || storage.ErrorCode(err) == storage.EForbidden {
		return ignore("%s", storage.ErrorMessage(err))
	}
	return err
}

// fetchRevision fetches a post's history collection and returns the
// revision with the number.
func (f *Federator) fetchRevision(ctx context.Context, historyURI, postURI string, number int) *revisionDoc {
	sign, err := f.instanceSigner(ctx)
	if err != nil {
		return nil
	}
	body, _, err := f.client.GetActivity(ctx, historyURI, sign)
	if err != nil {
		return nil
	}
	var history struct {
		Items []json.RawMessage `json:"orderedItems"`
	}
	if json.Unmarshal(body, &history) != nil {
		return nil
	}
	for _, item := range history.Items {
		var raw any
		if json.Unmarshal(item, &raw) != nil {
			continue
		}
		if doc, err := readRevision(raw); err == nil && doc.HeadlineRevision == number && doc.Object == postURI {
			return doc
		}
	}
	return nil
}
