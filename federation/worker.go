package federation

import (
	"context"
	"sync"
	"time"
)

// pollInterval is how often idle workers look for new work.
const pollInterval = 100 * time.Millisecond

// inboxWorkers process stored inbound activities side by side, since
// processing may wait on fetches from other servers.
const inboxWorkers = 4

// Run does the federation work that happens off the request path until
// ctx ends: it processes stored inbound activities, expands the outbox
// into deliveries, delivers them, and asks servers marked unavailable
// once a day whether they are back. Everything it works on is in the
// database, so a stop at any point loses nothing.
func (f *Federator) Run(ctx context.Context) {
	// What a stopped or killed process had taken and not finished is due
	// again at once, instead of when its claim would have lapsed.
	if deliveries, inbound, err := f.db.ReleaseClaims(ctx); err != nil {
		f.log.Error("release claims", "err", err)
	} else if deliveries+inbound > 0 {
		f.log.Info("resuming unfinished work", "deliveries", deliveries, "inbound", inbound)
	}
	var wg sync.WaitGroup
	run := func(fn func(context.Context)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(ctx)
		}()
	}
	for range inboxWorkers {
		run(f.runInbox)
	}
	run(f.runOutbox)
	run(f.runDeliveries)
	run(f.runHostProbes)
	wg.Wait()
}

// sleep waits for d, or reports false when ctx ends first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// runOutbox expands outbox events into deliveries as they come.
func (f *Federator) runOutbox(ctx context.Context) {
	for {
		n, err := f.expandOutbox(ctx)
		if err != nil && ctx.Err() == nil {
			f.log.Error("expand outbox", "err", err)
		}
		if n == 0 && !sleep(ctx, pollInterval) {
			return
		}
	}
}

// Inbound retry policy: a failure that may pass is tried again after
// growing waits, up to inboxMaxAttempts.
const (
	inboxLease       = 2 * time.Minute
	inboxMaxAttempts = 10
)

// runInbox processes stored inbound activities.
func (f *Federator) runInbox(ctx context.Context) {
	for {
		claimed, err := f.db.ClaimInbound(ctx, 8, inboxLease)
		if err != nil && ctx.Err() == nil {
			f.log.Error("claim inbound", "err", err)
		}
		for _, in := range claimed {
			permanent, err := f.process(ctx, in)
			f.finishInbound(context.WithoutCancel(ctx), in.ID, in.Attempts, permanent, err)
		}
		if len(claimed) == 0 && !sleep(ctx, pollInterval) {
			return
		}
	}
}

func (f *Federator) finishInbound(ctx context.Context, id string, attempts int, permanent bool, err error) {
	var record error
	switch {
	case err == nil:
		record = f.db.FinishInbound(ctx, id, "")
	case permanent || attempts >= inboxMaxAttempts:
		f.log.Info("inbound activity had no effect", "id", id, "reason", err)
		record = f.db.FinishInbound(ctx, id, err.Error())
	default:
		record = f.db.RetryInbound(ctx, id, err.Error(), f.now().Add(retryDelay(attempts)))
	}
	if record != nil {
		f.log.Error("record inbound outcome", "id", id, "err", record)
	}
}
