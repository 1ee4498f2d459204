package storage

import "testing"

func TestSanitizeHTMLLinks(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`<a href="https://social.example/@bob">@bob</a>`,
			`<a href="https://social.example/@bob" rel="nofollow noreferrer">@bob</a>`},
		{`<a href="http://news.example/a?b=1">a</a>`, `<a href="http://news.example/a?b=1" rel="nofollow noreferrer">a</a>`},
		// Browsers read these as links to another host: they have none here.
		{`<a href="https:/Rtidings.test/s/climate">@climate</a>`, `@climate`},
		{`<a href="https:///x">x</a>`, `x`},
		{`<a href="https:evil.example">x</a>`, `x`},
		{`<a href="/users/bob">relative</a>`, `relative`},
		{`<a href="javascript:alert(1)">js</a>`, `js`},
		{`<a href="mailto:a@b.example">mail</a>`, `mail`},
	} {
		if got := sanitizeHTML(tt.in); got != tt.want {
			t.Errorf("sanitizeHTML(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
