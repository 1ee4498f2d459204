package federation

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// pollInterval is how often idle workers look for new work.
const pollInterval = 100 * time.Millisecond

// inboxPollInterval is how often idle inbox workers look for work: an
// activity the inbox stores wakes them at once (inboxWake), so the look
// only finds what comes due otherwise (a retry, a released claim, what
// the admin command queued), and an idle instance stays idle.
const inboxPollInterval = time.Second

// inboxWorkers process stored inbound activities side by side, since
// processing may wait on fetches from other servers, and since the
// writes of workers that run together share one commit (storage's
// writeGroup): the more of them, the fewer syncs of the disk each
// activity costs.
const inboxWorkers = 16

// Answering the servers that deliver comes before processing what they
// delivered: a sender waits on its 202, and one kept waiting retries and
// in the end takes the instance for down. While more than
// inboxBusyRequests inbox requests are being answered, only the first
// inboxWorkersWhenBusy workers go on (so processing never stops under a
// flood); the others wait until the inbox is calm again (calmWake), or
// inboxYield at most.
const (
	inboxBusyRequests    = 2
	inboxWorkersWhenBusy = 2
	inboxYield           = 100 * time.Millisecond
)

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
	// What an earlier Run of this process left in the handoff was just
	// released with the rest.
	f.handoff.drop()
	f.handoff.running.Store(true)
	defer f.handoff.running.Store(false)
	var wg sync.WaitGroup
	run := func(fn func(context.Context)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(ctx)
		}()
	}
	for i := range inboxWorkers {
		run(func(ctx context.Context) { f.runInbox(ctx, i) })
	}
	run(f.runOutbox)
	run(f.runDeliveries)
	run(f.runHostProbes)
	wg.Wait()
}

// sleep waits for d, or reports false when ctx ends first.
func sleep(ctx context.Context, d time.Duration) bool {
	return sleepUnlessWoken(ctx, d, nil)
}

// sleepUnlessWoken waits for d or until wake is closed, or reports false
// when ctx ends first.
func sleepUnlessWoken(ctx context.Context, d time.Duration, wake <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-wake:
		return true
	case <-ctx.Done():
		return false
	}
}

// runOutbox expands outbox events into deliveries as they come: woken
// by the commit that queued them, or at the latest after pollInterval
// (events the admin commands queued, retries come due).
func (f *Federator) runOutbox(ctx context.Context) {
	for {
		wake := f.outboxWake.wait() // before looking, so that no event is missed
		n, err := f.expandOutbox(ctx)
		if err != nil && ctx.Err() == nil {
			f.log.Error("expand outbox", "err", err)
		}
		if n > 0 {
			f.deliveryWake.broadcast()
			continue
		}
		if !sleepUnlessWoken(ctx, pollInterval, wake) {
			return
		}
	}
}

// Inbound failure policy. A worker claims the one activity it handles,
// and its handling is cut off well before the lease ends, so no other
// worker takes it meanwhile. A failure that may pass (a server not
// answering, a panic) is tried again after growing waits; after
// inboxMaxAttempts the activity is parked, kept for an admin to look at
// and retry.
const (
	inboxLease           = 2 * time.Minute
	inboxHandlingTimeout = inboxLease / 2
	inboxMaxAttempts     = 5
)

// inboxBackoff are the waits after the first, second, ... failed attempt:
// together some two and a half hours, long enough for a server to come
// back from a restart or a short outage.
var inboxBackoff = [...]time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour}

