package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/tidings-social/tidings/federation"
)

// webfingerRequests is the one WebFinger GET for the member, sent again
// and again.
func webfingerRequests(in *instance) []*wireRequest {
	h := http.Header{"Accept": {"application/jrd+json"}}
	url := fmt.Sprintf("http://%s/.well-known/webfinger?resource=acct:%s@%s", in.addr, in.member, in.addr)
	return []*wireRequest{{method: http.MethodGet, url: url, header: h}}
}

// actorRequests are GETs of the member's actor document, each signed by
// one of the authors as a server fetching it signs. One signature per
// author is made and sent again and again: a signature stays valid for
// the hour its Date allows, and signing afresh would only measure this
// process's RSA.
func actorRequests(in *instance, authors []remoteAuthor) ([]*wireRequest, error) {
	url := fmt.Sprintf("http://%s/users/%s", in.addr, in.member)
	out := make([]*wireRequest, len(authors))
	now := time.Now()
	for i, a := range authors {
		r, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			return nil, fmt.Errorf("actor request: %w", err)
		}
		r.Header.Set("Accept", "application/activity+json")
		if err := federation.SignRequest(r, nil, a.keyID, a.key, now); err != nil {
			return nil, fmt.Errorf("sign actor request: %w", err)
		}
		out[i] = &wireRequest{method: http.MethodGet, url: url, header: r.Header}
	}
	return out, nil
}

// getPhase floods the server with n of the requests and measures it.
// Each distinct request is sent once before, untimed: with authorized
// fetch on, that is when the instance fetches the keys of signers it has
// not met.
func getPhase(ctx context.Context, name string, in *instance, reqs []*wireRequest, n, conns int) (phaseResult, error) {
	if res := flood(ctx, reqs, len(reqs), min(conns, len(reqs))); res.statuses[http.StatusOK] != len(reqs) {
		return phaseResult{}, fmt.Errorf("warm-up: answers %v, %d failed (%v); see %s/serve.log",
			res.statuses, res.failures, res.firstErr, in.dir)
	}
	before, err := readUsage(in.pid())
	if err != nil {
		return phaseResult{}, err
	}
	peak := watchPeak(in.pid())
	res := flood(ctx, reqs, n, conns)
	after, err := readUsage(in.pid())
	after = peak.end(after)
	if err != nil {
		return phaseResult{}, err
	}
	return measured(name, res, http.StatusOK, before, after), nil
}
