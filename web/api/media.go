package api

import (
	"context"
	"mime/multipart"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// PostImages keeps the images members attach to posts. web implements it
// with the code of its compose page, so that an image uploaded from an
// app is checked, stood upright, scaled and encoded anew as one uploaded
// there.
type PostImages interface {
	// StorePostImage makes the uploaded file an image of a post: its
	// address here (an UploadURL), type and size. A file refused is an
	// EInvalid error saying why.
	StorePostImage(ctx context.Context, file *multipart.FileHeader) (storage.Attachment, error)
	// RemovePostImage removes the file of an image kept by
	// StorePostImage that nothing uses after all.
	RemovePostImage(url string)
}

// mediaRoutes take members' images for their statuses.
func (a *API) mediaRoutes(r *mux.Router) {
	write := "write write:media"
	r.Handle("/api/v1/media", a.signedIn(write, a.uploadMedia)).Methods(http.MethodPost)
	r.Handle("/api/v2/media", a.signedIn(write, a.uploadMedia)).Methods(http.MethodPost)
	r.Handle("/api/v1/media/{id}", a.signedIn(write, a.showMedia)).Methods(http.MethodGet)
	r.Handle("/api/v1/media/{id}", a.signedIn(write, a.describeMedia)).Methods(http.MethodPut)
}

// pendingMediaEntity is the MediaAttachment of an image waiting for a
// status. It is ready at once: the upload made it.
func (a *API) pendingMediaEntity(m *storage.PendingMedia) mediaAttachment {
	url := m.Image.URL
	e := mediaAttachment{ID: m.ID, Type: "image", URL: url, PreviewURL: url}
	if m.Image.Alt != "" {
		alt := m.Image.Alt
		e.Description = &alt
	}
	if m.Image.Width > 0 && m.Image.Height > 0 {
		e.Meta.Original = &mediaSize{Width: m.Image.Width, Height: m.Image.Height,
			Size:   strconv.Itoa(m.Image.Width) + "x" + strconv.Itoa(m.Image.Height),
			Aspect: float64(m.Image.Width) / float64(m.Image.Height)}
	}
	return e
}

// uploadMedia keeps an image sent as the multipart file (POST
// /api/v1/media and /api/v2/media) for a status to attach, with its
// description. It answers 200 with the url set: the image is ready.
func (a *API) uploadMedia(w http.ResponseWriter, r *http.Request, c *caller) {
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	file := p.file("file")
	if file == nil {
		a.fail(w, r, unprocessable("Send the image as the multipart file field \"file\"."))
		return
	}
	if a.cfg.PostImages == nil {
		a.fail(w, r, unprocessable("This server takes no image uploads."))
		return
	}
	ctx := r.Context()
	image, err := a.cfg.PostImages.StorePostImage(ctx, file)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	image.Alt = p.string("description")
	m, err := a.db.SavePendingMedia(ctx, c.Member.ID, image)
	if err != nil {
		a.cfg.PostImages.RemovePostImage(image.URL)
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.pendingMediaEntity(m))
}

// showMedia answers one of the member's images waiting for a status.
func (a *API) showMedia(w http.ResponseWriter, r *http.Request, c *caller) {
	m, err := a.db.PendingMediaByID(r.Context(), c.Member.ID, mux.Vars(r)["id"])
	if err != nil {
		a.failPost(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.pendingMediaEntity(m))
}

// describeMedia changes the description of one of the member's images
// waiting for a status (PUT /api/v1/media/:id).
func (a *API) describeMedia(w http.ResponseWriter, r *http.Request, c *caller) {
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	id := mux.Vars(r)["id"]
	m, err := a.db.PendingMediaByID(ctx, c.Member.ID, id)
	if err == nil && p.has("description") {
		m, err = a.db.DescribeMedia(ctx, c.Member.ID, id, p.string("description"))
	}
	if err != nil {
		a.failPost(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.pendingMediaEntity(m))
}
