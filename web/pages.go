package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"sync"
)

//go:embed templates/*.html templates/partials/*.html
var templateFiles embed.FS

// pages holds every page template, each parsed with the layout and the
// partials (pieces several pages show) the first time it is shown, then
// kept. Parsed, the 49 pages hold about 11 MB: each carries its own copy
// of the layout and of every partial, since html/template escapes a page's
// trees in place and so cannot share them. An instance that only
// federates never shows most of them, and one that serves members parses
// each page once, in a few milliseconds. TestEveryPageParses parses them
// all, so a broken template fails the tests, not a visitor.
type pages struct {
	// byName is fixed once built: one parse of each page, run once.
	byName map[string]func() (*template.Template, error)
}

// newPages lists the page templates; none is parsed yet.
func newPages() (*pages, error) {
	files, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]func() (*template.Template, error){}}
	for _, file := range files {
		name := strings.TrimSuffix(path.Base(file), ".html")
		if name == "layout" {
			continue
		}
		p.byName[name] = sync.OnceValues(func() (*template.Template, error) { return parsePage(file) })
	}
	return p, nil
}

// parsePage parses the page in file with the layout and the partials.
func parsePage(file string) (*template.Template, error) {
	t, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(templateFiles, "templates/layout.html", "templates/partials/*.html", file)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", file, err)
	}
	return t, nil
}

// page returns the page template called name, parsing it on first use.
func (p *pages) page(name string) (*template.Template, error) {
	parse, ok := p.byName[name]
	if !ok {
		return nil, fmt.Errorf("no page template %q", name)
	}
	return parse()
}
