package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"text/template/parse"
)

//go:embed templates/*.html templates/partials/*.html
var templateFiles embed.FS

// pages holds every page template, each parsed with the layout and the
// partials (pieces several pages show) it uses the first time it is
// shown, then kept. html/template escapes a page's trees in place, so
// pages cannot share them: each carries its own copy of the layout and
// of its partials. Parsed at start-up with every partial, the 49 pages
// held 11 MB; with only the partials each uses, 4 MB once all are shown.
// An instance that only federates shows none, and one that serves members
// parses each page once, in a few milliseconds. TestEveryPageParses
// parses them all, so a broken template fails the tests, not a visitor.
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
	partials := sync.OnceValues(readPartials) // on the first page parsed
	for _, file := range files {
		name := strings.TrimSuffix(path.Base(file), ".html")
		if name == "layout" {
			continue
		}
		p.byName[name] = sync.OnceValues(func() (*template.Template, error) {
			index, err := partials()
			if err != nil {
				return nil, err
			}
			return parsePage(index, file)
		})
	}
	return p, nil
}

// page returns the page template called name, parsing it on first use.
func (p *pages) page(name string) (*template.Template, error) {
	parsed, ok := p.byName[name]
	if !ok {
		return nil, fmt.Errorf("no page template %q", name)
	}
	return parsed()
}

// parsePage parses the page in file with the layout and the partials
// the two use, directly or through other partials.
func parsePage(index *partialIndex, file string) (*template.Template, error) {
	own, err := readTemplateFile(file)
	if err != nil {
		return nil, err
	}
	layout, err := readTemplateFile("templates/layout.html")
	if err != nil {
		return nil, err
	}
	// In the order they had when every partial was parsed: a page's own
	// definitions come last and win.
	files := append([]string{"templates/layout.html"}, index.needed(own, layout)...)
	files = append(files, file)
	t, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(templateFiles, files...)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", file, err)
	}
	return t, nil
}

// templateFile is what a template file defines and which templates it
// calls, from its parse trees, without the functions it uses.
type templateFile struct {
	defines map[string]bool
	calls   map[string]bool
}

// readTemplateFile reads what the template file defines and calls.
func readTemplateFile(file string) (templateFile, error) {
	text, err := fs.ReadFile(templateFiles, file)
	if err != nil {
		return templateFile{}, err
	}
	f, err := readTemplateText(path.Base(file), string(text))
	if err != nil {
		return templateFile{}, fmt.Errorf("parse %s: %w", file, err)
	}
	return f, nil
}

// readTemplateText reads what the template text defines and calls.
func readTemplateText(name, text string) (templateFile, error) {
	tree := parse.New(name)
	tree.Mode = parse.SkipFuncCheck
	trees := map[string]*parse.Tree{}
	if _, err := tree.Parse(text, "", "", trees); err != nil {
		return templateFile{}, err
	}
	f := templateFile{defines: map[string]bool{}, calls: map[string]bool{}}
	for name, t := range trees {
		f.defines[name] = true
		templateCalls(t.Root, f.calls)
	}
	return f, nil
}

// templateCalls adds to calls the name of every template that n calls
// with {{template}} or {{block}}, at any depth.
func templateCalls(n parse.Node, calls map[string]bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, child := range n.Nodes {
			templateCalls(child, calls)
		}
	case *parse.TemplateNode:
		calls[n.Name] = true
	case *parse.IfNode:
		templateCalls(n.List, calls)
		templateCalls(n.ElseList, calls)
	case *parse.RangeNode:
		templateCalls(n.List, calls)
		templateCalls(n.ElseList, calls)
	case *parse.WithNode:
		templateCalls(n.List, calls)
		templateCalls(n.ElseList, calls)
	}
}

// partialIndex is what each partial file defines and calls.
type partialIndex struct {
	files  map[string]templateFile
	byName map[string]string // a template's name → the partial file that defines it
}

// readPartials reads what every partial file defines and calls.
func readPartials() (*partialIndex, error) {
	names, err := fs.Glob(templateFiles, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	index := &partialIndex{files: map[string]templateFile{}, byName: map[string]string{}}
	for _, file := range names {
		f, err := readTemplateFile(file)
		if err != nil {
			return nil, err
		}
		index.files[file] = f
		for name := range f.defines {
			index.byName[name] = file
		}
	}
	return index, nil
}

// needed returns the partial files that define what the given files
// call, and what those call in turn, sorted. A name no partial defines
// is left for the page to fail on when it is shown, as before.
func (index *partialIndex) needed(from ...templateFile) []string {
	defined := map[string]bool{}
	var queue []string
	for _, f := range from {
		for name := range f.defines {
			defined[name] = true
		}
		for name := range f.calls {
			queue = append(queue, name)
		}
	}
	files := map[string]bool{}
	for len(queue) > 0 {
		name := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		file, ok := index.byName[name]
		if defined[name] || !ok || files[file] {
			continue
		}
		files[file] = true
		for called := range index.files[file].calls {
			queue = append(queue, called)
		}
	}
	var sorted []string
	for file := range files {
		sorted = append(sorted, file)
	}
	slices.Sort(sorted)
	return sorted
}
