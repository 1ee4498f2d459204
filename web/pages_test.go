package web

import (
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
