package storage

import "context"

// RemoteRemoval is a removal another server's moderator made of a post
// kept here, as the inbox checked it: GroupID names the remote subwiki
// whose moderators list the actor (as its server serves the list), or
// is "" when the actor's server is the post's origin and no longer
// serves the post.
type RemoteRemoval struct {
	ActorID string // the moderator, on another server
	PostURI string
	GroupID string
	Reason  string
}

// RemoveFromElsewhere applies a remote moderator's removal: the post is
// deleted here with the reason kept for its page, and the instance's log
// records it. Only a moderator of the post's own subwiki, a community on
// another server, or the post's origin may remove it; a subwiki of ours
// is moderated here only. A post already gone changes nothing.
func (db *DB) RemoveFromElsewhere(ctx context.Context, r RemoteRemoval) error {
	reason := cleanLine(r.Reason, maxReasonLength)
	return db.write(ctx, func(tx *Tx) error {
		actor, err := tx.actorWhere(ctx, "a.id = ?", r.ActorID)
		if err != nil {
			return err
		}
		if actor.Local {
			return Errorf(EForbidden, "Members here remove posts from this server's pages.")
		}
		p, err := tx.postWhere(ctx, "p.uri = ?", r.PostURI)
		if ErrorCode(err) == ENotFound {
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case r.GroupID != "":
			if p.SubwikiID != r.GroupID {
				return Errorf(EForbidden, "%s is not in the community %s moderates.", p.URI, actor.URI)
			}
			if _, err := tx.subwikiWhere(ctx, "id = ?", r.GroupID); err == nil {
				return Errorf(EForbidden, "The subwikis here are moderated here.")
			} else if ErrorCode(err) != ENotFound {
				return err
			}
		case p.Local || !sameHost(actor.URI, p.URI):
			return Errorf(EForbidden, "%s does not moderate %s.", actor.URI, p.URI)
		}
		if reason == "" {
			reason = "No reason given."
		}
		return tx.keepRemoval(ctx, p, actor.ID, r.GroupID, reason)
	})
}

// keepRemoval deletes a post a remote moderator removed and logs it in
// the instance's log: the community's own log is on its server.
func (tx *Tx) keepRemoval(ctx context.Context, p *Post, actorID, groupID, reason string) error {
	if err := tx.deletePost(ctx, p); err != nil {
		return err
	}
	if err := tx.insertRemoval(ctx, p, groupID, actorID, reason); err != nil {
		return err
	}
	if err := tx.notifyRemoval(ctx, p, actorID, reason); err != nil {
		return err
	}
	entry := ModerationEntry{ActorID: actorID, Action: ModRemovePost, TargetURI: p.URI, Reason: reason}
	if Listed(p.Visibility) {
		entry.TargetText = p.Headline
	}
	return tx.logModeration(ctx, entry)
}
