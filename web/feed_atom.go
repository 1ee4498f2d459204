package web

import (
	"context"
	"time"

	"github.com/gorilla/feeds"

	"github.com/tidings-social/tidings/storage"
)

// newsFeedSize is how many of the newest posts a news feed holds.
const newsFeedSize = 50

// newsFeed is a news feed (Atom) before it is written: the public
// timeline, a subwiki's or a member's.
type newsFeed struct {
	Title    string
	Subtitle string
	Path     string // the feed's own path, e.g. /s/climate/feed.atom
	PagePath string // the path of the page it is the feed of
	Posts    []*storage.Post
	// Changed is when the feed's own title or subtitle last changed;
	// it dates a feed without entries.
	Changed time.Time
}

// atomDocument is an Atom feed as gorilla/feeds writes it, with room
// for two links where the library's feed has one: itself (rel="self")
// and its page (rel="alternate"), so readers can show where it comes
// from. Links hides the library's Link.
type atomDocument struct {
	Links []feeds.AtomLink `xml:"link"`
	*feeds.AtomFeed
}

// FeedXml implements feeds.XmlFeed.
func (d *atomDocument) FeedXml() any { return d }

// atom builds the Atom document of the feed, and when it last changed:
// its newest entry, or a change of its title.
func (s *Server) atom(ctx context.Context, f newsFeed) (*atomDocument, time.Time, error) {
	revs, err := s.db.CurrentRevisions(ctx, f.Posts)
	if err != nil {
		return nil, time.Time{}, err
	}
	base := s.db.Site.Base()
	doc := &atomDocument{
		AtomFeed: &feeds.AtomFeed{
			Xmlns:    "http://www.w3.org/2005/Atom",
			Id:       base + f.Path,
			Title:    f.Title,
			Subtitle: f.Subtitle,
			Icon:     base + "/static/icon.svg",
		},
		Links: []feeds.AtomLink{
			{Rel: "self", Href: base + f.Path, Type: "application/atom+xml"},
			{Rel: "alternate", Href: base + f.PagePath, Type: "text/html"},
		},
	}
	var newest time.Time
	for _, p := range f.Posts {
		e, updated, err := s.atomEntry(p, revs[p.ID])
		if err != nil {
			return nil, time.Time{}, err
		}
		doc.Entries = append(doc.Entries, e)
		newest = later(newest, updated)
	}
	if newest.IsZero() {
		newest = f.Changed
	}
	doc.Updated = atomTime(newest)
	return doc, later(newest, f.Changed), nil
}

// atomTime is how Atom writes a date (RFC 3339).
func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// later is the later of two times.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
