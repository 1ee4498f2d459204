package web

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// archiveName keeps the archive's file name to characters every system
// takes: a domain with a port has a colon.
var archiveName = strings.NewReplacer(":", "-", `"`, "", "/", "-", `\`, "-")

// eachPage calls fn for every item of pages, read a page at a time from
// the start, until the last page or the request ends.
func eachPage[T any](a *archive, pages func(after string) ([]T, string, error), fn func(T) error) error {
	after := ""
	for {
		if err := a.r.Context().Err(); err != nil {
			return err
		}
		items, next, err := pages(after)
		if err != nil {
			return err
		}
		for _, item := range items {
			if err := fn(item); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		after = next
	}
}

// jsonArray writes a JSON array an element at a time.
type jsonArray struct {
	w      io.Writer
	indent string
	n      int
}

// add writes one element.
func (j *jsonArray) add(v any) error {
	body, err := json.MarshalIndent(v, j.indent+"  ", "  ")
	if err != nil {
		return err
	}
	sep := ",\n"
	if j.n == 0 {
		sep = "[\n"
	}
	j.n++
	_, err = io.WriteString(j.w, sep+j.indent+"  "+string(body))
	return err
}

// close ends the array.
func (j *jsonArray) close() error {
	end := "\n" + j.indent + "]"
	if j.n == 0 {
		end = "[]"
	}
	_, err := io.WriteString(j.w, end)
	return err
}

// arrayFile writes a JSON file holding one array of every item of the
// pages, and returns how many there were.
func arrayFile[T any](a *archive, name string, pages func(after string) ([]T, string, error)) (int, error) {
	w, err := a.create(name)
	if err != nil {
		return 0, err
	}
	arr := &jsonArray{w: w}
	if err := eachPage(a, pages, func(item T) error { return arr.add(item) }); err != nil {
		return 0, err
	}
	if err := arr.close(); err != nil {
		return 0, err
	}
	_, err = io.WriteString(w, "\n")
	return arr.n, err
}

// posts writes posts.json: the member's posts and comments, each with
// its headline's history.
func (a *archive) posts() (err error) {
	a.counts.Posts, err = arrayFile(a, "posts.json", func(after string) ([]*storage.ExportPost, string, error) {
		return a.s.db.ExportPosts(a.r.Context(), a.memberID, after)
	})
	return err
}

// corrections writes corrections.json: the revisions the member made to
// others' headlines, then the corrections they proposed to other servers.
func (a *archive) corrections() error {
	w, err := a.create("corrections.json")
	if err != nil {
		return err
	}
	arr := &jsonArray{w: w}
	add := func(c storage.ExportCorrection) error { return arr.add(c) }
	ctx := a.r.Context()
	if err := eachPage(a, func(after string) ([]storage.ExportCorrection, string, error) {
		return a.s.db.ExportRevisions(ctx, a.memberID, after)
	}, add); err != nil {
		return err
	}
	if err := eachPage(a, func(after string) ([]storage.ExportCorrection, string, error) {
		return a.s.db.ExportProposals(ctx, a.memberID, after)
	}, add); err != nil {
		return err
	}
	a.counts.Corrections = arr.n
	if err := arr.close(); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// likes writes likes.json.
func (a *archive) likes() (err error) {
	a.counts.Likes, err = arrayFile(a, "likes.json", func(after string) ([]storage.ExportLike, string, error) {
		return a.s.db.ExportLikes(a.r.Context(), a.memberID, after)
	})
	return err
}

// boosts writes boosts.json.
func (a *archive) boosts() (err error) {
	a.counts.Boosts, err = arrayFile(a, "boosts.json", func(after string) ([]storage.ExportBoost, string, error) {
		return a.s.db.ExportBoosts(a.r.Context(), a.memberID, after)
	})
	return err
}

// bookmarks writes bookmarks.json.
func (a *archive) bookmarks() (err error) {
	a.counts.Bookmarks, err = arrayFile(a, "bookmarks.json", func(after string) ([]storage.ExportBookmark, string, error) {
		return a.s.db.ExportBookmarks(a.r.Context(), a.memberID, after)
	})
	return err
}

// apps writes apps.json: the apps with access to the member's account,
// one page of them.
func (a *archive) apps() (err error) {
	a.counts.Apps, err = arrayFile(a, "apps.json", a.appPages)
	return err
}

// appPages reads the apps with access to the member's account as pages
// are read, all in the first.
func (a *archive) appPages(string) ([]storage.ExportApp, string, error) {
	apps, err := a.s.db.ExportApps(a.r.Context(), a.memberID)
	return apps, "", err
}

// flags writes flags.json.
func (a *archive) flags() (err error) {
	a.counts.Flags, err = arrayFile(a, "flags.json", func(after string) ([]storage.ExportFlag, string, error) {
		return a.s.db.ExportFlags(a.r.Context(), a.memberID, after)
	})
	return err
}

// follows writes follows.json: {"following": [...], "followers": [...]}.
func (a *archive) follows() error {
	w, err := a.create("follows.json")
	if err != nil {
		return err
	}
	for i, key := range []string{"following", "followers"} {
		prefix := "{\n  \"" + key + "\": "
		if i > 0 {
			prefix = ",\n  \"" + key + "\": "
		}
		if _, err := io.WriteString(w, prefix); err != nil {
			return err
		}
		arr := &jsonArray{w: w, indent: "  "}
		followers := key == "followers"
		if err := eachPage(a, func(after string) ([]storage.ExportFollow, string, error) {
			return a.s.db.ExportFollows(a.r.Context(), a.memberID, followers, after)
		}, func(f storage.ExportFollow) error { return arr.add(f) }); err != nil {
			return err
		}
		if err := arr.close(); err != nil {
			return err
		}
		if followers {
			a.counts.Followers = arr.n
		} else {
			a.counts.Following = arr.n
		}
	}
	_, err = io.WriteString(w, "\n}\n")
	return err
}
