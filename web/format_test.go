package web

import (
	"strings"
	"testing"
)

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("word ", 100)
	tests := []struct{ content, want string }{
		{"", ""},
		{"<p>One.</p><p>Two &amp; three.</p>", "One. Two & three."},
		{`<p>Ask <span class="h-card"><a href="x">@<span>alice</span></a></span>, or <strong>bob</strong>.</p>`, "Ask @alice, or bob."},
		{"<p>line<br>break</p>", "line break"},
		{"<p>" + long + "</p>", strings.TrimSpace(strings.Repeat("word ", 56)) + "…"},
	}
	for _, tt := range tests {
		if got := excerpt(tt.content); got != tt.want {
			t.Errorf("excerpt(%.40q) = %q, want %q", tt.content, got, tt.want)
		}
	}
}

func TestLinkDomain(t *testing.T) {
	tests := []struct{ link, want string }{
		{"https://www.Example.org/news/1", "example.org"},
		{"http://127.0.0.1:8080/story", "127.0.0.1"},
		{"https://news.example.co.uk", "news.example.co.uk"},
		{"not a link", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := linkDomain(tt.link); got != tt.want {
			t.Errorf("linkDomain(%q) = %q, want %q", tt.link, got, tt.want)
		}
	}
}
