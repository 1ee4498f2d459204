package storage

import (
	"container/list"
	"sync"
)

// actorCacheSize bounds the remote actors kept in memory by key id: about
// 3 KB each (a key of RSA-4096 size and the actor's addresses), so at
// most some 30 MB on an instance in touch with that many accounts.
const actorCacheSize = 10_000

// actorCache keeps remote actors in memory by the id of their public key,
// so that the inbox does not read the actor again for every request it
// signs (a fifth of the request path's CPU).
//
// Every write that changes or deletes a remote actor forgets it once its
// transaction commits (Tx.forgetActor); a change of the domain blocks
// forgets them all. A read of the table that began before such a commit
// and ends after the forgetting is not kept: fills carry the generation
// they began in, and every forgetting starts a new one.
//
// Only remote actors are kept: a local member's name and picture come
// from members, which many operations change.
type actorCache struct {
	mu    sync.Mutex
	gen   uint64
	byKey map[string]*list.Element // of *Actor, by KeyID
	order list.List                // most recently used first
}

// generation returns the generation a fill must carry.
func (c *actorCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// get returns a copy of the cached actor with the key id.
func (c *actorCache) get(keyID string) (*Actor, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[keyID]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	a := *e.Value.(*Actor)
	return &a, true
}

// put keeps a copy of a, read in generation gen, unless something was
// forgotten since.
func (c *actorCache) put(gen uint64, a *Actor) {
	if a.Local || a.KeyID == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.byKey == nil {
		c.byKey = map[string]*list.Element{}
	}
	cp := *a
	if e, ok := c.byKey[a.KeyID]; ok {
		e.Value = &cp
		c.order.MoveToFront(e)
		return
	}
	c.byKey[a.KeyID] = c.order.PushFront(&cp)
	if c.order.Len() > actorCacheSize {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.byKey, oldest.Value.(*Actor).KeyID)
	}
}

// forget drops the actors that match, and starts a new generation.
func (c *actorCache) forget(match func(*Actor) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for key, e := range c.byKey {
		if match(e.Value.(*Actor)) {
			c.order.Remove(e)
			delete(c.byKey, key)
		}
	}
}

// forgetAll empties the cache.
func (c *actorCache) forgetAll() {
	c.forget(func(*Actor) bool { return true })
}

// forgetActor makes the cache forget the actor whose id, ActivityPub id
// or key id is ref, once the transaction has committed.
func (tx *Tx) forgetActor(ref string) {
	tx.afterCommit = append(tx.afterCommit, func() {
		tx.db.actors.forget(func(a *Actor) bool {
			return a.ID == ref || a.URI == ref || a.KeyID == ref
		})
	})
}
