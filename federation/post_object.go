package federation

import (
	"context"
	"slices"
	"strings"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// postType is what Tidings sets on the object of a post, a Note or Page.
type postType interface {
	vocab.Type
	addressing
	SetActivityStreamsAttributedTo(vocab.ActivityStreamsAttributedToProperty)
	SetActivityStreamsName(vocab.ActivityStreamsNameProperty)
	SetActivityStreamsSummary(vocab.ActivityStreamsSummaryProperty)
	SetActivityStreamsContent(vocab.ActivityStreamsContentProperty)
	SetActivityStreamsPublished(vocab.ActivityStreamsPublishedProperty)
	SetActivityStreamsUpdated(vocab.ActivityStreamsUpdatedProperty)
	SetActivityStreamsUrl(vocab.ActivityStreamsUrlProperty)
	SetActivityStreamsInReplyTo(vocab.ActivityStreamsInReplyToProperty)
	SetActivityStreamsAudience(vocab.ActivityStreamsAudienceProperty)
	SetActivityStreamsAttachment(vocab.ActivityStreamsAttachmentProperty)
	SetActivityStreamsTag(vocab.ActivityStreamsTagProperty)
	GetUnknownProperties() map[string]any
}

// published is a local post as it goes out: its object, who it is
// addressed to, and the inboxes it goes to besides the author's
// followers (a remote subwiki, the author replied to, the mentioned).
type published struct {
	object  postType
	to, cc  []string
	inboxes []string
	// repliedTo is the author of the post a comment answers, when known.
	repliedTo *storage.Actor
}

// publish builds the object of a local post. News is a Page (the link in
// url and as a Link attachment, as Lemmy reads it); a discussion is a
// Note; a comment is a Note in reply. Their text is written as each
// server reads it (postText). A post in a subwiki has the Group as
// audience and among its recipients.
func (f *Federator) publish(ctx context.Context, p *storage.Post, author *storage.Actor) (*published, error) {
	out := &published{to: []string{publicCollection}, cc: []string{author.Followers}}
	if p.Visibility == storage.Direct {
		out.to, out.cc = nil, nil // for those it names only
	}
	var obj postType
	switch p.Kind {
	case storage.KindNews:
		page := streams.NewActivityStreamsPage()
		link := streams.NewActivityStreamsLink()
		href := streams.NewActivityStreamsHrefProperty()
		if u := iriOf(p.LinkURL); u != nil {
			href.Set(u)
			link.SetActivityStreamsHref(href)
		}
		attachment := streams.NewActivityStreamsAttachmentProperty()
		attachment.AppendActivityStreamsLink(link)
		page.SetActivityStreamsAttachment(attachment)
		obj = page
	default:
		obj = streams.NewActivityStreamsNote()
	}
	obj.SetJSONLDId(idProperty(p.URI))
	attributed := streams.NewActivityStreamsAttributedToProperty()
	appendIRIs(attributed, author.URI)
	obj.SetActivityStreamsAttributedTo(attributed)
	postText(p, obj)
	published := streams.NewActivityStreamsPublishedProperty()
	published.Set(p.Published)
	obj.SetActivityStreamsPublished(published)
	if !p.Updated.IsZero() {
		updated := streams.NewActivityStreamsUpdatedProperty()
		updated.Set(p.Updated)
		obj.SetActivityStreamsUpdated(updated)
	}
	link := streams.NewActivityStreamsUrlProperty()
	if p.Kind == storage.KindNews {
		appendIRIs(link, p.LinkURL)
	} else {
		appendIRIs(link, p.URL)
	}
	if link.Len() > 0 {
		obj.SetActivityStreamsUrl(link)
	}
	if err := f.addressGroup(ctx, p, obj, out); err != nil {
		return nil, err
	}
	if err := f.addressReply(ctx, p, obj, out); err != nil {
		return nil, err
	}
	f.addressMentions(ctx, p, obj, out)
	if p.Visibility == storage.Direct {
		// Mastodon reads a post addressed to neither the public nor
		// followers as direct, and shows it to those it mentions.
		out.to, out.cc = append(out.to, out.cc...), nil
	}
	address2(obj, out.to, out.cc)
	addImages(obj, p)
	if p.Local && p.Headline != "" {
		// FEP-bad1: where the headline's revisions are, and which is current.
		extra := obj.GetUnknownProperties()
		extra["history"] = p.URI + "/history"
		extra["headlineRevision"] = p.Revision
	}
	out.object = obj
	return out, nil
}

// addressGroup makes a post in a subwiki part of its Group (FEP-1b12).
func (f *Federator) addressGroup(ctx context.Context, p *storage.Post, obj postType, out *published) error {
	if p.SubwikiID == "" || !storage.Listed(p.Visibility) {
		return nil // a group relays what it gets to all: not a private reply
	}
	group, err := f.db.ActorByID(ctx, p.SubwikiID)
	if err != nil {
		return err
	}
	audience := streams.NewActivityStreamsAudienceProperty()
	appendIRIs(audience, group.URI)
	obj.SetActivityStreamsAudience(audience)
	out.to = append(out.to, group.URI)
	if !group.Local {
		out.inboxes = append(out.inboxes, group.Inbox)
	}
	return nil
}

// addressReply makes a comment a reply, sent to the author replied to.
func (f *Federator) addressReply(ctx context.Context, p *storage.Post, obj postType, out *published) error {
	if p.InReplyTo == "" {
		return nil
	}
	reply := streams.NewActivityStreamsInReplyToProperty()
	appendIRIs(reply, p.InReplyTo)
	obj.SetActivityStreamsInReplyTo(reply)
	parent, err := f.db.PostByURI(ctx, p.InReplyTo)
	if err != nil {
		return nil // the parent is gone; the reply still goes out
	}
	parentAuthor, err := f.db.ActorByID(ctx, parent.AuthorID)
	if err != nil {
		return nil
	}
	if blocked, err := f.db.Blocks(ctx, parentAuthor.ID, p.AuthorID); err != nil || blocked {
		return nil // the reply is not sent to whoever blocked its author
	}
	out.cc = append(out.cc, parentAuthor.URI)
	out.repliedTo = parentAuthor
	if !parentAuthor.Local {
		out.inboxes = append(out.inboxes, parentAuthor.Inbox)
	}
	return nil
}

// addressMentions tags the accounts a post names, as Mastodon does, and
// sends it to them. A direct reply also tags the author it answers, who
// would not see it otherwise.
func (f *Federator) addressMentions(ctx context.Context, p *storage.Post, obj postType, out *published) {
	tags := streams.NewActivityStreamsTagProperty()
	if p.Visibility == storage.Direct && out.repliedTo != nil && !slices.Contains(storage.FindMentions(p.Source), out.repliedTo.Username+"@"+out.repliedTo.Host) {
		if mention := mentionOf(out.repliedTo); mention != nil {
			tags.AppendActivityStreamsMention(mention)
		}
	}
	for _, handle := range storage.FindMentions(p.Source) {
		user, host, remote := strings.Cut(handle, "@")
		if !remote {
			host = f.cfg.Site.Domain
		}
		a, err := f.db.ActorByHandle(ctx, strings.ToLower(user), host)
		if err != nil {
			continue // not resolved when it was written: left as text
		}
		mention := mentionOf(a)
		if mention == nil {
			continue
		}
		tags.AppendActivityStreamsMention(mention)
		if blocked, err := f.db.Blocks(ctx, a.ID, p.AuthorID); err != nil || blocked {
			continue // named, but not sent to whoever blocked the author
		}
		out.cc = append(out.cc, a.URI)
		if !a.Local {
			out.inboxes = append(out.inboxes, a.Inbox)
		}
	}
	if !p.Local || !tagHashtags(p, obj, tags, f.cfg.Site.TagBase()) {
		if tags.Len() > 0 {
			obj.SetActivityStreamsTag(tags)
		}
	}
}

// mentionOf is the Mention tag of an account, nil when its id is no URL.
func mentionOf(a *storage.Actor) vocab.ActivityStreamsMention {
	u := iriOf(a.URI)
	if u == nil {
		return nil
	}
	mention := streams.NewActivityStreamsMention()
	href := streams.NewActivityStreamsHrefProperty()
	href.Set(u)
	mention.SetActivityStreamsHref(href)
	name := streams.NewActivityStreamsNameProperty()
	name.AppendXMLSchemaString("@" + a.Username + "@" + a.Host)
	mention.SetActivityStreamsName(name)
	return mention
}

// address2 sets to and cc from lists of ids.
func address2(t addressing, to, cc []string) {
	toProp := streams.NewActivityStreamsToProperty()
	appendIRIs(toProp, to...)
	t.SetActivityStreamsTo(toProp)
	ccProp := streams.NewActivityStreamsCcProperty()
	appendIRIs(ccProp, cc...)
	t.SetActivityStreamsCc(ccProp)
}

// createOf is the Create that published a post; its id is the post's id
// with /activity, so it is the same every time it is sent.
func createOf(p *storage.Post, author *storage.Actor, pub *published) vocab.ActivityStreamsCreate {
	create := streams.NewActivityStreamsCreate()
	create.SetJSONLDId(idProperty(p.URI + "/activity"))
	create.SetActivityStreamsActor(actorProperty(author.URI))
	object := streams.NewActivityStreamsObjectProperty()
	object.AppendType(pub.object)
	create.SetActivityStreamsObject(object)
	published := streams.NewActivityStreamsPublishedProperty()
	published.Set(p.Published)
	create.SetActivityStreamsPublished(published)
	address2(create, pub.to, pub.cc)
	return create
}

// updateOf is the Update of a post whose text (or headline) changed.
func updateOf(p *storage.Post, author *storage.Actor, pub *published, id string) vocab.ActivityStreamsUpdate {
	update := streams.NewActivityStreamsUpdate()
	update.SetJSONLDId(idProperty(id))
	update.SetActivityStreamsActor(actorProperty(author.URI))
	object := streams.NewActivityStreamsObjectProperty()
	object.AppendType(pub.object)
	update.SetActivityStreamsObject(object)
	address2(update, pub.to, pub.cc)
	return update
}
