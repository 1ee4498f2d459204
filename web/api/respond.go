package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// writeJSON answers v as JSON. Apps' libraries decode only a body typed
// application/json, so there is always one: a deletion answers {}.
func writeJSON(w http.ResponseWriter, status int, v any) {
	if v == nil {
		v = struct{}{}
	}
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":"Something went wrong on our side."}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

// apiError is Mastodon's error body; OAuth's adds a description.
type apiError struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// writeError answers Mastodon's error body {"error": msg}.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiError{Error: msg})
}

// writeOAuthError answers an RFC 6749 error: a code such as
// "invalid_grant" and a description for people.
func writeOAuthError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, apiError{Error: code, Description: description})
}

// requestError is a request the API cannot read, with the status to
// answer and a reason safe to show.
type requestError struct {
	status int
	msg    string
}

func (e *requestError) Error() string { return e.msg }

// statusFor maps a storage error code to the status Mastodon answers.
func statusFor(code string) int {
	switch code {
	case storage.EInvalid, storage.EConflict:
		return http.StatusUnprocessableEntity
	case storage.ENotFound:
		return http.StatusNotFound
	case storage.EForbidden:
		return http.StatusForbidden
	case storage.EUnauthorized:
		return http.StatusUnauthorized
	case storage.ERateLimited:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// fail answers err: a storage error with its status and message, a
// request that could not be read with its reason, anything else 500
// with the details only in the log.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	var bad *requestError
	if errors.As(err, &bad) {
		writeError(w, bad.status, bad.msg)
		return
	}
	status := statusFor(storage.ErrorCode(err))
	if status == http.StatusInternalServerError {
		a.log.Error("API request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeError(w, status, storage.ErrorMessage(err))
}

// notFound answers paths the API does not have, with Mastodon's text.
func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "Record not found")
}

// methodNotAllowed answers a path asked with a method it does not take.
func methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusMethodNotAllowed, "This method is not allowed here")
}
