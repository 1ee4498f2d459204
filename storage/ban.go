package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Outbox events of bans.
const (
	EventBanFromSubwiki = "ban_from_subwiki" // Subject: the ban's id; a Block with the subwiki as target
	EventUnbanSubwiki   = "unban_subwiki"    // Subject: the ban's id; the Undo of its Block
)

// maxBanReasonLength bounds a ban's public reason.
const maxBanReasonLength = 500

// SubwikiBan keeps an account from taking part in a subwiki.
type SubwikiBan struct {
	ID          string
	SubwikiID   string
	AccountID   string
	Account     *Actor // filled by the listing operations
	Subwiki     *Actor // filled by the listing operations
	BannedByID  string
	Reason      string
	Until       time.Time // zero: until lifted
	ActivityURI string    // the Block that carries the ban
	CreatedAt   time.Time
}

// BanCreate is a moderator's or admin's ban of an account (a member
// here or a remote account) from a subwiki of ours.
type BanCreate struct {
	ByMemberID string
	SubwikiID  string
	AccountID  string
	Reason     string
	Until      time.Time // zero: until lifted
}

// BanFromSubwiki bans an account from a local subwiki. Only the
// subwiki's moderators and the instance's admins may; a moderator of the
// subwiki cannot be banned from it. A ban that replaces a current one
// takes its place. Other servers hear of it as a Block.
func (db *DB) BanFromSubwiki(ctx context.Context, b BanCreate) (*SubwikiBan, error) {
	b.Reason = cleanLine(b.Reason, maxBanReasonLength)
	var ban *SubwikiBan
	err := db.write(ctx, func(tx *Tx) error {
		group, err := tx.mayBan(ctx, b.ByMemberID, b.SubwikiID)
		if err != nil {
			return err
		}
		account, err := tx.actorWhere(ctx, "a.id = ?", b.AccountID)
		if err != nil || (account.Kind != KindPerson && account.Kind != KindService) {
			return Errorf(ENotFound, "There is no such account to ban.")
		}
		if !b.Until.IsZero() && !b.Until.After(tx.now) {
			return Errorf(EInvalid, "The end of a ban must be in the future.")
		}
		if mod, err := tx.isModerator(ctx, account.ID, group.ID); err != nil || mod {
			if err != nil {
				return err
			}
			return Errorf(EConflict, "%s moderates s/%s; remove them as a moderator before banning them.", account.Handle(), group.Username)
		}
		if err := tx.liftCurrentBan(ctx, account.ID, group.ID); err != nil {
			return err
		}
		id := tx.newID()
		ban = &SubwikiBan{ID: id, SubwikiID: group.ID, AccountID: account.ID, BannedByID: b.ByMemberID,
			Reason: b.Reason, Until: b.Until, ActivityURI: group.URI + "#bans/" + id, CreatedAt: tx.now}
		if err := tx.insertBan(ctx, ban); err != nil {
			return err
		}
		if err := tx.announceBan(ctx, EventBanFromSubwiki, ban); err != nil {
			return err
		}
		return tx.logModeration(ctx, ModerationEntry{SubwikiID: group.ID, ActorID: b.ByMemberID, Action: ModBanMember,
			TargetURI: account.URI, TargetText: account.Handle(), Reason: b.Reason, Until: b.Until})
	})
	return ban, err
}

