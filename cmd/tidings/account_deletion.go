package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// AccountDeletionConfig is the [account_deletion] section: how members
// delete their own accounts.
type AccountDeletionConfig struct {
	// GraceDays is how long a member may take a deletion back; the
	// account is deleted after.
	GraceDays int `toml:"grace_days"`
}

// problems checks the grace period: none at all is allowed, more than a
// year keeps an account nobody wants.
func (c AccountDeletionConfig) problems() []problem {
	if c.GraceDays < 0 || c.GraceDays > 365 {
		return []problem{{"account_deletion.grace_days", fmt.Sprintf("%d must be between 0 and 365", c.GraceDays)}}
	}
	return nil
}

// deletionGrace is the grace period as storage takes it.
func (c *Config) deletionGrace() time.Duration {
	return time.Duration(c.AccountDeletion.GraceDays) * 24 * time.Hour
}

// deleteAccounts deletes the accounts whose grace period is over, one a
// transaction, then forgets the actors of deleted accounts whose Delete
// was delivered everywhere (their keys go with them). It stops when ctx
// ends or a step fails (to be tried again next round).
func deleteAccounts(ctx context.Context, db *storage.DB, log *slog.Logger) {
	for ctx.Err() == nil {
		d, err := db.DeleteDueAccount(ctx)
		if err != nil {
			log.Error("delete account", "err", err)
			return
		}
		if d == nil {
			break
		}
		log.Info("deleted account", "username", d.Username, "requested", d.RequestedAt)
	}
	for ctx.Err() == nil {
		found, err := db.ForgetDeletedActor(ctx)
		if err != nil {
			log.Error("forget deleted actor", "err", err)
			return
		}
		if !found {
			return
		}
	}
}
