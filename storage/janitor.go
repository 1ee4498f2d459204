package storage

import (
	"context"
	"fmt"
	"time"
)

// Retention is how long records are kept once they are no longer needed
// for work (see Prune).
type Retention struct {
	InboxBodies     time.Duration // the bodies of handled inbound activities
	InboxRecords    time.Duration // handled inbound activities themselves: what deduplicates their ids
	Outbox          time.Duration // outbox events done with (every delivery delivered or dropped), with their deliveries
	ExpiredSessions time.Duration // sessions, after they expired
	SignInFailures  time.Duration // failed sign-ins
	Tombstones      time.Duration // tombstones of deleted objects, which keep late Creates out
}

// Pruned counts what one Prune removed, or cleared for InboxBodies.
type Pruned struct {
	InboxBodies    int
	InboxRecords   int
	OutboxEvents   int
	Deliveries     int
	Sessions       int
	SignInFailures int
	SignIns        int // good sign-ins, past the time they are remembered
	Tombstones     int
	OAuthCodes     int // authorization codes, a day after they expired
	OAuthTokens    int // revoked OAuth tokens, a day after
	PendingMedia   int // images uploaded through the client API that no status took within a day
}

// Total is everything a Prune changed; zero when nothing was left.
func (p Pruned) Total() int {
	return p.InboxBodies + p.InboxRecords + p.OutboxEvents + p.Deliveries + p.Sessions + p.SignInFailures + p.SignIns + p.Tombstones + p.OAuthCodes + p.OAuthTokens + p.PendingMedia
}

// Add counts q in p, for a total over batches.
func (p *Pruned) Add(q Pruned) {
	p.InboxBodies += q.InboxBodies
	p.InboxRecords += q.InboxRecords
	p.OutboxEvents += q.OutboxEvents
	p.Deliveries += q.Deliveries
	p.Sessions += q.Sessions
	p.SignInFailures += q.SignInFailures
	p.SignIns += q.SignIns
	p.Tombstones += q.Tombstones
	p.OAuthCodes += q.OAuthCodes
	p.OAuthTokens += q.OAuthTokens
	p.PendingMedia += q.PendingMedia
}

// pruneStep is one kind of record Prune removes: its statement takes the
// time before which records go, and the batch size.
type pruneStep struct {
	query string
	age   func(Retention) time.Duration
	count func(*Pruned) *int
}

