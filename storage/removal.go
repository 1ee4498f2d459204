package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// EventRemovePost is a moderator's removal of a post in a subwiki here:
// a Delete by the moderator with the reason, which the subwiki announces
// (FEP-1b12, as Lemmy). Payload: the post's id, its subwiki, its author
// (TargetActorID) and the reason.
const EventRemovePost = "remove_post"

// Removal is what is kept of a post the moderators removed.
type Removal struct {
	PostID    string
	URI       string
	SubwikiID string // "" when it was outside subwikis here
	RemoverID string
	Listed    bool // it was public or unlisted
	Reason    string
	CreatedAt time.Time
}

// RemovePost lets a moderator of the post's subwiki here, or an admin,
// remove a post or comment with a reason for everyone to read. The post
// is deleted and tombstoned, the removal logged, and other servers told:
// the moderator's Delete announced by the subwiki, and for a post of
// ours outside subwikis its author's Delete, as an admin's removal on
// Mastodon. Removing a removed post again changes nothing.
func (db *DB) RemovePost(ctx context.Context, memberID, postID, reason string) error {
	reason = cleanLine(reason, maxReasonLength)
	if reason == "" {
		return Errorf(EInvalid, "Say why the post is removed: the reason is shown in its place.")
	}
	return db.write(ctx, func(tx *Tx) error {
		if rm, err := tx.removal(ctx, postID); err == nil {
			return tx.removedAlready(ctx, memberID, rm)
		} else if ErrorCode(err) != ENotFound {
			return err
		}
		p, err := tx.postWhere(ctx, "p.id = ?", postID)
		if err != nil {
			return err
		}
		if err := tx.mustSee(ctx, memberID, p.ID); err != nil {
			return err
		}
		subwikiID, err := tx.mayRemove(ctx, memberID, p)
		if err != nil {
			return err
		}
		return tx.removePost(ctx, p, memberID, subwikiID, reason)
	})
}

// mayRemove lets moderators of the post's subwiki here and admins remove
// it; it returns the subwiki here, "" for none.
func (tx *Tx) mayRemove(ctx context.Context, memberID string, p *Post) (string, error) {
	subwikiID := ""
	if p.SubwikiID != "" {
		s, err := tx.subwikiWhere(ctx, "id = ?", p.SubwikiID)
		switch ErrorCode(err) {
		case "":
			subwikiID = s.ID
		case ENotFound: // a community elsewhere: its moderators decide there
		default:
			return "", err
		}
	}
	if subwikiID != "" {
		if ok, err := tx.isModerator(ctx, memberID, subwikiID); err != nil || ok {
			return subwikiID, err
		}
	}
	m, err := tx.memberWhere(ctx, "id = ?", memberID)
	if err != nil {
		return "", err
	}
	if !m.IsAdmin {
		if subwikiID != "" {
			return "", Errorf(EForbidden, "Only moderators of this subwiki and admins can remove posts.")
		}
		return "", Errorf(EForbidden, "Only admins can remove posts outside subwikis.")
	}
	return subwikiID, nil
}

// removePost deletes the post, keeps its removal, logs it, and tells
// other servers.
func (tx *Tx) removePost(ctx context.Context, p *Post, memberID, subwikiID, reason string) error {
	if err := tx.deletePost(ctx, p); err != nil {
		return err
	}
	if err := tx.insertRemoval(ctx, p, subwikiID, memberID, reason); err != nil {
		return err
	}
	if err := tx.notifyRemoval(ctx, p, memberID, reason); err != nil {
		return err
	}
	entry := ModerationEntry{SubwikiID: subwikiID, ActorID: memberID, Action: ModRemovePost, TargetURI: p.URI, Reason: reason}
	if Listed(p.Visibility) {
		// The log is public: it names only what everyone could read.
		entry.TargetText = p.Headline
	}
	if err := tx.logModeration(ctx, entry); err != nil {
		return err
	}
	if p.Local && subwikiID == "" {
		_, err := tx.enqueueID(ctx, EventDeletePost, "", p.AuthorID, OutboxPayload{ObjectURI: p.URI,
			SubwikiID: p.SubwikiID, TargetActorID: tx.parentAuthor(ctx, p)})
		return err
	}
	if subwikiID == "" {
		return nil // a remote post outside subwikis here: only our copy goes
	}
	eventID, err := tx.enqueueID(ctx, EventRemovePost, "", memberID, OutboxPayload{ObjectURI: p.URI,
		SubwikiID: subwikiID, TargetActorID: p.AuthorID, Reason: reason})
	if err != nil {
		return err
	}
	if err := tx.groupAnnounce(ctx, p, OutboxPayload{InnerEventID: eventID}); err != nil {
		return err
	}
	return tx.groupAnnounce(ctx, p, OutboxPayload{ObjectURI: p.URI, UndoBoost: true})
}

// removedAlready answers a removal of a removed post: done, for those
// who could have removed it; for anyone else there is no such post.
func (tx *Tx) removedAlready(ctx context.Context, memberID string, rm *Removal) error {
	if rm.SubwikiID != "" {
		if ok, err := tx.isModerator(ctx, memberID, rm.SubwikiID); err != nil || ok {
			return err
		}
	}
	m, err := tx.memberWhere(ctx, "id = ?", memberID)
	if err != nil {
		return err
	}
	if !m.IsAdmin {
		return Errorf(ENotFound, "No such post.")
	}
	return nil
}

// insertRemoval keeps what the removed post's page says.
func (tx *Tx) insertRemoval(ctx context.Context, p *Post, subwikiID, removerID, reason string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO removals (post_id, uri, subwiki_id, remover_id, listed, reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, p.ID, p.URI, nullable(subwikiID), removerID,
		Listed(p.Visibility), reason, millis(tx.now))
	if err != nil {
		return fmt.Errorf("keep removal of %s: %w", p.URI, err)
	}
	return nil
}

func (tx *Tx) removal(ctx context.Context, postID string) (*Removal, error) {
	var r Removal
	var subwiki, remover sql.NullString
	var created int64
	err := tx.QueryRowContext(ctx, `SELECT post_id, uri, subwiki_id, remover_id, listed, reason, created_at
		FROM removals WHERE post_id = ?`, postID).Scan(&r.PostID, &r.URI, &subwiki, &remover, &r.Listed, &r.Reason, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(ENotFound, "No such post.")
	}
	if err != nil {
		return nil, fmt.Errorf("find removal of %s: %w", postID, err)
	}
	r.SubwikiID, r.RemoverID, r.CreatedAt = subwiki.String, remover.String, fromMillis(created)
	return &r, nil
}

// Removal returns the removal of the post with the id, if the moderators
// removed it; ENotFound otherwise.
func (db *DB) Removal(ctx context.Context, postID string) (*Removal, error) {
	var r *Removal
	err := db.read(ctx, func(tx *Tx) (err error) {
		r, err = tx.removal(ctx, postID)
		return err
	})
	return r, err
}

// MayRemove reports whether the member may remove the post, for showing
// the form; RemovePost enforces it.
func (db *DB) MayRemove(ctx context.Context, memberID, postID string) (bool, error) {
	may := false
	err := db.read(ctx, func(tx *Tx) error {
		p, err := tx.postWhere(ctx, "p.id = ?", postID)
		if err != nil {
			return err
		}
		_, err = tx.mayRemove(ctx, memberID, p)
		may = err == nil
		if code := ErrorCode(err); code == EForbidden || code == ENotFound {
			return nil
		}
		return err
	})
	return may, err
}
