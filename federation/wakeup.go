package federation

import "sync"

// wakeup lets goroutines wait until another says there is work: wait
// returns a channel that broadcast closes, waking every waiter at once.
type wakeup struct {
	mu sync.Mutex
	ch chan struct{}
}

// wait returns the channel the next broadcast closes.
func (w *wakeup) wait() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ch == nil {
		w.ch = make(chan struct{})
	}
	return w.ch
}

// broadcast wakes every goroutine waiting.
func (w *wakeup) broadcast() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ch != nil {
		close(w.ch)
		w.ch = nil
	}
}
