package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// EventDeleteActor is the Delete of a deleted member's actor. Subject:
// the member's id; to every server that knew the actor
// (AccountDeletionInboxes).
const EventDeleteActor = "delete_actor"

// DeleteDueAccount deletes one account whose grace period is over, in
// one transaction, and returns its deletion, or nil when none is due.
// Posts and comments (tombstoned), likes, follows both ways, flags the
// member filed, blocks, sessions, notifications and the member's row
// go; the uploaded images are left unused, for the janitor's sweep. The
// name stays taken, and the actor stays, without its profile, only to
// sign the Delete that tells other servers, until ForgetDeletedActors.
// Headline revisions the member made on others' posts stay in those
// posts' histories, credited to nobody once the actor goes.
func (db *DB) DeleteDueAccount(ctx context.Context) (*AccountDeletion, error) {
	var d *AccountDeletion
	err := db.write(ctx, func(tx *Tx) (err error) {
		d, err = tx.accountDeletionWhere(ctx, "deleted_at IS NULL AND due_at <= ? ORDER BY due_at LIMIT 1", millis(tx.now))
		if err != nil || d == nil {
			return err
		}
		if err := tx.noteDeletionInboxes(ctx, d.MemberID); err != nil {
			return err
		}
		if err := tx.deleteAccountContent(ctx, d); err != nil {
			return err
		}
		eventID, err := tx.enqueueID(ctx, EventDeleteActor, d.MemberID, d.MemberID, OutboxPayload{ObjectURI: d.ActorURI})
		if err != nil {
			return err
		}
		d.DeletedAt = tx.now
		_, err = tx.ExecContext(ctx, `UPDATE account_deletions SET deleted_at = ?, delete_event = ? WHERE member_id = ?`,
			millis(tx.now), eventID, d.MemberID)
		if err != nil {
			return fmt.Errorf("record deletion of %s: %w", d.Username, err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("delete due account: %w", err)
	}
	return d, nil
}

// deletionInboxes selects, after the actor ?1 itself, the inboxes
// (shared where there is one) of the remote actors that knew it:
// followers and followees; authors of posts it liked or replied to and
// those who liked or replied to its posts; remote subwikis it posted
// into, and the followers of our subwikis that relayed its posts. These
// are the servers that can hold something of the actor. (Mastodon sends
// to its followers first, then to every inbox it knows.)
const deletionInboxes = `
	WITH knew(id) AS (
		SELECT follower_id FROM follows WHERE followee_id = ?1
		UNION SELECT followee_id FROM follows WHERE follower_id = ?1
		UNION SELECT p.author_id FROM reactions r JOIN posts p ON p.id = r.post_id WHERE r.actor_id = ?1
		UNION SELECT r.actor_id FROM reactions r JOIN posts p ON p.id = r.post_id WHERE p.author_id = ?1
		UNION SELECT p.author_id FROM posts c JOIN posts p ON p.id = c.parent_id WHERE c.author_id = ?1
		UNION SELECT c.author_id FROM posts c JOIN posts p ON p.id = c.parent_id WHERE p.author_id = ?1
		UNION SELECT subwiki_id FROM posts WHERE author_id = ?1 AND subwiki_id IS NOT NULL
		UNION SELECT f.follower_id FROM posts p JOIN follows f ON f.followee_id = p.subwiki_id
			WHERE p.author_id = ?1 AND f.state = 'accepted'
	)
	SELECT DISTINCT ?1, CASE WHEN a.shared_inbox <> '' THEN a.shared_inbox ELSE a.inbox END
	FROM knew JOIN actors a ON a.id = knew.id WHERE a.local = 0 AND a.inbox <> ''`

// noteDeletionInboxes records where the Delete of the member's actor
// goes, before what shows it is deleted.
func (tx *Tx) noteDeletionInboxes(ctx context.Context, memberID string) error {
	_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO account_deletion_inboxes (member_id, inbox) `+deletionInboxes, memberID)
	if err != nil {
		return fmt.Errorf("note inboxes of %s: %w", memberID, err)
	}
	return nil
}

// deleteAccountContent deletes what the member made and the member's
// row; the actor keeps its key and loses its profile.
func (tx *Tx) deleteAccountContent(ctx context.Context, d *AccountDeletion) error {
	if err := tx.deletePostsWhere(ctx, `p.author_id = ?`, d.MemberID); err != nil {
		return fmt.Errorf("posts of %s: %w", d.Username, err)
	}
	if err := tx.recountReactionsBy(ctx, d.MemberID); err != nil {
		return err
	}
	for _, q := range []string{
		`DELETE FROM reactions WHERE actor_id = ?1`,
		`DELETE FROM follows WHERE follower_id = ?1 OR followee_id = ?1`,
		`DELETE FROM flags WHERE reporter_id = ?1 AND activity_uri = ''`,
		`DELETE FROM blocks WHERE blocker_id = ?1 OR blocked_id = ?1`,
		`DELETE FROM mutes WHERE target_id = ?1`,
		`DELETE FROM notifications WHERE actor_id = ?1`,
		`DELETE FROM post_recipients WHERE actor_id = ?1`,
		`DELETE FROM profile_fields WHERE actor_id = ?1`,
		`DELETE FROM members WHERE id = ?1`,
		`UPDATE actors SET display_name = '', summary = '', icon_url = '', image_url = '', discoverable = 0 WHERE id = ?1`,
	} {
		if _, err := tx.ExecContext(ctx, q, d.MemberID); err != nil {
			return fmt.Errorf("delete account %s: %w", d.Username, err)
		}
	}
	return tx.tombstone(ctx, d.ActorURI)
}

// AccountDeletionInboxes lists the inboxes the Delete of the deleted
// member's actor goes to, noted when the account was deleted.
func (db *DB) AccountDeletionInboxes(ctx context.Context, memberID string) ([]string, error) {
	var inboxes []string
	err := db.read(ctx, func(tx *Tx) (err error) {
		inboxes, err = tx.textColumn(ctx, `SELECT inbox FROM account_deletion_inboxes WHERE member_id = ? ORDER BY inbox`, memberID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("deletion inboxes of %s: %w", memberID, err)
	}
	return inboxes, nil
}

// ForgetDeletedActor removes the actor, with its key, of one deleted
// account whose Delete is done with (every delivery delivered or given
// up), in one transaction, and reports whether there was one. What
// still named the actor (revisions it made, the moderation log) names
// nobody after.
func (db *DB) ForgetDeletedActor(ctx context.Context) (bool, error) {
	found := false
	err := db.write(ctx, func(tx *Tx) error {
		var memberID string
		err := tx.QueryRowContext(ctx, `SELECT d.member_id FROM account_deletions d
			WHERE d.deleted_at IS NOT NULL AND d.forgotten_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = d.delete_event AND (o.processed_at IS NULL
				OR EXISTS (SELECT 1 FROM deliveries x WHERE x.outbox_id = o.id AND x.`+pendingDelivery+`)))
			ORDER BY d.deleted_at LIMIT 1`).Scan(&memberID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("find deleted actor: %w", err)
		}
		found = true
		for _, q := range []string{
			`DELETE FROM actors WHERE id = ?`,
			`DELETE FROM account_deletion_inboxes WHERE member_id = ?`,
			`UPDATE account_deletions SET forgotten_at = ` + fmt.Sprint(millis(tx.now)) + ` WHERE member_id = ?`,
		} {
			if _, err := tx.ExecContext(ctx, q, memberID); err != nil {
				return fmt.Errorf("forget deleted actor %s: %w", memberID, err)
			}
		}
		return nil
	})
	return found, err
}
