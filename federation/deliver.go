package federation

import (
	"cmp"
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// Delivery policy.
const (
	// Workers mostly wait on other servers: at 100 ms an answer, 64 of
	// them sent a post to 1,000 servers in 1.6 s at best, and 16 servers
	// that never answer, four requests each, held them all for a TLS
	// handshake's timeout (docs/BENCHMARKS.md, "Fan-out over TLS").
	deliveryWorkers = 256 // requests in flight at once
	perHostLimit    = 4   // of which to any one server
	// failingWorkers is how many workers servers that are failing may
	// take at once, one each: those that do not answer hold a worker
	// until the timeout, and must not take them all.
	failingWorkers   = deliveryWorkers / 4
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

// dispatcher holds the claimed deliveries and hands them to workers,
// the earliest made first (a retry before a new post's, a post's before
// the next one's), so that each post reaches every server as soon as it
// can rather than all posts at the end together; and so that no server
// has more than perHostLimit requests in flight, and a failing one (whose
// last delivery got no answer or a 5xx) one, with no more than
// failingWorkers of them at once. A server has at most about twice its
// limit held; the rest stay in the database, so a slow or dead server
// never blocks deliveries to the others.
type dispatcher struct {
	queue   []*storage.Delivery // claimed, not yet sent, earliest made first
	waiting map[string]int      // of them, by host
	busy    map[string]int      // in flight, by host
	// failing are the servers with work held whose last delivery failed
	// so, as the claim or a delivery since said; the database remembers
	// the others.
	failing     map[string]bool
	failingBusy map[string]bool // deliveries in flight to failing servers, by id
	held        int             // waiting plus in flight
	free        int             // idle workers
}

func newDispatcher() *dispatcher {
	return &dispatcher{waiting: map[string]int{}, busy: map[string]int{},
		failing: map[string]bool{}, failingBusy: map[string]bool{}, free: deliveryWorkers}
}

// limit is how many requests the server may have in flight.
func (d *dispatcher) limit(host string) int {
	if d.failing[host] {
		return 1
	}
	return perHostLimit
}

// fullHosts are the servers that have as much work held as they may
// take at once.
func (d *dispatcher) fullHosts() []string {
	var hosts []string
	for host, n := range d.busy {
		if n+d.waiting[host] >= d.limit(host) {
			hosts = append(hosts, host)
		}
	}
	for host, n := range d.waiting {
		if _, busy := d.busy[host]; !busy && n >= d.limit(host) {
			hosts = append(hosts, host)
		}
	}
	return hosts
}

func (d *dispatcher) add(list []*storage.Delivery) {
	for _, del := range list {
		// Claims come mostly in order: the search ends at the end.
		i, _ := slices.BinarySearchFunc(d.queue, del, earlierDelivery)
		d.queue = slices.Insert(d.queue, i, del)
		d.waiting[del.Host]++
		d.held++
		if del.HostFailing {
			d.failing[del.Host] = true
		}
	}
}

// earlierDelivery orders deliveries by when they were made (the post's
// time, for a post's), then by id.
func earlierDelivery(a, b *storage.Delivery) int {
	return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
}

// next takes the earliest made delivery whose server has room, or nil.
// The queue holds at most heldLimit; those of full servers are passed
// over.
func (d *dispatcher) next() *storage.Delivery {
	if d.free == 0 {
		return nil
	}
	for i, del := range d.queue {
		host := del.Host
		if d.busy[host] >= d.limit(host) || d.failing[host] && len(d.failingBusy) >= failingWorkers {
			continue
		}
		d.queue = slices.Delete(d.queue, i, i+1)
		if d.waiting[host]--; d.waiting[host] == 0 {
			delete(d.waiting, host)
		}
		d.busy[host]++
		d.free--
		if d.failing[host] {
			d.failingBusy[del.ID] = true
		}
		return del
	}
	return nil
}

// finished records that a delivery is done, and what its outcome tells
// of its server.
func (d *dispatcher) finished(del *storage.Delivery, health storage.HostHealth) {
	host := del.Host
	d.busy[host]--
	if d.busy[host] == 0 {
		delete(d.busy, host)
	}
	delete(d.failingBusy, del.ID)
	d.held--
	d.free++
	switch health {
	case storage.HostDown:
		d.failing[host] = true
	case storage.HostUp:
		delete(d.failing, host)
	}
	if d.waiting[host] == 0 && d.busy[host] == 0 {
		delete(d.failing, host) // nothing held: the next claim says
	}
}

// delivered is a delivery done, and what it told of its server.
type delivered struct {
	delivery *storage.Delivery
	health   storage.HostHealth
}

// runDeliveries claims due deliveries and sends them, deliveryWorkers at
// most at once, until ctx ends; sends under way finish first, and claimed ones
// not sent stay claimed for the next start to take back.
func (f *Federator) runDeliveries(ctx context.Context) {
	// A worker is a goroutine started for each delivery the dispatcher
	// hands out, at most deliveryWorkers at once: an idle instance keeps
	// none (a pool of 256 waiting held a megabyte of stacks).
	done := make(chan delivered, deliveryWorkers)
	d := newDispatcher()
	defer func() {
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
			go func() { done <- delivered{del, f.deliverSafely(context.WithoutCancel(ctx), del)} }()
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
		case out := <-done:
			d.finished(out.delivery, out.health)
			claim = claim || capped[out.delivery.Host] // that server may have more due
		case <-poll.C:
			claim = true
		case <-f.deliveryWake.wait(): // the outbox was expanded into deliveries
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
func (f *Federator) deliverSafely(ctx context.Context, d *storage.Delivery) (health storage.HostHealth) {
	err := catchPanic(func() error {
		health = f.deliver(ctx, d)
		return nil
	})
	p, ok := errors.AsType[*panicError](err)
	if !ok {
		return health
	}
	f.log.Error("panic while delivering", "inbox", d.Inbox, "attempt", d.Attempts, "err", err, "stack", string(p.stack))
	failure := storage.DeliveryFailure{Reason: err.Error(), RetryAt: f.now().Add(retryDelay(d.Attempts))}
	if err := f.db.DeliveryFailed(ctx, d, failure); err != nil {
		f.log.Error("record failed delivery", "inbox", d.Inbox, "err", err)
	}
	return storage.HostUnknown
}

// deliver sends one delivery, records the outcome and returns what it
// tells of the server.
func (f *Federator) deliver(ctx context.Context, d *storage.Delivery) storage.HostHealth {
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
		return storage.HostUp
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
	return health
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
