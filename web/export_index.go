package web

import (
	"embed"
	"html/template"
	"io"
	"time"

	"github.com/tidings-social/tidings/storage"
)

//go:embed templates/export/index.html
var exportIndexFile embed.FS

// exportIndex is the readable page of an archive, in pieces executed in
// turn (head, then each section's items), so that it is written as the
// data is read. Plain HTML: no scripts, no outside styles.
var exportIndex = template.Must(template.ParseFS(exportIndexFile, "templates/export/index.html"))

// indexHead is the data of the index's head.
type indexHead struct {
	Domain  string
	Made    string
	Profile *storage.ExportProfile
	Counts  archiveCounts
}

// index writes index.html, reading the data a second time.
func (a *archive) index(profile *storage.ExportProfile) error {
	w, err := a.create("index.html")
	if err != nil {
		return err
	}
	run := func(name string, data any) error { return exportIndex.ExecuteTemplate(w, name, data) }
	if err := run("head", indexHead{Domain: a.s.cfg.Domain, Made: time.Now().UTC().Format("2 January 2006, 15:04 MST"),
		Profile: profile, Counts: a.counts}); err != nil {
		return err
	}
	ctx, db, id := a.r.Context(), a.s.db, a.memberID
	if err := indexSection(a, w, "Posts and comments", "post", func(after string) ([]*storage.ExportPost, string, error) {
		return db.ExportPosts(ctx, id, after)
	}); err != nil {
		return err
	}
	if err := indexSection(a, w, "Corrections of others' headlines", "correction", func(after string) ([]storage.ExportCorrection, string, error) {
		return db.ExportRevisions(ctx, id, after)
	}); err != nil {
		return err
	}
	if err := indexSection(a, w, "Corrections proposed to other servers", "correction", func(after string) ([]storage.ExportCorrection, string, error) {
		return db.ExportProposals(ctx, id, after)
	}); err != nil {
		return err
	}
	if err := indexSection(a, w, "Likes", "like", func(after string) ([]storage.ExportLike, string, error) {
		return db.ExportLikes(ctx, id, after)
	}); err != nil {
		return err
	}
	if err := indexSection(a, w, "Boosts", "boost", func(after string) ([]storage.ExportBoost, string, error) {
		return db.ExportBoosts(ctx, id, after)
	}); err != nil {
		return err
	}
	if err := indexSection(a, w, "Bookmarks", "bookmark", func(after string) ([]storage.ExportBookmark, string, error) {
		return db.ExportBookmarks(ctx, id, after)
	}); err != nil {
		return err
	}
	for _, followers := range []bool{false, true} {
		title := "Following"
		if followers {
			title = "Followers"
		}
		if err := indexSection(a, w, title, "follow", func(after string) ([]storage.ExportFollow, string, error) {
			return db.ExportFollows(ctx, id, followers, after)
		}); err != nil {
			return err
		}
	}
	if err := indexSection(a, w, "Flags you filed", "flag", func(after string) ([]storage.ExportFlag, string, error) {
		return db.ExportFlags(ctx, id, after)
	}); err != nil {
		return err
	}
	if err := indexSection(a, w, "Apps with access to your account", "app", a.appPages); err != nil {
		return err
	}
	return run("foot", nil)
}

// indexSection writes one section of the index: its title, then every
// item with the named template.
func indexSection[T any](a *archive, w io.Writer, title, item string, pages func(after string) ([]T, string, error)) error {
	if err := exportIndex.ExecuteTemplate(w, "open", title); err != nil {
		return err
	}
	if err := eachPage(a, pages, func(v T) error { return exportIndex.ExecuteTemplate(w, item, v) }); err != nil {
		return err
	}
	return exportIndex.ExecuteTemplate(w, "close", nil)
}
