package web

import (
	"slices"
	"strings"
	"testing"
)

// TestEveryPageParses parses every page template, as a visitor's first
// request of each would: pages are parsed when first shown, so a broken
// one must fail here.
func TestEveryPageParses(t *testing.T) {
	p, err := newPages()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(p.byName), 40; got < want {
		t.Errorf("%d page templates, want at least %d", got, want)
	}
	for name := range p.byName {
		tmpl, err := p.page(name)
		if err != nil {
			t.Errorf("page %s: %v", name, err)
			continue
		}
		if tmpl.Lookup(name+".html") == nil {
			t.Errorf("page %s: no template %s.html in its set", name, name)
		}
		// Only the partials a page uses are parsed with it: everything
		// its templates call must be in its set.
		for _, in := range tmpl.Templates() {
			if in.Tree == nil {
				continue
			}
			calls := map[string]bool{}
			templateCalls(in.Tree.Root, calls)
			for called := range calls {
				if tmpl.Lookup(called) == nil {
					t.Errorf("page %s: %s calls %q, which is not in its set", name, in.Name(), called)
				}
			}
		}
	}
}

func TestTemplateCalls(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		{`plain text {{.X}}`, nil},
		{`{{template "a" .}}`, []string{"a"}},
		{`{{if .X}}{{template "a"}}{{else if .Y}}{{template "b"}}{{else}}{{template "c"}}{{end}}`, []string{"a", "b", "c"}},
		{`{{range .X}}{{with .Y}}{{template "a"}}{{else}}{{template "b"}}{{end}}{{else}}{{template "c"}}{{end}}`, []string{"a", "b", "c"}},
		{`{{block "a" .}}{{template "b"}}{{end}}`, []string{"a", "b"}},
		{`{{define "x"}}{{template "a"}}{{end}}{{range .}}{{break}}{{end}}`, []string{"a"}},
	} {
		f, err := readTemplateText("t", tt.text)
		if err != nil {
			t.Fatalf("%s: %v", tt.text, err)
		}
		var got []string
		for name := range f.calls {
			got = append(got, name)
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: calls %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestPagesParseOnlyTheirPartials checks that a page that uses no
// partial is parsed without them, and one that does gets them.
func TestPagesParseOnlyTheirPartials(t *testing.T) {
	index, err := readPartials()
	if err != nil {
		t.Fatal(err)
	}
	signin, err := parsePage(index, "templates/signin.html")
	if err != nil {
		t.Fatal(err)
	}
	if signin.Lookup("post") != nil {
		t.Error("the signin page was parsed with the post partial, which it does not use")
	}
	home, err := parsePage(index, "templates/home.html")
	if err != nil {
		t.Fatal(err)
	}
	if home.Lookup("post") == nil {
		t.Error("the home page was parsed without the post partial")
	}
}

// TestPageParsedOnce checks that a page is parsed on its first use and
// the same template is kept for every later one.
func TestPageParsedOnce(t *testing.T) {
	p, err := newPages()
	if err != nil {
		t.Fatal(err)
	}
	first, err := p.page("signin")
	if err != nil {
		t.Fatal(err)
	}
	again, err := p.page("signin")
	if err != nil {
		t.Fatal(err)
	}
	if first != again {
		t.Error("the signin page was parsed twice, want once")
	}
}

func TestUnknownPageIsAnError(t *testing.T) {
	p, err := newPages()
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.page("no-such-page")
	if err == nil || !strings.Contains(err.Error(), "no-such-page") {
		t.Errorf("page(no-such-page) = %v, want an error naming it", err)
	}
}
