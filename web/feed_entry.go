package web

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"github.com/tidings-social/tidings/storage"
)

// entryContent is the HTML of an entry: the post's text (sanitized by
// storage), its images unless they are sensitive, and for news the
// publisher's domain, linked. A content warning comes first, as the
// reader shows it without a way to fold the post away.
var entryContent = template.Must(template.New("entry").Funcs(templateFuncs).Parse(
	`{{with .Post.ContentWarning}}<p><strong>Content warning: {{.}}</strong></p>{{end}}` +
		`{{trusted .Post.Content}}` +
		`{{range .Images}}<p><img src="{{.Src}}" alt="{{.Alt}}"></p>{{end}}` +
		`{{with .Post.LinkURL}}<p>Source: <a href="{{.}}">{{domain .}}</a></p>{{end}}`))

// entryImage is an image of a post in its entry.
type entryImage struct {
	Src string
	Alt string
}

// atomEntry is the post as an entry of a news feed, and when it last
// changed: its publication, edit or headline correction (rev, nil for
// none), whichever is latest.
func (s *Server) atomEntry(p *storage.Post, rev *storage.Revision) (*feeds.AtomEntry, time.Time, error) {
	base := s.db.Site.Base()
	data := struct {
		Post   *storage.Post
		Images []entryImage
	}{Post: p}
	if !p.Sensitive {
		for _, a := range p.Attachments {
			data.Images = append(data.Images, entryImage{Src: base + attachmentPath(p, a), Alt: a.Alt})
		}
	}
	var content strings.Builder
	if err := entryContent.Execute(&content, data); err != nil {
		return nil, time.Time{}, fmt.Errorf("entry of %s: %w", p.ID, err)
	}
	updated := later(p.Published, p.Updated)
	e := &feeds.AtomEntry{
		Id:        p.URI,
		Title:     entryTitle(p),
		Published: atomTime(p.Published),
		Links:     []feeds.AtomLink{{Rel: "alternate", Href: base + postPath(p), Type: "text/html"}},
		Content:   &feeds.AtomContent{Type: "html", Content: content.String()},
		Author:    &feeds.AtomAuthor{AtomPerson: s.atomPerson(p.Author)},
	}
	if p.LinkURL != "" {
		e.Links = append(e.Links, feeds.AtomLink{Rel: "related", Href: p.LinkURL})
	}
	if rev != nil {
		updated = later(updated, rev.CreatedAt)
		// Whoever corrected the headline last is credited beside the
		// author, as the post's page credits them; nobody once a revert
		// restored the author's own headline.
		if p.Corrected() && rev.Editor != nil && rev.Editor.ID != p.AuthorID {
			e.Contributor = &feeds.AtomContributor{AtomPerson: s.atomPerson(rev.Editor)}
		}
	}
	e.Updated = atomTime(updated)
	return e, updated, nil
}

// entryTitle is the entry's title: the post's current headline; for a
// plain post without one, its content warning or the start of its text.
func entryTitle(p *storage.Post) string {
	switch {
	case p.Headline != "":
		return p.Headline
	case p.ContentWarning != "":
		return p.ContentWarning
	}
	if text := excerpt(p.Content); text != "" {
		return text
	}
	return "A post"
}

// atomPerson names an author or editor and links to their profile: here
// for a member, on their server for others.
func (s *Server) atomPerson(a *storage.Actor) feeds.AtomPerson {
	if a == nil {
		return feeds.AtomPerson{Name: "Someone"}
	}
	name := a.DisplayName
	if name == "" {
		name = a.Username
	}
	uri := a.URL
	if a.Local {
		uri = s.db.Site.ProfileURL(a.Username)
	}
	if uri == "" {
		uri = a.URI
	}
	return feeds.AtomPerson{Name: name, Uri: uri}
}
