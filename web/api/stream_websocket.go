package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/coder/websocket"
)

// streamRequest is a message a client sends on the WebSocket: subscribe
// or unsubscribe, a stream, and its tag or list.
type streamRequest struct {
	Type   string `json:"type"`
	Stream string `json:"stream"`
	Tag    string `json:"tag"`
	List   string `json:"list"`
}

// streamErrorMessage tells the client a request failed, as Mastodon does.
type streamErrorMessage struct {
	Error  string `json:"error"`
	Status int    `json:"status"`
}

// streamWebSocket serves GET /api/v1/streaming upgraded to a WebSocket:
// the stream named by ?stream= (with &tag= or &list=) if any, then those
// the client subscribes to. The token offered as the subprotocol is
// echoed back as the one chosen, without which browsers fail the
// handshake.
func (a *API) streamWebSocket(w http.ResponseWriter, r *http.Request, c *caller) {
	q := r.URL.Query()
	var first *subscription
	if name := q.Get("stream"); name != "" {
		sub, err := a.checkSubscription(r.Context(), c.Member.ID, name, q.Get("tag"), q.Get("list"))
		if err != nil {
			a.streamFailed(w, r, err)
			return
		}
		first = &sub
	}
	if !isWebSocketHandshake(r) {
		// websocket.Accept would refuse it in plain text, which apps'
		// libraries cannot read.
		w.Header().Set("Upgrade", "websocket")
		writeError(w, http.StatusUpgradeRequired, "This stream is a WebSocket: connect with an upgrade, or use /api/v1/streaming/:stream.")
		return
	}
	s, err := a.streams.open(c.Member.ID)
	if err != nil {
		a.streamFailed(w, r, err)
		return
	}
	defer a.streams.leave(s)
	if first != nil {
		s.subscribe(*first)
	}
	keepOpen(w)
	opts := &websocket.AcceptOptions{
		// Tokens, never cookies, authorize a stream, so a page of any
		// origin (an app such as Elk) may open one.
		InsecureSkipVerify: true,
	}
	if p := offeredProtocol(r); p != "" {
		opts.Subprotocols = []string{p}
	}
	conn, err := websocket.Accept(w, r, opts)
	if err != nil {
		return // Accept has answered
	}
	defer conn.CloseNow()
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	defer cancel()
	go a.readStreamRequests(ctx, conn, s, c)
	err = a.runStream(ctx, s, func(e streamEvent) error {
		return writeStreamMessage(ctx, conn, e)
	}, func() error {
		ctx, cancel := context.WithTimeout(ctx, streamWrite)
		defer cancel()
		return conn.Ping(ctx)
	})
	if errors.Is(err, errStreamEnded) {
		conn.Close(websocket.StatusGoingAway, "stream ended")
	}
}

// isWebSocketHandshake reports whether the request asks for a WebSocket
// as RFC 6455 says: an upgrade to websocket, version 13, with a key of 16
// bytes.
func isWebSocketHandshake(r *http.Request) bool {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(r.Header.Get("Sec-WebSocket-Key")))
	return headerHasToken(r.Header, "Connection", "upgrade") && headerHasToken(r.Header, "Upgrade", "websocket") &&
		r.Header.Get("Sec-WebSocket-Version") == "13" && len(r.Header.Values("Sec-WebSocket-Key")) == 1 &&
		err == nil && len(key) == 16
}

// headerHasToken reports whether a comma-separated header lists the
// token, in any case.
func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// readStreamRequests applies the client's subscribe and unsubscribe
// messages until the connection fails; then it ends the stream.
func (a *API) readStreamRequests(ctx context.Context, conn *websocket.Conn, s *stream, c *caller) {
	defer s.end()
	for {
		_, body, err := conn.Read(ctx)
		if err != nil {
			return
		}
		var req streamRequest
		if err := json.Unmarshal(body, &req); err != nil {
			writeStreamMessage(ctx, conn, streamErrorMessage{Error: "Could not parse the message", Status: http.StatusBadRequest})
			continue
		}
		sub, err := a.checkSubscription(ctx, c.Member.ID, req.Stream, req.Tag, req.List)
		var re *requestError
		switch {
		case errors.As(err, &re):
			writeStreamMessage(ctx, conn, streamErrorMessage{Error: re.msg, Status: re.status})
			continue
		case err != nil:
			writeStreamMessage(ctx, conn, streamErrorMessage{Error: recordNotFound, Status: http.StatusNotFound})
			continue
		}
		switch req.Type {
		case "subscribe":
			s.subscribe(sub)
		case "unsubscribe":
			s.unsubscribe(sub)
		default:
			writeStreamMessage(ctx, conn, streamErrorMessage{Error: "Unknown message type", Status: http.StatusBadRequest})
		}
	}
}

// writeStreamMessage sends v as a JSON text message, within streamWrite.
func writeStreamMessage(ctx context.Context, conn *websocket.Conn, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, streamWrite)
	defer cancel()
	return conn.Write(ctx, websocket.MessageText, body)
}
