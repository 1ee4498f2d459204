package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/tidings-social/tidings/federation"
	"github.com/tidings-social/tidings/storage"
	"github.com/tidings-social/tidings/web"
)

// The janitor's pace.
const (
	janitorInterval = time.Hour // between rounds
	pruneBatch      = 500       // rows of a kind a transaction: the single writer is never held long
)

// runJanitor prunes what the [retention] section keeps no longer, and
// deletes accounts whose grace period is over ([account_deletion]), at
// start and then every janitorInterval, until ctx ends.
func runJanitor(ctx context.Context, db *storage.DB, r storage.Retention, log *slog.Logger) {
	for {
		prune(ctx, db, r, pruneBatch, log)
		deleteAccounts(ctx, db, log)
		select {
		case <-ctx.Done():
			return
		case <-time.After(janitorInterval):
		}
	}
}

// prune runs Prune in batches until nothing is left, or ctx ends or a
// batch fails (to be tried again next round), and returns the total.
func prune(ctx context.Context, db *storage.DB, r storage.Retention, batch int, log *slog.Logger) storage.Pruned {
	var total storage.Pruned
	for ctx.Err() == nil {
		p, err := db.Prune(ctx, r, batch)
		if err != nil {
			if ctx.Err() == nil {
				log.Error("prune", "err", err)
			}
			break
		}
		if p.Total() == 0 {
			break
		}
		total.Add(p)
	}
	if total.Total() > 0 {
		log.Info("pruned old records", "inbound_bodies", total.InboxBodies, "inbound", total.InboxRecords,
			"outbox_events", total.OutboxEvents, "deliveries", total.Deliveries, "sessions", total.Sessions,
			"sign_in_failures", total.SignInFailures, "sign_ins", total.SignIns, "tombstones", total.Tombstones,
			"oauth_codes", total.OAuthCodes, "oauth_tokens", total.OAuthTokens, "pending_media", total.PendingMedia)
	}
	return total
}

// runMediaExpiry removes cached remote images older than the cache's
// age, at start and then every janitorInterval, until ctx ends; an image
// asked for again is fetched anew.
func runMediaExpiry(ctx context.Context, cache *federation.MediaCache, log *slog.Logger) {
	for {
		if n, err := cache.Expire(time.Now().Add(-cache.MaxAge())); err != nil {
			log.Error("expire cached media", "err", err)
		} else if n > 0 {
			log.Info("expired cached media", "files", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(janitorInterval):
		}
	}
}

// uploadGrace is how old an uploaded file must be before the janitor
// may remove it as unused: a form being published writes its images
// before the post that uses them.
const uploadGrace = time.Hour

// runUploadSweep removes uploaded files nothing uses any more, at start
// and then every janitorInterval, until ctx ends.
func runUploadSweep(ctx context.Context, site *web.Server, log *slog.Logger) {
	for {
		if n, err := site.SweepUploads(ctx, time.Now().Add(-uploadGrace)); err != nil {
			log.Error("sweep unused uploads", "err", err)
		} else if n > 0 {
			log.Info("removed unused uploads", "files", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(janitorInterval):
		}
	}
}
