package federation

import "time"

// maxMediaFailures bounds how many failed fetches the media cache
// remembers, so that pages naming endless broken images cannot grow it.
const maxMediaFailures = 4096

// mediaFailure is a fetch of a remote image that failed, and until when
// its error is returned without asking again.
type mediaFailure struct {
	err   error
	until time.Time
}

// failed is the error of a recent failed fetch of the image, or nil.
func (c *MediaCache) failed(name string, now time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.failures[name]
	if !ok {
		return nil
	}
	if !now.Before(f.until) {
		delete(c.failures, name)
		return nil
	}
	return f.err
}

// rememberFailure keeps a failed fetch for FailureAge; c.mu is held.
// When the list is full, the expired ones go, and if that is not enough,
// any one: forgetting a failure costs one more fetch, nothing else.
func (c *MediaCache) rememberFailure(name string, err error, now time.Time) {
	if len(c.failures) >= maxMediaFailures {
		for n, f := range c.failures {
			if !now.Before(f.until) {
				delete(c.failures, n)
			}
		}
		for n := range c.failures {
			if len(c.failures) < maxMediaFailures {
				break
			}
			delete(c.failures, n)
		}
	}
	c.failures[name] = mediaFailure{err: err, until: now.Add(c.cfg.FailureAge)}
}
