package storage

import (
	"errors"
	"fmt"
)

// Error codes. Every error an exported operation returns carries one of
// them, and the web layer maps each to an HTTP status in one place.
const (
	EInvalid      = "invalid"      // the input breaks a rule; the message says which
	ENotFound     = "not_found"    // the thing asked for does not exist
	EConflict     = "conflict"     // the input clashes with what is stored
	EForbidden    = "forbidden"    // the actor may not do this
	EUnauthorized = "unauthorized" // the actor could not be identified
	ERateLimited  = "rate_limited" // too many attempts; try later
	EInternal     = "internal"     // a fault on our side; never shown in detail
)

// Error is a failure of an operation with a code and a message that is
// safe to show to the person who caused it.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the *Error inside err, EInternal for any
// other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the message of the *Error inside err; other errors
// get a generic message so that internals never reach a user.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EInternal {
		return e.Message
	}
	return "Something went wrong on our side. Please try again later."
}
