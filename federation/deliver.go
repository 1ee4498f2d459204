package federation

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// Delivery policy.
const (
	deliveryWorkers  = 64 // requests in flight at once
	perHostLimit     = 4  // of which to any one server
	heldLimit        = 4 * deliveryWorkers
	claimBatch       = deliveryWorkers // claim once this much room is free
	deliveryLease    = 5 * time.Minute // a claimed delivery not done by then is taken again
	firstRetry       = 30 * time.Second
	maxRetryInterval = 12 * time.Hour
	giveUpAfter      = 7 * 24 * time.Hour
)

// retryDelay is capped exponential backoff with ±20% jitter, so that
// retries to one server spread out instead of arriving together.
func retryDelay(attempts int) time.Duration {
	d := firstRetry
	for i := 1; i < attempts && d < maxRetryInterval; i++ {
		d *= 2
	}
	d = min(d, maxRetryInterval)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// dispatcher holds the claimed deliveries and hands them to workers so
// that no server has more than perHostLimit requests in flight. A server
// has at most about twice that many held; the rest stay in the database,
// so a slow server never blocks deliveries to the others.
type dispatcher struct {
	waiting map[string][]*storage.Delivery // claimed, not yet sent, by host
	busy    map[string]int                 // in flight, by host
	held    int                            // waiting plus in flight
	free    int                            // idle workers
}

// fullHosts are the servers that have as much work held as they may
// take at once.
func (d *dispatcher) fullHosts() []string {
	var hosts []string
	for host, n := range d.busy {
		if n+len(d.waiting[host]) >= perHostLimit {
			hosts = append(hosts, host)
		}
	}
	for host, list := range d.waiting {
		if _, busy := d.busy[host]; !busy && len(list) >= perHostLimit {
			hosts = append(hosts, host)
		}
	}
	return hosts
}

func (d *dispatcher) add(list []*storage.Delivery) {
	for _, del := range list {
		d.waiting[del.Host] = append(d.waiting[del.Host], del)
		d.held++
	}
}

// next takes a delivery whose server has room, or nil.
func (d *dispatcher) next() *storage.Delivery {
	if d.free == 0 {
		return nil
	}
	for host, list := range d.waiting {
		if d.busy[host] >= perHostLimit {
			continue
		}
		del := list[0]
		if len(list) == 1 {
			delete(d.waiting, host)
		} else {
			d.waiting[host] = list[1:]
		}
		d.busy[host]++
		d.free--
		return del
	}
	return nil
}

func (d *dispatcher) finished(host string) {
	d.busy[host]--
	if d.busy[host] == 0 {
		delete(d.busy, host)
	}
	d.held--
	d.free++
}

// runDeliveries claims due deliveries and sends them with a pool of
// workers until ctx ends; sends under way finish first, and claimed ones
// not sent stay claimed for the next start to take back.
func (f *Federator) runDeliveries(ctx context.Context) {
	jobs := make(chan *storage.Delivery, deliveryWorkers)
	done := make(chan string, deliveryWorkers)
	for range deliveryWorkers {
		go func() {
			for del := range jobs {
				f.deliverSafely(context.WithoutCancel(ctx), del)
				done <- del.Host
			}
		}()
	}
	d := &dispatcher{waiting: map[string][]*storage.Delivery{}, busy: map[string]int{}, free: deliveryWorkers}
	defer func() {
		close(jobs)
		for inFlight := deliveryWorkers - d.free; inFlight > 0; inFlight-- {
			<-done
		}
	}()
	poll := time.NewTimer(pollInterval)
	defer poll.Stop()
	claim := true               // whether more may be due
	capped := map[string]bool{} // servers that had more due than were taken
	for {
		for del := d.next(); del != nil; del = d.next() {
			jobs <- del
		}
		// Claim in batches: each claim walks every server with pending
		// deliveries, whatever it takes from them.
		if room := heldLimit - d.held; claim && (room >= claimBatch || d.held == 0) {
			skip := d.fullHosts()
			claimed, err := f.db.ClaimDeliveries(ctx, room, perHostLimit, deliveryLease, skip...)
			if err != nil && ctx.Err() == nil {
				f.log.Error("claim deliveries", "err", err)
			}
			d.add(claimed)
			capped = cappedHosts(claimed, skip)
			if len(claimed) < room {
				claim = false
				poll.Reset(pollInterval)
			}
			continue
		}
		select {
		case <-ctx.Done():
			return
		case host := <-done:
			d.finished(host)
			claim = claim || capped[host] // that server may have more due
		case <-poll.C:
			claim = true
		}
	}
}

// cappedHosts are the servers of which a claim took as many deliveries
// as it may, or none because they were skipped: they may have more due.
func cappedHosts(claimed []*storage.Delivery, skipped []string) map[string]bool {
	count := map[string]int{}
	for _, d := range claimed {
		count[d.Host]++
	}
	capped := map[string]bool{}
	for host, n := range count {
		if n >= perHostLimit {
			capped[host] = true
		}
	}
	for _, host := range skipped {
		capped[host] = true
	}
	return capped
}

// deliverSafely is deliver, with a panic recorded as the delivery's
// failure, to be tried again, so that the worker carries on and the
// dispatcher hears that the delivery finished.
func (f *Federator) deliverSafely(ctx context.Context, d *storage.Delivery) {
	err := catchPanic(func() error {
		f.deliver(ctx, d)
		return nil
	})
	p, ok := errors.AsType[*panicError](err)
	if !ok {
		return
	}
	f.log.Error("panic while delivering", "inbox", d.Inbox, "attempt", d.Attempts, "err", err, "stack", string(p.stack))
	failure := storage.DeliveryFailure{Reason: err.Error(), RetryAt: f.now().Add(retryDelay(d.Attempts))}
	if err := f.db.DeliveryFailed(ctx, d, failure); err != nil {
		f.log.Error("record failed delivery", "inbox", d.Inbox, "err", err)
	}
}

// deliver sends one delivery and records the outcome.
func (f *Federator) deliver(ctx context.Context, d *storage.Delivery) {
	health := storage.HostUnknown // a failure to sign tells nothing of the server
	sign, err := f.signer(ctx, d.ActorID)
	if err == nil {
		err = f.client.PostActivity(ctx, d.Inbox, d.Activity, sign)
		health = hostHealth(err)
	}
	if err == nil {
		if err := f.db.DeliverySucceeded(ctx, d); err != nil {
			f.log.Error("record delivery", "inbox", d.Inbox, "err", err)
		}
		return
	}
	retryAt := f.now().Add(retryDelay(d.Attempts))
	var status *StatusError
	if errors.As(err, &status) && status.RetryAfter > 0 {
		retryAt = maxTime(retryAt, f.now().Add(status.RetryAfter))
	}
	if !Retryable(err) || f.now().Sub(d.CreatedAt) > giveUpAfter {
		retryAt = time.Time{} // drop it: gone, refused for good, or too old
	}
	f.log.Info("delivery failed", "inbox", d.Inbox, "attempt", d.Attempts, "err", err, "dropped", retryAt.IsZero())
	if err := f.db.DeliveryFailed(ctx, d, storage.DeliveryFailure{Reason: err.Error(), RetryAt: retryAt, Host: health}); err != nil {
		f.log.Error("record failed delivery", "inbox", d.Inbox, "err", err)
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
