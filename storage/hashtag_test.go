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

func TestLocalHashtagLinks(t *testing.T) {
	base := testSite.TagBase()
	tests := []struct {
		in   string
		tags []string
		want string
	}{
		{`<p>Hi <a href="https://m.example/tags/News" class="mention hashtag" rel="nofollow noreferrer">#<span>News</span></a></p>`,
			[]string{"#news"},
			`<p>Hi <a href="https://tidings.test/tags/news" class="mention hashtag" rel="nofollow noopener noreferrer">#<span>News</span></a></p>`},
		{`<a href="https://m.example/tags/x" class="hashtag">#x</a>`, []string{"x"},
			`<a href="https://tidings.test/tags/x" class="mention hashtag" rel="nofollow noopener noreferrer">#<span>x</span></a>`},
		// Not a tag of the post, not marked as a hashtag, or not a #tag: kept.
		{`<a href="https://m.example/tags/x" class="mention hashtag">#<span>x</span></a>`, []string{"y"},
			`<a href="https://m.example/tags/x" class="mention hashtag">#<span>x</span></a>`},
		{`<a href="https://evil.example/">#news</a>`, []string{"news"}, `<a href="https://evil.example/">#news</a>`},
		{`<a href="https://m.example/" class="hashtag">news</a>`, []string{"news"}, `<a href="https://m.example/" class="hashtag">news</a>`},
	}
	for _, tt := range tests {
		if got := localHashtagLinks(tt.in, tt.tags, base); got != tt.want {
			t.Errorf("localHashtagLinks(%s) =\n%s\nwant\n%s", tt.in, got, tt.want)
		}
	}
}
