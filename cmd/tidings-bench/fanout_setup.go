package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/tidings-social/tidings/federation"
)

// fanoutSetup is the untimed part of the fan-out, measured apart: each
// remote actor follows the member with a signed Follow (the instance
// fetches each actor over TLS to check it) and the instance answers each
// with an Accept, which is itself a fan-out to every instance.
type fanoutSetup struct {
	Follows       int     `json:"follows"`
	FollowsPerS   float64 `json:"follows_accepted_per_s"` // answered 202
	AcceptsS      float64 `json:"accepts_s"`              // first Follow sent to last Accept received
	AcceptP50Ms   float64 `json:"accept_p50_ms"`          // Accept arrival after the first Follow
	AcceptP99Ms   float64 `json:"accept_p99_ms"`
	CPUS          float64 `json:"server_cpu_s"`
	CPUPerFollowU float64 `json:"server_cpu_us_per_follow"`
	TLSHandshakes int64   `json:"tls_handshakes"`
	PeakRSSMiB    float64 `json:"peak_rss_mib"`
}

// signedFollows makes each instance's actor's Follow of the member, signed.
func signedFollows(in *instance, fl *fleet) ([]*wireRequest, error) {
	inbox := "http://" + in.addr + "/inbox"
	member := fmt.Sprintf("http://%s/users/%s", in.addr, in.member)
	now := time.Now()
	out := make([]*wireRequest, len(fl.instances))
	for i, ri := range fl.instances {
		body, err := json.Marshal(map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams",
			"id":       ri.base + "/follows/1", "type": "Follow", "actor": ri.actor.uri, "object": member,
		})
		if err != nil {
			return nil, err
		}
		r, err := http.NewRequest(http.MethodPost, inbox, nil)
		if err != nil {
			return nil, err
		}
		r.Header.Set("Content-Type", "application/activity+json")
		if err := federation.SignRequest(r, body, ri.actor.keyID, ri.actor.key, now); err != nil {
			return nil, fmt.Errorf("sign follow: %w", err)
		}
		out[i] = &wireRequest{method: http.MethodPost, url: inbox, header: r.Header, body: body}
	}
	return out, nil
}

// followMember has every remote actor follow the member and waits until
// every instance has the Accept and the member's followers collection
// counts them all.
func followMember(ctx context.Context, in *instance, fl *fleet, conns int, timeout time.Duration) (fanoutSetup, error) {
	reqs, err := signedFollows(in, fl)
	if err != nil {
		return fanoutSetup{}, err
	}
	n := len(reqs)
	before, err := readUsage(in.pid())
	if err != nil {
		return fanoutSetup{}, err
	}
	conns0 := fl.newConns()
	peak := watchPeak(in.pid())
	res := flood(ctx, reqs, n, min(conns, n))
	if res.statuses[http.StatusAccepted] != n {
		peak.end(before)
		return fanoutSetup{}, fmt.Errorf("follows: answers %v, %d failed (%v); see %s/serve.log",
			res.statuses, res.failures, res.firstErr, in.dir)
	}
	var accepts map[int]time.Time
	deadline := time.Now().Add(timeout)
	for {
		accepts, _ = fl.arrivals.ofKind("Accept")
		if len(accepts) == n {
			break
		}
		if time.Now().After(deadline) {
			peak.end(before)
			return fanoutSetup{}, fmt.Errorf("follows: %d of %d instances got an Accept after %s; see %s/serve.log",
				len(accepts), n, timeout, in.dir)
		}
		if !sleep(ctx, 10*time.Millisecond) {
			peak.end(before)
			return fanoutSetup{}, ctx.Err()
		}
	}
	after, err := readUsage(in.pid())
	after = peak.end(after)
	if err != nil {
		return fanoutSetup{}, err
	}
	if followers, err := followerCount(ctx, in); err != nil || followers != n {
		return fanoutSetup{}, fmt.Errorf("follows: the member's followers collection counts %d, want %d (%v)", followers, n, err)
	}
	s := fanoutSetup{Follows: n, FollowsPerS: float64(n) / res.wall.Seconds(),
		CPUS: after.CPUSeconds - before.CPUSeconds, TLSHandshakes: fl.newConns() - conns0, PeakRSSMiB: mib(after.HWMKiB)}
	s.CPUPerFollowU = s.CPUS / float64(n) * 1e6
	var since []time.Duration
	for _, at := range accepts {
		since = append(since, at.Sub(res.began))
	}
	s.AcceptP50Ms = ms(percentile(since, 50))
	s.AcceptP99Ms = ms(percentile(since, 99))
	s.AcceptsS = since[len(since)-1].Seconds() // sorted by percentile
	return s, nil
}

// followerCount reads totalItems of the member's followers collection.
func followerCount(ctx context.Context, in *instance) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://%s/users/%s/followers", in.addr, in.member), nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var c struct {
		TotalItems int `json:"totalItems"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		return 0, fmt.Errorf("followers collection: %w", err)
	}
	return c.TotalItems, nil
}

// sleep waits for d, or reports false when ctx ends first.
func sleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-time.After(d):
		return true
	case <-ctx.Done():
		return false
	}
}
