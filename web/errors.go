package web

import (
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// statusFor maps a storage error code to an HTTP status. It is the one
// place where that mapping is decided.
func statusFor(code string) int {
	switch code {
	case storage.EInvalid:
		return http.StatusBadRequest
	case storage.ENotFound:
		return http.StatusNotFound
	case storage.EConflict:
		return http.StatusConflict
	case storage.EForbidden:
		return http.StatusForbidden
	case storage.EUnauthorized:
		return http.StatusUnauthorized
	case storage.ERateLimited:
		return http.StatusTooManyRequests
	default:
		return http.StatusInternalServerError
	}
}

// failure returns the status and the message to show for err, and logs
// the errors that are faults of ours (their details stay in the log).
func (s *Server) failure(r *http.Request, err error) (int, string) {
	status := statusFor(storage.ErrorCode(err))
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "id", requestID(r), "path", loggedPath(r.URL.Path), "err", err)
	}
	return status, storage.ErrorMessage(err)
}

// fail renders the error page for err.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := s.failure(r, err)
	s.renderError(w, r, status, msg)
}

// errorPage is the data of the error page.
type errorPage struct {
	Status    int
	Message   string
	RequestID string
}

// renderError renders the error page with a message that is safe to show.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, status, "error", http.StatusText(status), errorPage{Status: status, Message: msg, RequestID: requestID(r)})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusNotFound, "There is no page at this address.")
}

func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusMethodNotAllowed, "This page cannot be used that way.")
}
