package main

import (
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/tidings-social/tidings/federation"
)

// wireActivity is what the bench reads of a delivered activity.
type wireActivity struct {
	ID     string          `json:"id"`
	Type   string          `json:"type"`
	Actor  string          `json:"actor"`
	Object json.RawMessage `json:"object"`
}

// objectID is the id of the activity's object, given by id or embedded.
func (a wireActivity) objectID() string {
	var id string
	if json.Unmarshal(a.Object, &id) == nil {
		return id
	}
	var embedded struct {
		ID string `json:"id"`
	}
	json.Unmarshal(a.Object, &embedded)
	return embedded.ID
}

// delivered is one activity delivered to the fleet.
type delivered struct {
	kind   string
	object string
	at     map[int]time.Time // first arrival at each instance
}

// arrivals records what the fleet's inboxes received: each activity's
// first arrival at each instance, how many arrived again (the same
// activity id at the same instance), and whether their signatures hold
// under the member's key.
type arrivals struct {
	mu         sync.Mutex
	key        crypto.PublicKey // the member's; nil until known
	byID       map[string]*delivered
	duplicates int
	checked    int
	badSigs    int
	firstBad   error
}

func newArrivals() *arrivals { return &arrivals{byID: map[string]*delivered{}} }

// setKey sets the member's public key, which every delivery must be
// signed with.
func (a *arrivals) setKey(key crypto.PublicKey) {
	a.mu.Lock()
	a.key = key
	a.mu.Unlock()
}

// check verifies the delivery's signature and reports the outcome
// (nil when valid), to be recorded with it.
func (a *arrivals) check(r *http.Request, body []byte) error {
	a.mu.Lock()
	key := a.key
	a.mu.Unlock()
	if key == nil {
		return errors.New("the member's key is not known yet")
	}
	return federation.VerifyRequest(r, body, key, time.Now())
}

// record notes that the instance received body at the time at; sigErr
// is what check said of it. A body that is not an activity is refused.
func (a *arrivals) record(instance int, body []byte, sigErr error, at time.Time) error {
	var act wireActivity
	if err := json.Unmarshal(body, &act); err != nil || act.ID == "" || act.Type == "" {
		return fmt.Errorf("not an activity with an id and a type")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.checked++
	if sigErr != nil {
		a.badSigs++
		if a.firstBad == nil {
			a.firstBad = fmt.Errorf("%s %s to instance %d: %w", act.Type, act.ID, instance, sigErr)
		}
	}
	d := a.byID[act.ID]
	if d == nil {
		d = &delivered{kind: act.Type, object: act.objectID(), at: map[int]time.Time{}}
		a.byID[act.ID] = d
	}
	if _, again := d.at[instance]; again {
		a.duplicates++
		return nil
	}
	d.at[instance] = at
	return nil
}

// ofObject returns the first arrival at each instance of the activity
// of kind about object (nil when none arrived yet): the Create of a
// post, say. A copy, safe to keep.
func (a *arrivals) ofObject(kind, object string) map[int]time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, d := range a.byID {
		if d.kind == kind && d.object == object {
			out := make(map[int]time.Time, len(d.at))
			for i, t := range d.at {
				out[i] = t
			}
			return out
		}
	}
	return nil
}

// ofKind returns the first arrival at each instance of any activity of
// the kind (the Accepts of the follows), and their number in all.
func (a *arrivals) ofKind(kind string) (map[int]time.Time, int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := map[int]time.Time{}
	total := 0
	for _, d := range a.byID {
		if d.kind != kind {
			continue
		}
		for i, t := range d.at {
			total++
			if first, ok := out[i]; !ok || t.Before(first) {
				out[i] = t
			}
		}
	}
	return out, total
}

// signatures tells how many arrivals were checked, how many failed, and
// the first failure.
func (a *arrivals) signatures() (checked, bad, duplicates int, first error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.checked, a.badSigs, a.duplicates, a.firstBad
}
