package storage

import (
	"context"
	"fmt"
	"time"
)

// RemoteBan is a ban of one of our members from a group on another
// server, as that group's moderators announced it in a Block.
type RemoteBan struct {
	GroupID     string // the remote group
	AccountID   string // our member
	ByActorID   string // the remote moderator
	Reason      string
	Until       time.Time // zero: until lifted
	ActivityURI string    // the Block's id
}

// RecordRemoteBan records that a remote group banned a member of ours,
// so that they are told and their posts into it are refused here
// before they travel. A Block heard twice counts once; one about a
// group of ours or an account elsewhere is refused, since only our own
// moderators ban here and other servers keep their own accounts.
func (db *DB) RecordRemoteBan(ctx context.Context, b RemoteBan) error {
	b.Reason = cleanLine(b.Reason, maxBanReasonLength)
	return db.write(ctx, func(tx *Tx) error {
		group, err := tx.actorWhere(ctx, "a.id = ?", b.GroupID)
		if err != nil || group.Kind != KindGroup || group.Local {
			return Errorf(EForbidden, "Only a remote group's own moderators may ban from it.")
		}
		account, err := tx.actorWhere(ctx, "a.id = ?", b.AccountID)
		if err != nil || !account.Local {
			return Errorf(ENotFound, "The banned account is not one of ours.")
		}
		if b.ActivityURI == "" {
			return Errorf(EInvalid, "A ban needs the id of its Block.")
		}
		if seen, err := tx.banWhere(ctx, "activity_uri = ? AND subwiki_id = ?", b.ActivityURI, group.ID); err != nil || seen != nil {
			return err
		}
		if !b.Until.IsZero() && !b.Until.After(tx.now) {
			return nil // over already: nothing to keep
		}
		if err := tx.liftCurrentBan(ctx, account.ID, group.ID); err != nil {
			return err
		}
		ban := &SubwikiBan{ID: tx.newID(), SubwikiID: group.ID, AccountID: account.ID, BannedByID: b.ByActorID,
			Reason: b.Reason, Until: b.Until, ActivityURI: b.ActivityURI, CreatedAt: tx.now}
		if err := tx.insertBan(ctx, ban); err != nil {
			return err
		}
		return tx.logModeration(ctx, ModerationEntry{SubwikiID: group.ID, ActorID: b.ByActorID, Action: ModBanMember,
			TargetURI: account.URI, TargetText: account.Handle(), Reason: b.Reason, Until: b.Until})
	})
}

// LiftRemoteBan records that a remote group lifted its ban of a member
// of ours: the ban its Block made, or when that Block is unknown, the
// member's current ban there.
func (db *DB) LiftRemoteBan(ctx context.Context, groupID, accountID, blockURI, byActorID string) error {
	return db.write(ctx, func(tx *Tx) error {
		group, err := tx.actorWhere(ctx, "a.id = ?", groupID)
		if err != nil || group.Kind != KindGroup || group.Local {
			return Errorf(EForbidden, "Only a remote group's own moderators may lift its bans.")
		}
		res, err := tx.ExecContext(ctx, `UPDATE subwiki_bans SET lifted_at = ? WHERE subwiki_id = ? AND lifted_at IS NULL
			AND (activity_uri = ? OR account_id = ?)`, millis(tx.now), group.ID, blockURI, accountID)
		if err != nil {
			return fmt.Errorf("lift remote ban: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		account, err := tx.actorWhere(ctx, "a.id = ?", accountID)
		if err != nil {
			return err
		}
		return tx.logModeration(ctx, ModerationEntry{SubwikiID: group.ID, ActorID: byActorID, Action: ModUnbanMember,
			TargetURI: account.URI, TargetText: account.Handle()})
	})
}
