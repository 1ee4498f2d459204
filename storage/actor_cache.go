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
// signs (a fifth of the request path's CPU), and by their ActivityPub id,
// which the inbox workers look up for every activity.
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
	byURI map[string]*list.Element // the same elements, by URI
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
	return c.lookup(func() map[string]*list.Element { return c.byKey }, keyID)
}

// getByURI returns a copy of the cached actor with the ActivityPub id.
func (c *actorCache) getByURI(uri string) (*Actor, bool) {
	return c.lookup(func() map[string]*list.Element { return c.byURI }, uri)
}

// lookup returns a copy of the actor the index (read under the lock)
// has under k.
func (c *actorCache) lookup(index func() map[string]*list.Element, k string) (*Actor, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := index()[k]
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
	if a.Local || a.KeyID == "" || a.URI == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.byKey == nil {
		c.byKey, c.byURI = map[string]*list.Element{}, map[string]*list.Element{}
	}
	cp := *a
	for _, e := range []*list.Element{c.byKey[a.KeyID], c.byURI[a.URI]} {
		if e != nil {
			c.remove(e) // an older copy, perhaps under another key id
		}
	}
	e := c.order.PushFront(&cp)
	c.byKey[a.KeyID], c.byURI[a.URI] = e, e
	if c.order.Len() > actorCacheSize {
		c.remove(c.order.Back())
	}
}

// remove drops one cached actor from the list and both indexes.
func (c *actorCache) remove(e *list.Element) {
	a := e.Value.(*Actor)
	c.order.Remove(e)
	if c.byKey[a.KeyID] == e {
		delete(c.byKey, a.KeyID)
	}
	if c.byURI[a.URI] == e {
		delete(c.byURI, a.URI)
	}
}

// forget drops the actors that match, and starts a new generation.
func (c *actorCache) forget(match func(*Actor) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for e := c.order.Front(); e != nil; {
		next := e.Next()
		if match(e.Value.(*Actor)) {
			c.remove(e)
		}
		e = next
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
