package federation

import (
	"errors"
	"strings"
	"testing"
)

func TestCatchPanic(t *testing.T) {
	refused := errors.New("refused")
	tests := []struct {
		name    string
		fn      func() error
		want    error  // returned as it is
		panicky string // or a *panicError with this message
	}{
		{"no error", func() error { return nil }, nil, ""},
		{"an error", func() error { return refused }, refused, ""},
		{"a panic", func() error { panic("bad local URL") }, nil, "panic: bad local URL"},
		{"a runtime error", func() error {
			var m map[string]int
			m["x"] = 1
			return nil
		}, nil, "panic: assignment to entry in nil map"},
	}
	for _, tt := range tests {
		err := catchPanic(tt.fn)
		if tt.panicky == "" {
			if err != tt.want {
				t.Errorf("%s: got %v, want %v", tt.name, err, tt.want)
			}
			continue
		}
		p, ok := errors.AsType[*panicError](err)
		if !ok || err.Error() != tt.panicky || !strings.Contains(string(p.stack), "recover_test.go") {
			t.Errorf("%s: got %v, want a *panicError %q with the stack of the panic", tt.name, err, tt.panicky)
		}
	}
}
