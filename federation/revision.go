package federation

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// revisionDoc is a headline revision as other servers see it: an object
// of its own in the post's history collection (FEP-bad1), naming the
// editor, so that servers that get the author's Update know who made the
// change. go-fed's vocabulary has no such type, hence a plain struct.
type revisionDoc struct {
	Context          any       `json:"@context,omitempty"`
	ID               string    `json:"id"`
	Type             string    `json:"type"`
	Object           string    `json:"object"`
	AttributedTo     string    `json:"attributedTo,omitempty"`
	Name             string    `json:"name"`
	PreviousHeadline string    `json:"previousHeadline,omitempty"`
	HeadlineRevision int       `json:"headlineRevision"`
	RevertOf         int       `json:"revertOf,omitempty"`
	Summary          string    `json:"summary,omitempty"`
	URL              string    `json:"url,omitempty"`
	Published        time.Time `json:"published"`
}

// revisionDocOf describes a revision of a post.
func revisionDocOf(p *storage.Post, r *storage.Revision) revisionDoc {
	doc := revisionDoc{
		ID: p.URI + "/revisions/" + strconv.Itoa(r.Number), Type: "HeadlineRevision", Object: p.URI,
		Name: r.Headline, PreviousHeadline: r.Previous, HeadlineRevision: r.Number, RevertOf: r.RevertsTo,
		Summary: r.Reason, URL: r.SourceURL, Published: r.CreatedAt.UTC(),
	}
	if r.Editor != nil {
		doc.AttributedTo = r.Editor.URI
	}
	return doc
}

// localPostHistory loads a local post a stranger may see, and its
// revisions: fetches are answered as to anyone.
func (f *Federator) localPostHistory(ctx context.Context, id string) (*storage.Post, []*storage.Revision, error) {
	p, err := f.db.VisiblePost(ctx, storage.Stranger, id)
	if err != nil {
		return nil, nil, err
	}
	if !p.Local || p.Headline == "" {
		return nil, nil, storage.Errorf(storage.ENotFound, "No such post.")
	}
	revs, err := f.db.HeadlineHistory(ctx, p.ID)
	return p, revs, err
}

// serveHistory answers a post's history collection: its revisions,
// oldest first, embedded.
func (f *Federator) serveHistory(w http.ResponseWriter, r *http.Request) {
	p, revs, err := f.localPostHistory(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		f.answer(w, r, nil, err)
		return
	}
	items := make([]revisionDoc, 0, len(revs))
	for _, rev := range revs {
		items = append(items, revisionDocOf(p, rev))
	}
	body, err := json.Marshal(map[string]any{
		"@context": outgoingContext, "id": p.URI + "/history", "type": "OrderedCollection",
		"totalItems": len(items), "orderedItems": items,
	})
	f.answer(w, r, body, err)
}

// serveRevision answers one revision of a post.
func (f *Federator) serveRevision(w http.ResponseWriter, r *http.Request) {
	p, revs, err := f.localPostHistory(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		f.answer(w, r, nil, err)
		return
	}
	n, _ := strconv.Atoi(mux.Vars(r)["n"])
	if n < 1 || n > len(revs) {
		f.answer(w, r, nil, storage.Errorf(storage.ENotFound, "No such revision."))
		return
	}
	doc := revisionDocOf(p, revs[n-1])
	doc.Context = outgoingContext
	body, err := json.Marshal(doc)
	f.answer(w, r, body, err)
}

// currentRevision returns the latest revision of a post with its editor.
func (f *Federator) currentRevision(ctx context.Context, p *storage.Post) (*storage.Revision, error) {
	revs, err := f.db.HeadlineHistory(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	if len(revs) == 0 {
		return nil, storage.Errorf(storage.ENotFound, "The post has no headline history.")
	}
	return revs[len(revs)-1], nil
}

// readRevision reads a revision document another Tidings sent or serves.
func readRevision(raw any) (*revisionDoc, error) {
	body, err := json.Marshal(raw)
	if err != nil {
		return nil, err
	}
	var doc revisionDoc
	if err := json.Unmarshal(body, &doc); err != nil || doc.Type != "HeadlineRevision" || doc.HeadlineRevision < 1 {
		return nil, fmt.Errorf("not a headline revision")
	}
	return &doc, nil
}
