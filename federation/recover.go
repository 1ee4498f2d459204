package federation

import (
	"fmt"
	"runtime/debug"
)

// panicError is a panic caught while handling one item of a queue (an
// outbox event, a delivery), so that the item is recorded as failed and
// the queue carries on with the others.
type panicError struct {
	value any
	stack []byte
}

func (p *panicError) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// catchPanic runs fn and returns a panic in it as a *panicError.
func catchPanic(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{value: r, stack: debug.Stack()}
		}
	}()
	return fn()
}
