package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// admissionInterval is how often the daily admission looks at the line:
// hourly, so that a new UTC day's places are given within the hour, and
// a restart loses nothing (the day's count is in the database).
const admissionInterval = time.Hour

// runDailyAdmission lets in the oldest on the waiting list, as many a
// UTC day as [registration] admit_per_day says, at start and then every
// admissionInterval, until ctx ends. The mail sender finds the approval
// mails on its next poll.
func runDailyAdmission(ctx context.Context, db *storage.DB, log *slog.Logger) {
	for {
		admitted, err := db.AdmitToday(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("admit from the waiting list", "err", err)
		}
		for _, m := range admitted {
			log.Info("admitted from the waiting list", "member", m.Username)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(admissionInterval):
		}
	}
}
