package storage

import (
	"errors"
	"time"
)

// retryError is a refusal that knows when trying again may succeed.
type retryError struct {
	err   *Error
	after time.Duration
}

func (e *retryError) Error() string { return e.err.Error() }
func (e *retryError) Unwrap() error { return e.err }

// retryLater wraps a refusal with how long the caller should wait.
func retryLater(err *Error, after time.Duration) error {
	return &retryError{err: err, after: max(after, time.Second)}
}

// RetryAfter returns how long to wait before trying again after err, or
// 0 when err does not say; the web layer sends it as Retry-After.
func RetryAfter(err error) time.Duration {
	var r *retryError
	if errors.As(err, &r) {
		return r.after
	}
	return 0
}
