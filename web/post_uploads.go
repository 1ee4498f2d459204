package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// imageSlots are the numbers of the image fields of the compose and
// comment forms: a file in "imageN" and its description in "altN", so
// that each description stays with its file without JavaScript.
var imageSlots = func() []string {
	slots := make([]string, storage.MaxAttachments)
	for i := range slots {
		slots[i] = strconv.Itoa(i)
	}
	return slots
}()

// imagesTaken is how many image files a form posted to the path may
// carry: one profile picture, the images of a post or a comment, or
// none.
func imagesTaken(path string) int {
	switch {
	case strings.HasPrefix(path, "/settings/images/"):
		return 1
	case path == "/compose", strings.HasPrefix(path, "/posts/") && strings.HasSuffix(path, "/comments"):
		return storage.MaxAttachments
	}
	return 0
}

// altsFrom reads the descriptions of the image slots of a form, to show
// again when the form comes back.
func altsFrom(r *http.Request) []string {
	alts := make([]string, len(imageSlots))
	for i, n := range imageSlots {
		alts[i] = r.PostForm.Get("alt" + n)
	}
	return alts
}

// storePostImages makes the images a member attached to a post or a
// comment into uploads: each decoded, stood upright, scaled down and
// encoded anew (postImage), kept under a random name, and described by
// the text in its slot. Slots left empty are skipped. A file that is
// not an image, too large or too many pixels is refused with the reason
// (an *uploadProblem), and none of the form's images is kept.
func (s *Server) storePostImages(r *http.Request) ([]storage.Attachment, error) {
	if r.MultipartForm == nil {
		return nil, nil // a form without files
	}
	var images []storage.Attachment
	for i, n := range imageSlots {
		files := r.MultipartForm.File["image"+n]
		if len(files) == 0 || files[0].Filename == "" {
			continue
		}
		if s.cfg.Media.UploadDir == "" {
			return nil, &uploadProblem{http.StatusBadRequest, "This server takes no image uploads."}
		}
		a, err := s.storePostImage(files[0])
		if err != nil {
			s.removePostImages(images)
			var problem *uploadProblem
			if errors.As(err, &problem) {
				problem.msg = fmt.Sprintf("Image %d: %s", i+1, problem.msg)
			}
			return nil, err
		}
		a.Alt = r.PostForm.Get("alt" + n)
		images = append(images, a)
	}
	return images, nil
}

// storePostImage keeps one uploaded file as an image of a post.
func (s *Server) storePostImage(header *multipart.FileHeader) (storage.Attachment, error) {
	maxBytes, maxSide := s.cfg.Media.uploadLimits()
	tooLarge := &uploadProblem{http.StatusRequestEntityTooLarge, "The file is larger than " + sizeText(maxBytes) + "."}
	if header.Size > maxBytes {
		return storage.Attachment{}, tooLarge
	}
	file, err := header.Open()
	if err != nil {
		return storage.Attachment{}, fmt.Errorf("open upload: %w", err)
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxBytes+1))
	if err != nil {
		return storage.Attachment{}, fmt.Errorf("read upload: %w", err)
	}
	if int64(len(data)) > maxBytes {
		return storage.Attachment{}, tooLarge
	}
	out, ext, size, err := postImage(data, maxSide)
	if err != nil {
		return storage.Attachment{}, err
	}
	raw := make([]byte, 16)
	rand.Read(raw)
	name := hex.EncodeToString(raw) + ext
	if err := writeFileWhole(s.cfg.Media.UploadDir, name, out); err != nil {
		return storage.Attachment{}, fmt.Errorf("store upload: %w", err)
	}
	mediaType := "image/jpeg"
	if ext == ".png" {
		mediaType = "image/png"
	}
	return storage.Attachment{URL: s.db.Site.UploadURL(name), MediaType: mediaType,
		Width: size.X, Height: size.Y}, nil
}

// uploadFailure is the status and message of a refused form: an image
// refused with its own (an *uploadProblem), else as failure says.
func (s *Server) uploadFailure(r *http.Request, err error) (int, string) {
	var problem *uploadProblem
	if errors.As(err, &problem) {
		return problem.status, problem.msg
	}
	return s.failure(r, err)
}

// removePostImages removes the files of images that were not published
// after all, or whose post is gone.
func (s *Server) removePostImages(images []storage.Attachment) {
	for _, a := range images {
		s.removeUpload(a.URL)
	}
}

// imageSlot is one image field of a form: its number in field names
// (from 0), its number for people (from 1) and the description typed in
// it.
type imageSlot struct {
	N, Label string
	Alt      string
}

// imageSlotsOf lays out the image fields of a form, with the
// descriptions typed before (alts, possibly nil).
func imageSlotsOf(alts []string) []imageSlot {
	slots := make([]imageSlot, len(imageSlots))
	for i, n := range imageSlots {
		slots[i].N, slots[i].Label = n, strconv.Itoa(i+1)
		if i < len(alts) {
			slots[i].Alt = alts[i]
		}
	}
	return slots
}

// apiPostImages lets the client API keep the images of posts the way
// the compose page does.
type apiPostImages struct{ s *Server }

// StorePostImage implements api.PostImages.
func (p apiPostImages) StorePostImage(_ context.Context, file *multipart.FileHeader) (storage.Attachment, error) {
	if p.s.cfg.Media.UploadDir == "" {
		return storage.Attachment{}, storage.Errorf(storage.EInvalid, "This server takes no image uploads.")
	}
	a, err := p.s.storePostImage(file)
	var problem *uploadProblem
	if errors.As(err, &problem) {
		return storage.Attachment{}, storage.Errorf(storage.EInvalid, "%s", problem.msg)
	}
	return a, err
}

// RemovePostImage implements api.PostImages.
func (p apiPostImages) RemovePostImage(url string) { p.s.removeUpload(url) }
