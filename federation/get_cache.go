package federation

import (
	"container/list"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"sync"
	"time"
)

// The documents every other server asks for again and again (actors,
// WebFinger, NodeInfo) are kept rendered in memory: a hit costs a map
// look-up instead of several queries and a go-fed serialization.
//
// documentCache is an LRU bounded both by entries and by bytes. An entry
// is current while storage's ChangeGeneration is the one it was built
// at; any commit that may change such a document moves it, so a change
// is seen by the next request. Only successful answers are kept; a
// refusal, a 404 or a 410 is worked out anew each time.
type documentCache struct {
	mu       sync.Mutex
	order    *list.List // front: most recently used
	byKey    map[string]*list.Element
	bytes    int
	maxItems int
	maxBytes int
}

// Bounds of the document cache: an actor document is 2–4 KB, so the
// bytes bound (8 MiB) is the one that binds first for actors, the entry
// bound for the small WebFinger answers.
const (
	documentCacheItems = 10000
	documentCacheBytes = 8 << 20
)

// cachedDocument is one rendered answer and what HTTP says about it.
type cachedDocument struct {
	key  string
	body []byte
	// etag and cacheControl are kept as header values, made once.
	etag         []string
	cacheControl []string
	generation   uint64
	// expires, when not zero, ends the entry even if nothing changed: for
	// figures that move with time, as NodeInfo's active members.
	expires time.Time
}

func newDocumentCache(maxItems, maxBytes int) *documentCache {
	return &documentCache{order: list.New(), byKey: map[string]*list.Element{}, maxItems: maxItems, maxBytes: maxBytes}
}

// newCachedDocument renders the HTTP side of a document: a strong ETag
// from its bytes, and how long other servers may keep it (maxAge; zero
// makes them ask again each time, with the ETag).
func newCachedDocument(key string, body []byte, maxAge int, generation uint64) *cachedDocument {
	sum := sha256.Sum256(body)
	control := "no-cache"
	if maxAge > 0 {
		control = "public, max-age=" + strconv.Itoa(maxAge)
	}
	return &cachedDocument{
		key: key, body: body, generation: generation,
		etag:         []string{`"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`},
		cacheControl: []string{control},
	}
}

// size is what an entry counts against the bytes bound.
func (d *cachedDocument) size() int { return len(d.key) + len(d.body) + 128 }

// get returns the entry of key if it was built at generation and has not
// expired.
func (c *documentCache) get(key string, generation uint64, now time.Time) *cachedDocument {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return nil
	}
	d := e.Value.(*cachedDocument)
	if d.generation > generation {
		return nil // built after this request looked: leave it for later ones
	}
	if d.generation < generation || (!d.expires.IsZero() && !now.Before(d.expires)) {
		c.remove(e)
		return nil
	}
	c.order.MoveToFront(e)
	return d
}

// put keeps d, dropping the least recently used entries beyond the
// bounds. A document larger than the whole bound is not kept.
func (c *documentCache) put(d *cachedDocument) {
	if d.size() > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[d.key]; ok {
		old := e.Value.(*cachedDocument)
		if old.generation > d.generation {
			return // built from older data than what is there
		}
		c.remove(e)
	}
	c.byKey[d.key] = c.order.PushFront(d)
	c.bytes += d.size()
	for c.order.Len() > c.maxItems || c.bytes > c.maxBytes {
		c.remove(c.order.Back())
	}
}

func (c *documentCache) remove(e *list.Element) {
	d := c.order.Remove(e).(*cachedDocument)
	delete(c.byKey, d.key)
	c.bytes -= d.size()
}

// len is the number of entries, for tests.
func (c *documentCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