// LiftBan ends a ban from a local subwiki before its time; the same
// people who may ban may lift. Other servers hear of it as an Undo.
func (db *DB) LiftBan(ctx context.Context, byMemberID, subwikiID, banID string) error {
	return db.write(ctx, func(tx *Tx) error {
		group, err := tx.mayBan(ctx, byMemberID, subwikiID)
		if err != nil {
			return err
		}
		ban, err := tx.banWhere(ctx, "id = ? AND subwiki_id = ? AND lifted_at IS NULL", banID, group.ID)
		if err != nil {
			return err
		}
		if ban == nil {
			return Errorf(ENotFound, "There is no such ban in s/%s.", group.Username)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE subwiki_bans SET lifted_at = ? WHERE id = ?`, millis(tx.now), ban.ID); err != nil {
			return fmt.Errorf("lift ban: %w", err)
		}
		ban.BannedByID = byMemberID // the Undo is the lifter's
		if err := tx.announceBan(ctx, EventUnbanSubwiki, ban); err != nil {
			return err
		}
		account, err := tx.actorWhere(ctx, "a.id = ?", ban.AccountID)
		if err != nil {
			return err
		}
		return tx.logModeration(ctx, ModerationEntry{SubwikiID: group.ID, ActorID: byMemberID, Action: ModUnbanMember,
			TargetURI: account.URI, TargetText: account.Handle()})
	})
}

// announceBan records the Block (or its Undo) for the banned account's
// server and has the subwiki announce it to its followers, as Lemmy does.
func (tx *Tx) announceBan(ctx context.Context, kind string, ban *SubwikiBan) error {
	eventID, err := tx.enqueueID(ctx, kind, ban.ID, ban.BannedByID,
		OutboxPayload{TargetActorID: ban.AccountID, SubwikiID: ban.SubwikiID, ActivityURI: ban.ActivityURI})
	if err != nil {
		return err
	}
	return tx.enqueue(ctx, EventGroupAnnounce, "", ban.SubwikiID, OutboxPayload{InnerEventID: eventID})
}

// mayBan returns the local subwiki's group when the member moderates
// it or administers the instance, and refuses anyone else.
func (tx *Tx) mayBan(ctx context.Context, memberID, subwikiID string) (*Actor, error) {
	group, err := tx.actorWhere(ctx, "a.id = ?", subwikiID)
	if err != nil || group.Kind != KindGroup || !group.Local {
		return nil, Errorf(ENotFound, "No such subwiki.")
	}
	m, err := tx.memberWhere(ctx, "id = ?", memberID)
	if err != nil {
		return nil, Errorf(EForbidden, "Only moderators of this subwiki and admins can ban.")
	}
	if m.IsAdmin {
		return group, nil
	}
	if mod, err := tx.isModerator(ctx, memberID, subwikiID); err != nil || !mod {
		if err != nil {
			return nil, err
		}
		return nil, Errorf(EForbidden, "Only moderators of this subwiki and admins can ban.")
	}
	return group, nil
}

// mustNotBeBanned refuses an account that a current ban keeps out of
// the subwiki; an expired ban no longer counts.
func (tx *Tx) mustNotBeBanned(ctx context.Context, accountID, subwikiID string) error {
	if subwikiID == "" {
		return nil
	}
	ban, err := tx.currentBan(ctx, accountID, subwikiID)
	if err != nil || ban == nil {
		return err
	}
	msg := "You are banned from this subwiki"
	if !ban.Until.IsZero() {
		msg += " until " + ban.Until.Format("2 January 2006")
	}
	if ban.Reason != "" {
		msg += ": " + ban.Reason
	}
	return Errorf(EForbidden, "%s.", msg)
}

// currentBan returns the ban in force on the account in the subwiki, or
// nil.
func (tx *Tx) currentBan(ctx context.Context, accountID, subwikiID string) (*SubwikiBan, error) {
	return tx.banWhere(ctx, `account_id = ? AND subwiki_id = ? AND lifted_at IS NULL AND (until IS NULL OR until > ?)
		ORDER BY id DESC LIMIT 1`, accountID, subwikiID, millis(tx.now))
}

// liftCurrentBan lifts, without a word to others, the bans a new one
// replaces.
func (tx *Tx) liftCurrentBan(ctx context.Context, accountID, subwikiID string) error {
	_, err := tx.ExecContext(ctx, `UPDATE subwiki_bans SET lifted_at = ? WHERE account_id = ? AND subwiki_id = ? AND lifted_at IS NULL`,
		millis(tx.now), accountID, subwikiID)
	if err != nil {
		return fmt.Errorf("replace ban: %w", err)
	}
	return nil
}

func (tx *Tx) insertBan(ctx context.Context, b *SubwikiBan) error {
	var until any
	if !b.Until.IsZero() {
		until = millis(b.Until)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO subwiki_bans (id, subwiki_id, account_id, banned_by, reason, until, activity_uri, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, b.ID, b.SubwikiID, b.AccountID, nullable(b.BannedByID), b.Reason, until,
		b.ActivityURI, millis(b.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert ban: %w", err)
	}
	return nil
}

const banColumns = `id, subwiki_id, account_id, coalesce(banned_by, ''), reason, until, activity_uri, created_at`

// banWhere returns the one ban matching the condition, or nil.
func (tx *Tx) banWhere(ctx context.Context, cond string, args ...any) (*SubwikiBan, error) {
	b, err := scanBan(tx.QueryRowContext(ctx, `SELECT `+banColumns+` FROM subwiki_bans WHERE `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return b, err
}

func scanBan(row interface{ Scan(...any) error }) (*SubwikiBan, error) {
	var b SubwikiBan
	var until sql.NullInt64
	var created int64
	if err := row.Scan(&b.ID, &b.SubwikiID, &b.AccountID, &b.BannedByID, &b.Reason, &until, &b.ActivityURI, &created); err != nil {
		return nil, err
	}
	if until.Valid {
		b.Until = fromMillis(until.Int64)
	}
	b.CreatedAt = fromMillis(created)
	return &b, nil
}
