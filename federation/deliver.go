package federation

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// Delivery policy.
const (
	deliveryWorkers  = 64              // requests in flight at once
	perHostLimit     = 4               // of which to any one server
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

// hostSlots caps the requests in flight to each server.
type hostSlots struct {
	mu    sync.Mutex
	slots map[string]chan struct{}
}

func (h *hostSlots) acquire(ctx context.Context, host string) bool {
	h.mu.Lock()
	if h.slots == nil {
		h.slots = map[string]chan struct{}{}
	}
	slot, ok := h.slots[host]
	if !ok {
		slot = make(chan struct{}, perHostLimit)
		h.slots[host] = slot
	}
	h.mu.Unlock()
	select {
	case slot <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (h *hostSlots) release(host string) {
	h.mu.Lock()
	slot := h.slots[host]
	h.mu.Unlock()
	<-slot
}

// runDeliveries claims due deliveries and sends them with a pool of
// workers until ctx ends; in-flight sends finish first.
func (f *Federator) runDeliveries(ctx context.Context) {
	queue := make(chan *storage.Delivery, deliveryWorkers)
	var hosts hostSlots
	var wg sync.WaitGroup
	for range deliveryWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range queue {
				if !hosts.acquire(ctx, d.Host) {
					continue // shutting down; the lease brings it back later
				}
				f.deliver(context.WithoutCancel(ctx), d)
				hosts.release(d.Host)
			}
		}()
	}
	defer func() {
		close(queue)
		wg.Wait()
	}()
	for {
		room := cap(queue) - len(queue)
		var claimed []*storage.Delivery
		if room > 0 {
			var err error
			claimed, err = f.db.ClaimDeliveries(ctx, room, deliveryLease)
			if err != nil && ctx.Err() == nil {
				f.log.Error("claim deliveries", "err", err)
			}
		}
		for _, d := range claimed {
			queue <- d
		}
		if len(claimed) == 0 && !sleep(ctx, pollInterval) {
			return
		}
	}
}

// deliver sends one delivery and records the outcome.
func (f *Federator) deliver(ctx context.Context, d *storage.Delivery) {
	sign, err := f.signer(ctx, d.ActorID)
	if err == nil {
		sendCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err = f.client.PostActivity(sendCtx, d.Inbox, d.Activity, sign)
		cancel()
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
	if err := f.db.DeliveryFailed(ctx, d, err.Error(), retryAt); err != nil {
		f.log.Error("record failed delivery", "inbox", d.Inbox, "err", err)
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
