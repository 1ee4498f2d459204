package storage

import "testing"

func TestRenderPostMarkdownLinksHashtags(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Rain #Weather today", `<p>Rain <a href="https://tidings.test/tags/weather" class="mention hashtag" rel="nofollow noreferrer">#<span>Weather</span></a> today</p>`},
		{"C# and a#b and #1", `<p>C# and a#b and #1</p>`},
		{"[see #news](https://x.example/)", `<p><a href="https://x.example/" rel="nofollow noreferrer">see #news</a></p>`},
		{"`#code`", `<p><code>#code</code></p>`},
	}
	for _, tt := range tests {
		if got := RenderPostMarkdown(tt.in, nil, testSite.TagBase()); got != tt.want {
			t.Errorf("RenderPostMarkdown(%q) =\n%s\nwant\n%s", tt.in, got, tt.want)
		}
	}
	if got, want := RenderMarkdown("Rain #Weather", nil), "<p>Rain #Weather</p>"; got != want {
		t.Errorf("RenderMarkdown = %s, want %s", got, want)
	}
}