// pruneSteps are in the order Prune takes them: an inbound record that
// goes is not first cleared, and an event's deliveries go before it.
var pruneSteps = []pruneStep{
	{`DELETE FROM inbox WHERE id IN (SELECT id FROM inbox
		WHERE processed_at IS NOT NULL AND processed_at <= ? ORDER BY processed_at LIMIT ?)`,
		func(r Retention) time.Duration { return r.InboxRecords }, func(p *Pruned) *int { return &p.InboxRecords }},
	{`UPDATE inbox SET body = x'' WHERE id IN (SELECT id FROM inbox
		WHERE processed_at IS NOT NULL AND length(body) > 0 AND processed_at <= ? ORDER BY processed_at LIMIT ?)`,
		func(r Retention) time.Duration { return r.InboxBodies }, func(p *Pruned) *int { return &p.InboxBodies }},
	{`DELETE FROM deliveries WHERE id IN (SELECT d.id FROM outbox o JOIN deliveries d ON d.outbox_id = o.id
		WHERE o.processed_at IS NOT NULL AND o.processed_at <= ?
			AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.outbox_id = o.id AND e.` + pendingDelivery + `)
		ORDER BY o.processed_at LIMIT ?)`,
		func(r Retention) time.Duration { return r.Outbox }, func(p *Pruned) *int { return &p.Deliveries }},
	{`DELETE FROM outbox WHERE id IN (SELECT o.id FROM outbox o
		WHERE o.processed_at IS NOT NULL AND o.processed_at <= ?
			AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.outbox_id = o.id)
		ORDER BY o.processed_at LIMIT ?)`,
		func(r Retention) time.Duration { return r.Outbox }, func(p *Pruned) *int { return &p.OutboxEvents }},
	{`DELETE FROM sessions WHERE rowid IN (SELECT rowid FROM sessions
		WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)`,
		func(r Retention) time.Duration { return r.ExpiredSessions }, func(p *Pruned) *int { return &p.Sessions }},
	{`DELETE FROM sign_in_attempts WHERE id IN (SELECT id FROM sign_in_attempts
		WHERE succeeded = 0 AND at <= ? ORDER BY succeeded, at LIMIT ?)`,
		func(r Retention) time.Duration { return r.SignInFailures }, func(p *Pruned) *int { return &p.SignInFailures }},
	// A good sign-in keeps its network open to the member for as long as
	// a session lasts (signin.go), and is no one's business after that.
	{`DELETE FROM sign_in_attempts WHERE id IN (SELECT id FROM sign_in_attempts
		WHERE succeeded = 1 AND at <= ? ORDER BY succeeded, at LIMIT ?)`,
		func(Retention) time.Duration { return knownNetworkFor }, func(p *Pruned) *int { return &p.SignIns }},
	{`DELETE FROM tombstones WHERE rowid IN (SELECT rowid FROM tombstones
		WHERE deleted_at <= ? ORDER BY deleted_at LIMIT ?)`,
		func(r Retention) time.Duration { return r.Tombstones }, func(p *Pruned) *int { return &p.Tombstones }},
	// A code used or expired is no good after its lifetime; it is kept a
	// day so that one presented again still takes back its token. A
	// revoked token is kept as long, then is as unknown as any other.
	{`DELETE FROM oauth_codes WHERE code_hash IN (SELECT code_hash FROM oauth_codes
		WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)`,
		func(Retention) time.Duration { return oauthKeptAfterUse }, func(p *Pruned) *int { return &p.OAuthCodes }},
	{`DELETE FROM oauth_tokens WHERE id IN (SELECT id FROM oauth_tokens
		WHERE revoked_at <= ? ORDER BY revoked_at LIMIT ?)`,
		func(Retention) time.Duration { return oauthKeptAfterUse }, func(p *Pruned) *int { return &p.OAuthTokens }},
	// Its file then goes with the unused uploads (UnusedUploads).
	{`DELETE FROM api_media WHERE id IN (SELECT id FROM api_media
		WHERE created_at <= ? ORDER BY created_at LIMIT ?)`,
		func(Retention) time.Duration { return pendingMediaKept }, func(p *Pruned) *int { return &p.PendingMedia }},
}

// oauthKeptAfterUse is how long codes past their lifetime and revoked
// tokens are kept.
const oauthKeptAfterUse = 24 * time.Hour

// Prune removes, in one short transaction, up to batch rows of each kind
// that are older than r keeps them, oldest first: it deletes the rows of
// handled inbound activities and clears the bodies of younger ones;
// deletes the deliveries of finished outbox events, then the events; and
// deletes expired sessions, old sign-in attempts, old tombstones,
// OAuth codes and revoked tokens a day past their use, and images
// uploaded through the client API that no status took within a day. Work
// not finished (inbound activities not handled, outbox events not
// expanded or parked, events with a delivery pending) is kept whatever
// its age. Callers prune in small batches until Total is zero, so that
// the single writer is never held long.
func (db *DB) Prune(ctx context.Context, r Retention, batch int) (Pruned, error) {
	var p Pruned
	err := db.write(ctx, func(tx *Tx) error {
		for _, step := range pruneSteps {
			res, err := tx.ExecContext(ctx, step.query, millis(tx.now.Add(-step.age(r))), batch)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			*step.count(&p) = int(n)
		}
		return nil
	})
	if err != nil {
		return Pruned{}, fmt.Errorf("prune: %w", err)
	}
	return p, nil
}
