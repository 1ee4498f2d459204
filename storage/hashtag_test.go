package storage

import (
	"slices"
	"strings"
	"testing"
)

func TestNormalizeHashtag(t *testing.T) {
	tests := []struct{ in, want string }{
		{"#News", "news"},
		{"news", "news"},
		{" #Café ", "café"},
		{"#covid_19", "covid_19"},
		{"#2024", ""},
		{"#_", ""},
		{"#", ""},
		{"", ""},
		{"#a b", ""},
		{"#a-b", ""},
		{"#" + strings.Repeat("a", MaxHashtagLength), strings.Repeat("a", MaxHashtagLength)},
		{"#" + strings.Repeat("a", MaxHashtagLength+1), ""},
		{"#日本", "日本"},
	}
	for _, tt := range tests {
		if got := NormalizeHashtag(tt.in); got != tt.want {
			t.Errorf("NormalizeHashtag(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHashtagsIn(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"#Climate news, #climate again and #Rain.", []string{"climate", "rain"}},
		{"(#one)#two", []string{"one"}},
		{"a#b https://x.example/#anchor &#39; ##double", nil},
		{"#2024 #year2024", []string{"year2024"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := HashtagsIn(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("HashtagsIn(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
