package api

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestIsWebSocketHandshake(t *testing.T) {
	const key = "dGhlIHNhbXBsZSBub25jZQ==" // RFC 6455's example: 16 bytes
	tests := []struct {
		name    string
		headers map[string]string
		want    bool
	}{
		{"a handshake", map[string]string{"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": key}, true},
		{"tokens in a list, any case", map[string]string{"Connection": "keep-alive, UPGRADE", "Upgrade": "WebSocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": key}, true},
		{"a plain GET", map[string]string{}, false},
		{"no Connection upgrade", map[string]string{"Upgrade": "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": key}, false},
		{"an upgrade to another protocol", map[string]string{"Connection": "Upgrade", "Upgrade": "h2c", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": key}, false},
		{"an old version", map[string]string{"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "8", "Sec-WebSocket-Key": key}, false},
		{"no key", map[string]string{"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13"}, false},
		{"a key of the wrong size", map[string]string{"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "c2hvcnQ="}, false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, "/api/v1/streaming", nil)
		for k, v := range tt.headers {
			r.Header.Set(k, v)
		}
		if got := isWebSocketHandshake(r); got != tt.want {
			t.Errorf("%s: isWebSocketHandshake = %v, want %v", tt.name, got, tt.want)
		}
	}
}