// inboxRetryDelay is the wait after the given number of attempts, with
// ±20% jitter so that retries spread out.
func inboxRetryDelay(attempts int) time.Duration {
	d := inboxBackoff[min(max(attempts, 1), len(inboxBackoff))-1]
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// runInbox processes stored inbound activities; worker is its number,
// from 0.
func (f *Federator) runInbox(ctx context.Context, worker int) {
	for {
		if worker >= inboxWorkersWhenBusy {
			calm := f.calmWake.wait() // before looking, so that the end is not missed
			if f.receiving.Load() > inboxBusyRequests {
				if !sleepUnlessWoken(ctx, inboxYield, calm) {
					return
				}
				continue
			}
		}
		// Asked for before looking, so that work stored after the look
		// still wakes this worker.
		wake := f.inboxWake.wait()
		if f.inboxStep(ctx, worker) {
			continue
		}
		if !f.awaitInbound(ctx, wake) {
			return
		}
	}
}

// awaitInbound waits, idle, for the next activity handed over (which
// wakes one worker only, and is handled here), for work stored in the
// database (wake), or for inboxPollInterval; it reports false when ctx
// ends first.
func (f *Federator) awaitInbound(ctx context.Context, wake <-chan struct{}) bool {
	t := time.NewTimer(inboxPollInterval)
	defer t.Stop()
	select {
	case in := <-f.handoff.arrivals():
		f.handleHandedOver(ctx, f.handoff.taken(in))
	case <-wake:
	case <-t.C:
	case <-ctx.Done():
		return false
	}
	return true
}

// inboxStep handles the next inbound activity: one the inbox handed over,
// else one claimed from the database. Worker 0 looks in the database
// first, so that retries and what the handoff had no place for are not
// left waiting behind a flood. It reports whether there was one.
func (f *Federator) inboxStep(ctx context.Context, worker int) bool {
	if worker != 0 && f.takeHandedOver(ctx) {
		return true
	}
	if f.claimAndHandle(ctx) {
		return true
	}
	return worker == 0 && f.takeHandedOver(ctx)
}

// takeHandedOver handles an activity the inbox handed over, if one
// waits, and reports whether one did.
func (f *Federator) takeHandedOver(ctx context.Context) bool {
	in := f.handoff.take()
	if in == nil {
		return false
	}
	f.handleHandedOver(ctx, in)
	return true
}

// handleHandedOver handles an activity the inbox handed over, unless it
// waited so long that its handling could outlast its claim: the database
// offers it again once the claim lapses.
func (f *Federator) handleHandedOver(ctx context.Context, in *storage.Inbound) {
	if f.db.Now().Sub(in.ReceivedAt) > inboxLease-inboxHandlingTimeout {
		return
	}
	f.handleInbound(ctx, in)
}

// claimAndHandle claims the next inbound activity that is due in the
// database and handles it. It reports whether there was one.
func (f *Federator) claimAndHandle(ctx context.Context) bool {
	claimed, err := f.db.ClaimInbound(ctx, 1, inboxLease)
	if err != nil && ctx.Err() == nil {
		f.log.Error("claim inbound", "err", err)
	}
	for _, in := range claimed {
		f.handleInbound(ctx, in)
	}
	return len(claimed) > 0
}

// handleInbound handles one claimed activity within its lease and
// records the outcome.
func (f *Federator) handleInbound(ctx context.Context, in *storage.Inbound) {
	handling, cancel := context.WithTimeout(ctx, inboxHandlingTimeout)
	permanent, err := f.processRecovering(handling, in)
	cancel()
	if err != nil && ctx.Err() != nil {
		// Stopping: the activity is due again at once, at the next start,
		// rather than after a wait.
		err = errStopped
	}
	f.finishInbound(context.WithoutCancel(ctx), in, permanent, err)
}

// errStopped is an activity's handling cut short by the worker stopping.
var errStopped = errors.New("the worker stopped while handling it")

// processRecovering is process with a panic turned into a failure of the
// activity, logged with its stack: the worker carries on with the next
// one, and this one is retried and in the end parked like any other.
func (f *Federator) processRecovering(ctx context.Context, in *storage.Inbound) (permanent bool, err error) {
	err = catchPanic(func() (err error) {
		permanent, err = f.process(ctx, in)
		return err
	})
	if p, ok := errors.AsType[*panicError](err); ok {
		f.log.Error("inbound activity panicked", "id", in.ID, "activity", in.ActivityURI, "panic", p.value,
			"stack", string(p.stack))
		return false, err
	}
	return permanent, err
}

// finishInbound records what handling an activity came to: done, had no
// effect (with the reason), to be tried again later, or parked.
func (f *Federator) finishInbound(ctx context.Context, in *storage.Inbound, permanent bool, err error) {
	var record error
	switch {
	case errors.Is(err, storage.ErrInboundDone):
		return // an earlier handling applied it and recorded so
	case err == nil && in.Completed():
		return // the handler's write recorded it with its effect
	case err == nil:
		record = f.db.FinishInbound(ctx, in.ID, "")
	case errors.Is(err, errStopped):
		record = f.db.RetryInbound(ctx, in.ID, err.Error(), f.now())
	case permanent:
		f.log.Info("inbound activity had no effect", "id", in.ID, "reason", err)
		record = f.db.FinishInbound(ctx, in.ID, err.Error())
	case in.Attempts >= inboxMaxAttempts:
		f.log.Warn("inbound activity parked", "id", in.ID, "activity", in.ActivityURI, "attempts", in.Attempts, "err", err)
		record = f.db.ParkInbound(ctx, in.ID, err.Error())
	default:
		record = f.db.RetryInbound(ctx, in.ID, err.Error(), f.now().Add(inboxRetryDelay(in.Attempts)))
	}
	if record != nil {
		f.log.Error("record inbound outcome", "id", in.ID, "err", record)
	}
}
