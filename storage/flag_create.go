package storage

import (
	"context"
	"fmt"
)

// Outbox events of flags sent on to other servers. Subject: the flag.
// Payload: ObjectURI the item, Reason the category and comment.
const (
	// EventFlagAccount goes, as the instance actor, to the server of the
	// account flagged or the post's author, in Mastodon's shape;
	// Payload.TargetActorID is that account.
	EventFlagAccount = "flag_account"
	// EventFlagGroup goes, as the member, to the server of the remote
	// subwiki the post is in, in Lemmy's shape; Payload.SubwikiID is the
	// Group.
	EventFlagGroup = "flag_group"
)

// FlagItem records a member's flag of a post, a comment or an account,
// in the queue the item belongs to, and sends it on to the item's server
// when the member asks and the item comes from another server. A member
// has one open flag per item: a second is refused.
func (db *DB) FlagItem(ctx context.Context, c FlagCreate) (*Flag, error) {
	flags, err := db.FlagItems(ctx, []FlagCreate{c})
	if err != nil {
		return nil, err
	}
	return flags[0], nil
}

// FlagItems records a member's flags of several items at once, as
// FlagItem does each: all of them, or none when one is refused.
func (db *DB) FlagItems(ctx context.Context, list []FlagCreate) ([]*Flag, error) {
	if len(list) == 0 {
		return nil, Errorf(EInvalid, "Flag one post or one account.")
	}
	for i := range list {
		if err := list[i].check(); err != nil {
			return nil, err
		}
	}
	var flags []*Flag
	err := db.write(ctx, func(tx *Tx) error {
		for _, c := range list {
			f, err := tx.flagItem(ctx, c)
			if err != nil {
				return err
			}
			flags = append(flags, f)
		}
		return nil
	})
	return flags, err
}

// flagItem records one flag in FlagItems's transaction.
func (tx *Tx) flagItem(ctx context.Context, c FlagCreate) (*Flag, error) {
	m, err := tx.memberWhere(ctx, "id = ?", c.ReporterID)
	if err != nil || m.Status != MemberActive {
		return nil, Errorf(EForbidden, "Only members can flag.")
	}
	f, err := tx.flagFor(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := tx.insertFlag(ctx, f); err != nil {
		return nil, err
	}
	if f.Forwarded {
		return f, tx.forwardFlag(ctx, f)
	}
	return f, nil
}

// flagFor makes the flag of a member's FlagCreate: what it is about, in
// which queue, and whether it may be sent on.
func (tx *Tx) flagFor(ctx context.Context, c FlagCreate) (*Flag, error) {
	f := &Flag{ID: tx.newID(), ReporterID: c.ReporterID, Category: c.Category, Comment: c.Comment}
	if c.PostID != "" {
		if err := tx.mustSee(ctx, c.ReporterID, c.PostID); err != nil {
			return nil, err
		}
		p, err := tx.postWhere(ctx, "p.id = ?", c.PostID)
		if err != nil {
			return nil, err
		}
		if p.AuthorID == c.ReporterID {
			return nil, Errorf(EInvalid, "You cannot flag your own post.")
		}
		if f.SubwikiID, err = tx.flagQueue(ctx, p); err != nil {
			return nil, err
		}
		f.TargetURI, f.PostID, f.AccountID, f.Forwarded = p.URI, p.ID, p.AuthorID, c.Forward && !p.Local
		f.Post = p
		return f, nil
	}
	a, err := tx.actorWhere(ctx, "a.id = ?", c.AccountID)
	if err != nil {
		return nil, err
	}
	if a.ID == c.ReporterID {
		return nil, Errorf(EInvalid, "You cannot flag yourself.")
	}
	if a.URI == tx.db.Site.InstanceActorURI() {
		return nil, Errorf(EInvalid, "This account cannot be flagged.")
	}
	f.TargetURI, f.AccountID, f.Forwarded, f.Account = a.URI, a.ID, c.Forward && !a.Local, a
	return f, nil
}

// forwardFlag enqueues a flag for the servers of a remote item: a post in
// a remote subwiki goes to that subwiki's server in Lemmy's shape, from
// the member; the author's or account's server gets Mastodon's shape,
// from the instance (which keeps the member's name to ourselves), unless
// it is the subwiki's server, which has the flag already.
func (tx *Tx) forwardFlag(ctx context.Context, f *Flag) error {
	reason := FlagCategoryLabel(f.Category)
	if f.Comment != "" {
		reason += ": " + f.Comment
	}
	account, err := tx.actorWhere(ctx, "a.id = ?", f.AccountID)
	if err != nil {
		return err
	}
	groupHost := ""
	if f.Post != nil && f.Post.SubwikiID != "" {
		group, err := tx.actorWhere(ctx, "a.id = ?", f.Post.SubwikiID)
		if err != nil {
			return err
		}
		if !group.Local {
			groupHost = group.Host
			err := tx.enqueue(ctx, EventFlagGroup, f.ID, f.ReporterID,
				OutboxPayload{ObjectURI: f.TargetURI, SubwikiID: group.ID, Reason: reason})
			if err != nil {
				return err
			}
		}
	}
	if account.Local || account.Host == groupHost {
		return nil
	}
	instance, err := tx.actorWhere(ctx, "a.uri = ?", tx.db.Site.InstanceActorURI())
	if err != nil {
		return fmt.Errorf("instance actor: %w", err)
	}
	return tx.enqueue(ctx, EventFlagAccount, f.ID, instance.ID,
		OutboxPayload{ObjectURI: f.TargetURI, TargetActorID: account.ID, Reason: reason})
}
