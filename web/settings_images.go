package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// Defaults of MediaConfig.
const (
	defaultMaxUploadBytes = 8 << 20
	defaultMaxUploadSide  = 4096
)

// uploadLimits are the largest file and image side taken.
func (c MediaConfig) uploadLimits() (bytes int64, side int) {
	bytes, side = c.MaxUploadBytes, c.MaxUploadSide
	if bytes <= 0 {
		bytes = defaultMaxUploadBytes
	}
	if side <= 0 {
		side = defaultMaxUploadSide
	}
	return bytes, side
}

// parseForm reads a form's fields for the CSRF check: a multipart form
// of a page that takes images up to the upload limit for each image it
// may carry (files beyond what memory holds go to temporary files, which
// the caller removes), any other form up to maxFormSize (a multipart
// form elsewhere carries no token it can read).
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) error {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if files := imagesTaken(r.URL.Path); mediaType == "multipart/form-data" && files > 0 {
		limit, _ := s.cfg.Media.uploadLimits()
		r.Body = http.MaxBytesReader(w, r.Body, int64(files)*limit+maxFormSize)
		return r.ParseMultipartForm(limit + maxFormSize)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormSize)
	return r.ParseForm()
}

// saveProfileImage takes an uploaded avatar or header (field "image"),
// or removes the current one (field "remove"), and tells the member's
// followers. A file that is not an image, too large or too many pixels
// is refused with the reason, and nothing changes.
func (s *Server) saveProfileImage(w http.ResponseWriter, r *http.Request) {
	kind := mux.Vars(r)["kind"]
	if s.cfg.Media.UploadDir == "" {
		s.renderError(w, r, http.StatusNotFound, "This server takes no image uploads.")
		return
	}
	var data []byte
	if r.PostForm.Get("remove") == "" {
		var err error
		if data, err = s.readUpload(r); err != nil {
			s.failUpload(w, r, err)
			return
		}
	}
	if err := s.replaceProfileImage(r.Context(), currentMember(r).ID, kind, data); err != nil {
		s.failUpload(w, r, err)
		return
	}
	what := map[string]string{storage.MediaAvatar: "avatar", storage.MediaHeader: "header image"}[kind]
	if data == nil {
		s.redirect(w, r, "/settings/profile", "Your "+what+" is removed.")
		return
	}
	s.redirect(w, r, "/settings/profile", "Your "+what+" is saved.")
}

// failUpload answers an upload refused with its reason, or any other
// failure.
func (s *Server) failUpload(w http.ResponseWriter, r *http.Request, err error) {
	var problem *uploadProblem
	if errors.As(err, &problem) {
		s.renderError(w, r, problem.status, problem.msg)
		return
	}
	s.fail(w, r, err)
}

// readUpload reads the uploaded file of the field "image", up to the
// upload limit.
func (s *Server) readUpload(r *http.Request) ([]byte, error) {
	maxBytes, _ := s.cfg.Media.uploadLimits()
	file, header, err := r.FormFile("image")
	if err != nil {
		return nil, &uploadProblem{http.StatusBadRequest, "Choose an image file to upload."}
	}
	defer file.Close()
	if header.Size > maxBytes {
		return nil, &uploadProblem{http.StatusRequestEntityTooLarge,
			"The file is larger than " + sizeText(maxBytes) + "."}
	}
	data, err := io.ReadAll(io.LimitReader(file, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	return data, nil
}

// replaceProfileImage makes the image in data the member's avatar or
// header (kind), or removes it when data is nil; the file it replaces
// is deleted. The client API does the same steps through
// apiProfileImages, for several images and the profile's text at once.
func (s *Server) replaceProfileImage(ctx context.Context, memberID, kind string, data []byte) error {
	url := ""
	if data != nil {
		name, err := s.storeUpload(data, kind)
		if err != nil {
			return err
		}
		url = s.db.Site.UploadURL(name)
	}
	replaced, err := s.db.SetProfileImage(ctx, memberID, kind, url)
	if err != nil {
		s.removeUpload(url)
		return err
	}
	s.removeUpload(replaced)
	return nil
}

// storeUpload makes the uploaded file into the profile image of the
// kind and keeps it under a new random name, which it returns.
func (s *Server) storeUpload(data []byte, kind string) (string, error) {
	maxBytes, maxSide := s.cfg.Media.uploadLimits()
	if int64(len(data)) > maxBytes {
		return "", &uploadProblem{http.StatusRequestEntityTooLarge,
			"The file is larger than " + sizeText(maxBytes) + "."}
	}
	out, ext, err := profileImage(data, kind, maxSide)
	if err != nil {
		return "", err
	}
	raw := make([]byte, 16)
	rand.Read(raw)
	name := hex.EncodeToString(raw) + ext
	if err := writeFileWhole(s.cfg.Media.UploadDir, name, out); err != nil {
		return "", fmt.Errorf("store upload: %w", err)
	}
	return name, nil
}

// removeUpload deletes the file of a replaced upload; an address that
// is not an upload here (a pasted address of old) has none.
func (s *Server) removeUpload(url string) {
	name, ok := s.db.Site.UploadName(url)
	if !ok || !uploadName.MatchString(name) {
		return
	}
	if err := os.Remove(filepath.Join(s.cfg.Media.UploadDir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
		s.log.Warn("remove replaced upload", "name", name, "err", err)
	}
}

// writeFileWhole writes a file under a temporary name and renames it,
// so that it is never served half-written.
func writeFileWhole(dir, name string, data []byte) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, name))
}

// sizeText says a number of bytes the way people read it.
func sizeText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// apiProfileImages lets the client API change profile images the way
// the settings page does.
type apiProfileImages struct{ s *Server }

// StoreProfileImage implements api.ProfileImages.
func (p apiProfileImages) StoreProfileImage(kind string, data []byte) (string, error) {
	if p.s.cfg.Media.UploadDir == "" {
		return "", storage.Errorf(storage.EInvalid, "This server takes no image uploads.")
	}
	name, err := p.s.storeUpload(data, kind)
	var problem *uploadProblem
	if errors.As(err, &problem) {
		return "", storage.Errorf(storage.EInvalid, "%s", problem.msg)
	}
	if err != nil {
		return "", err
	}
	return p.s.db.Site.UploadURL(name), nil
}

// RemoveUpload implements api.ProfileImages.
func (p apiProfileImages) RemoveUpload(url string) { p.s.removeUpload(url) }

// UploadLimits implements api.ProfileImages.
func (p apiProfileImages) UploadLimits() (bytes int64, side int) { return p.s.cfg.Media.uploadLimits() }
