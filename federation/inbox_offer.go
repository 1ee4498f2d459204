package federation

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// onOffer: a member of another server proposes a correction of the
// headline of one of our posts (an Offer of the post with the revised
// name, targeting the post). The rules are the same as for members here;
// the answer, Accept or Reject with the reason, is sent either way.
func (f *Federator) onOffer(ctx context.Context, in *incoming) error {
	offer, ok := in.act.(vocab.ActivityStreamsOffer)
	if !ok {
		return ignore("not an Offer")
	}
	object, err := objectOf(in.act)
	if err != nil {
		return err
	}
	target := firstRef(offer.GetActivityStreamsTarget()).IRI
	if target == "" || object.IRI != target || !f.cfg.Site.IsLocal(target) {
		return ignore("only corrections of posts here are taken")
	}
	revised, ok := object.Type.(postable)
	if !ok {
		return ignore("the Offer carries no revised post")
	}
	post, err := f.db.PostByURI(ctx, target)
	if err != nil {
		return ignore("no post %s here", target)
	}
	base := 0
	if props, ok := revised.(interface{ GetUnknownProperties() map[string]any }); ok {
		base = intProperty(props.GetUnknownProperties(), "headlineRevision")
	}
	edit := storage.HeadlineEdit{
		PostID:       post.ID,
		EditorID:     in.actor.ID,
		BaseRevision: base,
		Headline:     textOf(revised.GetActivityStreamsName()),
		Reason:       strings.TrimSpace(textOf(offer.GetActivityStreamsSummary())),
		SourceURL:    firstRef(offer.GetActivityStreamsUrl()).IRI,
	}
	_, refused, err := f.db.ReceiveProposal(completing(ctx, in), edit, idOf(in.act))
	if err != nil {
		return err
	}
	if refused != nil {
		return ignore("proposal refused: %s", storage.ErrorMessage(refused))
	}
	return nil
}

// intProperty reads a number go-fed left among unknown properties.
func intProperty(props map[string]any, name string) int {
	switch v := props[name].(type) {
	case float64:
		return int(v)
	case json.Number:
		n, _ := v.Int64()
		return int(n)
	case int:
		return v
	}
	return 0
}

// answerProposal records the origin's Accept or Reject of a correction a
// member here proposed; it reports false when the object is no proposal.
func (f *Federator) answerProposal(ctx context.Context, in *incoming, accepted bool) (bool, error) {
	object, err := objectOf(in.act)
	if err != nil || object.Type != nil || !f.cfg.Site.IsLocal(object.IRI) {
		return false, nil
	}
	reason := ""
	if r, ok := in.act.(interface {
		GetActivityStreamsSummary() vocab.ActivityStreamsSummaryProperty
	}); ok {
		reason = textOf(r.GetActivityStreamsSummary())
	}
	err = f.db.AnswerProposal(completing(ctx, in), in.actor.ID, object.IRI, accepted, reason)
	if storage.ErrorCode(err) == storage.ENotFound {
		return false, nil
	}
	return true, err
}
