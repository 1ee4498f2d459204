package federation

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// Probing servers marked unavailable.
const (
	probeCheckInterval = 10 * time.Minute // how often the worker looks for servers due a probe
	probeBatch         = 32               // servers probed a round
	probeConcurrency   = 4                // of which at once
)

// hostHealth tells what a failed delivery says of the receiving server.
// Any HTTP answer but a 5xx means it is up, refusing only this delivery
// (404 or 410 for one inbox, 401, 429); a 5xx or no answer at all (no
// connection, a timeout, a broken TLS handshake) means it is failing. An
// address or URL the client refuses says nothing of the server.
func hostHealth(err error) storage.HostHealth {
	if status, ok := errors.AsType[*StatusError](err); ok {
		if status.Code >= 500 {
			return storage.HostDown
		}
		return storage.HostUp
	}
	for _, answered := range []error{ErrBodyTooLarge, ErrContentType, ErrTooManyRedirects} {
		if errors.Is(err, answered) {
			return storage.HostUp
		}
	}
	for _, ours := range []error{ErrInvalidURL, ErrScheme, ErrPrivateAddress, errNoUserAgent} {
		if errors.Is(err, ours) {
			return storage.HostUnknown
		}
	}
	return storage.HostDown
}

// runHostProbes asks servers marked unavailable, once a day each,
// whether they are back, until ctx ends.
func (f *Federator) runHostProbes(ctx context.Context) {
	for {
		f.probeHosts(ctx)
		if !sleep(ctx, probeCheckInterval) {
			return
		}
	}
}

// probeHosts probes the servers due a probe: a server whose NodeInfo
// discovery document answers is available again, and deliveries to it
// are made anew; instead of waiting for it to send us something.
func (f *Federator) probeHosts(ctx context.Context) {
	hosts, err := f.db.HostsToProbe(ctx, probeBatch)
	if err != nil {
		if ctx.Err() == nil {
			f.log.Error("hosts to probe", "err", err)
		}
		return
	}
	var wg sync.WaitGroup
	slots := make(chan struct{}, probeConcurrency)
	for _, host := range hosts {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			answered := f.probe(ctx, host)
			if ctx.Err() != nil {
				return // stopped: not the server's fault
			}
			if err := f.db.HostProbed(ctx, host, answered); err != nil {
				f.log.Error("record probe", "host", host, "err", err)
			} else if answered {
				f.log.Info("unavailable server answered again", "host", host)
			}
		})
	}
	wg.Wait()
}

// probe fetches the server's /.well-known/nodeinfo, unsigned (it is
// public), by the schemes WebFinger tries, and reports whether it
// answered with the document: one that links to a NodeInfo document,
// not just any JSON (a domain parked since would answer something).
func (f *Federator) probe(ctx context.Context, host string) bool {
	for _, scheme := range f.webfingerSchemes() {
		body, err := f.client.GetJSON(ctx, scheme+"://"+host+"/.well-known/nodeinfo", "application/json", nil)
		if err == nil {
			_, err = readNodeInfoIndex(body)
		}
		if err == nil {
			return true
		}
	}
	return false
}
