package federation

import (
	"mime"
	"net/http"
	"strings"
)

// activityContentType is the media type of every document served.
const activityContentType = `application/activity+json; charset=utf-8`

// WantsActivityJSON reports whether a request asks for ActivityPub JSON
// rather than a web page: its Accept names application/activity+json or
// application/ld+json. Browsers get the HTML page at the same address.
func WantsActivityJSON(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		if mediaType == "application/activity+json" || mediaType == "application/ld+json" {
			return true
		}
	}
	return false
}

// writeJSON answers with a JSON document of the given media type.
func writeJSON(w http.ResponseWriter, contentType string, status int, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Vary", "Accept")
	w.WriteHeader(status)
	w.Write(body)
}

// writeProblem answers a federation request with a plain-text reason.
func writeProblem(w http.ResponseWriter, status int, reason string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write([]byte(reason + "\n"))
}
