package storage

import (
	"context"
	"fmt"
	"sync"
)

// inboundStore commits the inbound activities that arrive together in
// one transaction. The writer syncs every commit to disk, so an inbox
// that stored each activity in a transaction of its own would be held
// to one activity per sync; sharing the commit pays one sync for many,
// and each caller still returns only once its activity is durable.
//
// The first caller to find no commit under way leads: it commits what
// is waiting, its own activity among it. Callers that arrive meanwhile
// wait; when the commit is done, the leader hands the lead to the first
// of them, which commits all that gathered, and so on.
type inboundStore struct {
	mu      sync.Mutex
	leading bool
	waiting []*inboundWrite
}

// inboundWrite is one activity to store and, once committed, the outcome.
type inboundWrite struct {
	activityURI, actorURI, typ, orderKey string
	forwardedBy                          string // "" unless signed by another actor
	body                                 []byte

	stored bool
	err    error
	done   chan struct{} // closed when committed, or the commit failed
	lead   chan struct{} // closed when this caller is to commit the next batch
}

// store adds w to the next commit and returns once it is committed.
func (s *inboundStore) store(ctx context.Context, db *DB, w *inboundWrite) {
	w.done, w.lead = make(chan struct{}), make(chan struct{})
	s.mu.Lock()
	s.waiting = append(s.waiting, w)
	if s.leading {
		s.mu.Unlock()
		select {
		case <-w.done:
			return
		case <-w.lead:
		}
		s.mu.Lock()
	}
	s.leading = true
	batch := s.waiting
	s.waiting = nil
	s.mu.Unlock()

	// The commit serves every caller in the batch, so it must not end
	// with the leader's request.
	db.commitInbound(context.WithoutCancel(ctx), batch)

	s.mu.Lock()
	if len(s.waiting) == 0 {
		s.leading = false
	} else {
		close(s.waiting[0].lead)
	}
	s.mu.Unlock()
}

// commitInbound stores a batch of inbound activities in one transaction
// and tells each caller its outcome.
func (db *DB) commitInbound(ctx context.Context, batch []*inboundWrite) {
	err := db.write(ctx, func(tx *Tx) error {
		tx.keepsDocuments()
		for _, w := range batch {
			res, err := tx.execFixed(ctx, `INSERT INTO inbox (id, activity_uri, actor_uri, type, order_key, body, received_at, next_attempt_at, forwarded_by)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (activity_uri) DO NOTHING`,
				tx.newID(), w.activityURI, w.actorURI, w.typ, w.orderKey, w.body, millis(tx.now), millis(tx.now), w.forwardedBy)
			if err != nil {
				return fmt.Errorf("store inbound %s: %w", w.activityURI, err)
			}
			n, _ := res.RowsAffected()
			w.stored = n > 0
		}
		return nil
	})
	for _, w := range batch {
		if err != nil {
			w.stored, w.err = false, err
		}
		close(w.done)
	}
}
