package web

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// archiveWriteTime is how long an archive may take to download.
const archiveWriteTime = 30 * time.Minute

// exportPage is the data of the page that says what the archive holds.
type exportPage struct {
	Deletion *storage.AccountDeletion
}

// exportInfo shows what the archive of the member's data holds, with the
// button that downloads it.
func (s *Server) exportInfo(w http.ResponseWriter, r *http.Request) {
	d, err := s.db.AccountDeletionOf(r.Context(), currentMember(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "settings_export", "Your data", exportPage{Deletion: d})
}

// exportArchive sends the member's archive: a ZIP written as it is
// read, a page of rows at a time, so that its size costs no memory. Once
// the first byte is sent the status cannot change: a failure after it
// cuts the connection, so that the browser reports a broken download
// rather than keeping a truncated archive as whole.
func (s *Server) exportArchive(w http.ResponseWriter, r *http.Request) {
	me := currentMember(r)
	profile, err := s.db.ExportOfProfile(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := fmt.Sprintf("tidings-%s-%s-%s.zip", s.cfg.Domain, me.Username, time.Now().UTC().Format("2006-01-02"))
	name = filepath.Base(archiveName.Replace(name))
	// A large archive takes longer than the server's write timeout, which
	// is meant for pages.
	if err := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(archiveWriteTime)); err != nil {
		s.log.Warn("extend the write deadline of an archive", "err", err)
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	a := &archive{s: s, r: r, memberID: me.ID, zip: zip.NewWriter(w)}
	if err := a.write(profile); err != nil {
		s.log.Error("export archive", "member", me.ID, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// archive is one archive being written.
type archive struct {
	s        *Server
	r        *http.Request
	memberID string
	zip      *zip.Writer
	counts   archiveCounts
}

// archiveCounts are what the readable index says the files hold.
type archiveCounts struct {
	Posts, Corrections, Likes, Boosts, Bookmarks, Following, Followers, Flags, Apps, Uploads int
}

// write writes every file of the archive, then its directory.
func (a *archive) write(profile *storage.ExportProfile) error {
	if err := a.jsonFile("profile.json", profile); err != nil {
		return err
	}
	for _, step := range []func() error{a.posts, a.corrections, a.likes, a.boosts, a.bookmarks, a.follows, a.flags, a.apps, a.uploads} {
		if err := step(); err != nil {
			return err
		}
	}
	if err := a.index(profile); err != nil {
		return err
	}
	return a.zip.Close()
}

// create starts a file of the archive.
func (a *archive) create(name string) (io.Writer, error) {
	return a.zip.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Now().UTC()})
}

// jsonFile writes one value as an indented JSON file.
func (a *archive) jsonFile(name string, v any) error {
	w, err := a.create(name)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// uploads copies the member's uploaded images that are still in use
// into uploads/; a file missing on disk is left out.
func (a *archive) uploads() error {
	dir := a.s.cfg.Media.UploadDir
	if dir == "" {
		return nil
	}
	urls, err := a.s.db.ExportUploads(a.r.Context(), a.memberID)
	if err != nil {
		return err
	}
	for _, u := range urls {
		name, ok := a.s.db.Site.UploadName(u)
		if !ok || !uploadName.MatchString(name) {
			continue
		}
		if err := a.copyFile("uploads/"+name, filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

// copyFile copies a file on disk into the archive, when it is there.
func (a *archive) copyFile(name, path string) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := a.create(name)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("copy %s: %w", name, err)
	}
	a.counts.Uploads++
	return nil
}
