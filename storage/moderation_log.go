package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Actions in the moderation log.
const (
	ModDismissFlags    = "dismiss_flags" // flags about an item dismissed
	ModRemovePost      = "remove_post"   // a post or comment removed
	ModLockHeadline    = "lock_headline" // a headline locked
	ModUnlockHeadline  = "unlock_headline"
	ModBanMember       = "ban_member" // a member banned from a subwiki
	ModUnbanMember     = "unban_member"
	ModSuspendMember   = "suspend_member" // a local member suspended by an admin
	ModUnsuspendMember = "unsuspend_member"
	ModBlockDomain     = "block_domain"   // a remote server suspended
	ModLimitDomain     = "limit_domain"   // a remote server limited
	ModUnblockDomain   = "unblock_domain" // a server's block or limit lifted
	ModGrantAdmin      = "grant_admin"    // a member made an admin
	ModRevokeAdmin     = "revoke_admin"   // an admin made a member again
)

// ModerationEntry is one action in the moderation log.
type ModerationEntry struct {
	ID         string
	SubwikiID  string // "" for the instance's log
	ActorID    string // who acted; "" when unknown
	Actor      *Actor // filled by ModerationLog
	Action     string
	TargetURI  string
	TargetText string
	Reason     string
	Until      time.Time // zero: no end
	CreatedAt  time.Time
}

// logModeration writes an entry in the moderation log, in the
// transaction of the action itself, so that no action goes unlogged.
func (tx *Tx) logModeration(ctx context.Context, e ModerationEntry) error {
	var until any
	if !e.Until.IsZero() {
		until = millis(e.Until)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO moderation_log (id, subwiki_id, actor_id, action, target_uri,
		target_text, reason, until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tx.newID(), nullable(e.SubwikiID), nullable(e.ActorID), e.Action, e.TargetURI,
		cleanLine(e.TargetText, MaxHeadlineLength), e.Reason, until, millis(tx.now))
	if err != nil {
		return fmt.Errorf("log %s: %w", e.Action, err)
	}
	if actsOnFlags[e.Action] && e.TargetURI != "" {
		// The reporters learn that a moderator acted on what they flagged.
		return tx.actionFlags(ctx, e.TargetURI)
	}
	return nil
}

// actsOnFlags are the actions that settle the open flags about their
// target: flags about a removed post, a locked headline, a banned or
// suspended account were acted on.
var actsOnFlags = map[string]bool{
	ModRemovePost: true, ModLockHeadline: true, ModBanMember: true, ModSuspendMember: true,
}

// ModerationLog lists a log newest first, at most limit entries from
// before the entry id given ("" for the newest): a subwiki's, or the
// instance's when subwikiID is "".
func (db *DB) ModerationLog(ctx context.Context, subwikiID, before string, limit int) ([]*ModerationEntry, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	if before == "" {
		before = "\U0010FFFF"
	}
	var list []*ModerationEntry
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT l.id, coalesce(l.subwiki_id, ''), coalesce(l.actor_id, ''),
			l.action, l.target_uri, l.target_text, l.reason, l.until, l.created_at
			FROM moderation_log l WHERE coalesce(l.subwiki_id, '') = ? AND l.id < ?
			ORDER BY l.id DESC LIMIT ?`, subwikiID, before, limit)
		if err != nil {
			return fmt.Errorf("moderation log: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var e ModerationEntry
			var until sql.NullInt64
			var created int64
			if err := rows.Scan(&e.ID, &e.SubwikiID, &e.ActorID, &e.Action, &e.TargetURI, &e.TargetText,
				&e.Reason, &until, &created); err != nil {
				return fmt.Errorf("read moderation log: %w", err)
			}
			if until.Valid {
				e.Until = fromMillis(until.Int64)
			}
			e.CreatedAt = fromMillis(created)
			list = append(list, &e)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		for _, e := range list {
			if e.ActorID == "" {
				continue
			}
			if a, err := tx.actorWhere(ctx, "a.id = ?", e.ActorID); err == nil {
				e.Actor = a
			}
		}
		return nil
	})
	return list, err
}
