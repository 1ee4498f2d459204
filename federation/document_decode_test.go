package federation

import (
	"context"
	"testing"
)

// TestDecodeRefusesWhatIsNotOneObject: a fetched document or a stored
// body must be one JSON object; anything else is an error, never a panic.
func TestDecodeRefusesWhatIsNotOneObject(t *testing.T) {
	for _, body := range []string{`null`, `[]`, `"x"`, `1`, ``, `{"a":1} {"b":2}`, `{"a":1}x`, `{`} {
		if _, _, err := decode(context.Background(), []byte(body)); err == nil {
			t.Errorf("decode(%q) = nil error, want one", body)
		}
	}
	if _, m, err := decode(context.Background(), []byte(" {\"type\":\"Note\",\"id\":\"https://r.example/n/1\"}\n")); err != nil || m["type"] != "Note" {
		t.Errorf("decode of a Note = %v, %v; want it read", m, err)
	}
}
