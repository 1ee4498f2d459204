package federation

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// StatusError is a non-success HTTP answer from another server.
type StatusError struct {
	URL        string        // the URL that answered, after redirects
	Code       int           // the HTTP status code
	RetryAfter time.Duration // from the Retry-After header; zero when absent
}

// newStatusError describes resp, reading Retry-After relative to now.
func newStatusError(resp *http.Response, now time.Time) *StatusError {
	return &StatusError{
		URL:        resp.Request.URL.String(),
		Code:       resp.StatusCode,
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), now),
	}
}

// Error describes the answer.
func (e *StatusError) Error() string {
	return fmt.Sprintf("%s answered %d %s", e.URL, e.Code, http.StatusText(e.Code))
}

// Gone reports a 410: the target is gone for good, and delivery drops it.
func (e *StatusError) Gone() bool {
	return e.Code == http.StatusGone
}

// Retryable reports whether the same request may succeed later: a 5xx, a
// 408 or a 429. Any other status (3xx, 4xx) is permanent.
func (e *StatusError) Retryable() bool {
	return e.Code >= 500 || e.Code == http.StatusRequestTimeout || e.Code == http.StatusTooManyRequests
}

// Retryable reports whether a request that failed with err is worth
// retrying: a retryable status, a network error or a timeout. Refusals of
// the client (URL, scheme, address, size, content type, redirects) and
// permanent statuses are not.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.Retryable()
	}
	for _, permanent := range []error{ErrInvalidURL, ErrScheme, ErrPrivateAddress, ErrBodyTooLarge, ErrContentType, ErrTooManyRedirects} {
		if errors.Is(err, permanent) {
			return false
		}
	}
	return true
}

// parseRetryAfter reads a Retry-After value, in seconds or an HTTP date,
// as a wait from now. A missing, malformed or past value is zero.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseUint(v, 10, 32); err == nil {
		return time.Duration(secs) * time.Second
	}
	at, err := http.ParseTime(v)
	if err != nil || !at.After(now) {
		return 0
	}
	return at.Sub(now)
}
