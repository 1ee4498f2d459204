package federation

import (
	"context"
	"strings"

	"github.com/go-fed/activity/streams/vocab"
	"golang.org/x/net/html"

	"github.com/tidings-social/tidings/storage"
)

// onFlag stores a Flag from another server in the queues of what it
// names. Servers send it in two shapes and their kin: Mastodon's and
// GoToSocial's (the instance actor; object = the account and its posts;
// the comment in content), Lemmy's and Mbin's (a person; object = the
// post, or the post and its author; to and audience = the community; the
// reason in summary, sometimes in content too). The object may be one id
// or a list, so a Flag is read here, before the dispatch that wants one
// object per activity.
func (f *Federator) onFlag(ctx context.Context, in *storage.Inbound) (bool, error) {
	if in.Type != "Flag" {
		return false, nil
	}
	t, _, err := decode(ctx, in.Body)
	if err != nil {
		return true, ignore("an unreadable Flag: %v", err)
	}
	flag, ok := t.(vocab.ActivityStreamsFlag)
	if !ok {
		return true, ignore("a %s stored as a Flag", t.GetTypeName())
	}
	if in.ForwardedBy != "" {
		return true, ignore("a Flag must be sent by its actor")
	}
	reporter, err := f.db.ActorByURI(ctx, in.ActorURI)
	if err != nil {
		return true, err
	}
	reason := textOf(flag.GetActivityStreamsContent())
	if strings.TrimSpace(reason) == "" {
		reason = textOf(flag.GetActivityStreamsSummary())
	}
	_, err = f.db.ReceiveFlag(storage.CompletingInbound(ctx, in), storage.RemoteFlag{
		ActivityURI: in.ActivityURI,
		ReporterID:  reporter.ID,
		Objects:     iris(flag.GetActivityStreamsObject()),
		Reason:      plainText(reason),
	})
	if code := storage.ErrorCode(err); code == storage.ENotFound || code == storage.EInvalid {
		return true, ignore("%s", storage.ErrorMessage(err))
	}
	return true, err
}

// plainText is the text of a reason that may be written in HTML, as
// Misskey and Mastodon's web forms may send it, with its paragraphs and
// line breaks kept as line breaks.
func plainText(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			if name, _ := z.TagName(); string(name) == "br" || string(name) == "p" && b.Len() > 0 {
				b.WriteByte('\n')
			}
		}
	}
}
