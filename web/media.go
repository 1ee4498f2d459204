package web

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/federation"
	"github.com/tidings-social/tidings/storage"
)

// MediaConfig is where images come from and go: the cache of remote
// images, and the members' uploads.
type MediaConfig struct {
	Cache          *federation.MediaCache // remote images; nil shows none
	UploadDir      string                 // where uploaded avatars and headers are kept; "" takes no uploads
	MaxUploadBytes int64                  // the largest file taken; 8 MiB when zero
	MaxUploadSide  int                    // the widest or tallest image taken, in pixels; 8192 when zero
}

// uploadName is how uploads are named: random, so never reused, and
// with the extension of their type.
var uploadName = regexp.MustCompile(`^[0-9a-f]{32}\.(jpg|png)$`)

// mediaRoutes serves images: the members' uploads under /media/u/, and
// every other image through the cache, by what stored post or actor
// points to it, so the server is no open proxy.
func (s *Server) mediaRoutes(r *mux.Router) {
	get := []string{http.MethodGet, http.MethodHead}
	r.HandleFunc("/media/u/{name}", s.serveUpload).Methods(get...)
	r.HandleFunc("/media/{kind:avatar|header}/{owner}/{version}", s.serveMedia).Methods(get...)
	r.HandleFunc("/media/{kind:attachment}/{owner}/{position:[0-9]}/{version}", s.serveMedia).Methods(get...)
}

// attachmentPath is the local URL of an image of the post.
func attachmentPath(p *storage.Post, a storage.Attachment) string {
	return storage.MediaPath(storage.MediaAttachment, p.ID, a.Position, a.URL)
}

// headerPath is the local URL of the header image of an actor or a
// member, "" for none.
func headerPath(v any) string {
	switch x := v.(type) {
	case *storage.Actor:
		return storage.MediaPath(storage.MediaHeader, x.ID, 0, x.HeaderURL)
	case *storage.Member:
		return storage.MediaPath(storage.MediaHeader, x.ID, 0, x.HeaderURL)
	}
	return ""
}

// serveMedia answers a local media URL with the image it stands for:
// an upload from disk, a remote image from the cache (fetched on first
// request). It is not found when no stored post or actor the viewer
// may see points to it, or the URL names an address no longer current;
// a remote server that fails or sends no shown image gets 502.
func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request) {
	vars := mux.Vars(r)
	position, _ := strconv.Atoi(vars["position"])
	viewer := ""
	if me := currentMember(r); me != nil {
		viewer = me.ID
	}
	remote, shared, err := s.db.MediaSource(r.Context(), viewer, vars["kind"], vars["owner"], position)
	if err != nil || storage.MediaVersion(remote) != vars["version"] {
		if err != nil && storage.ErrorCode(err) == storage.EInternal {
			s.log.Error("media source", "path", r.URL.Path, "err", err)
		}
		http.Error(w, "no such image", http.StatusNotFound)
		return
	}
	if name, ok := s.db.Site.UploadName(remote); ok {
		s.serveUploadFile(w, r, name)
		return
	}
	if s.db.Site.IsLocal(remote) {
		// Another server naming one of our own pages as its picture would
		// have the cache fetch from this server, maybe from itself.
		http.Error(w, "no such image", http.StatusNotFound)
		return
	}
	if s.cfg.Media.Cache == nil {
		http.Error(w, "remote images are not shown here", http.StatusNotFound)
		return
	}
	img, err := s.cfg.Media.Cache.Image(r.Context(), remote, time.Now())
	if err != nil {
		var status *federation.StatusError
		if errors.As(err, &status) && (status.Code == http.StatusNotFound || status.Code == http.StatusGone) {
			http.Error(w, "the image is gone from its server", http.StatusNotFound)
			return
		}
		s.log.Warn("media fetch failed", "url", remote, "err", err)
		http.Error(w, "the image could not be fetched from its server", http.StatusBadGateway)
		return
	}
	cache := "public, max-age=" + strconv.Itoa(int(s.cfg.Media.Cache.MaxAge().Seconds()))
	if !shared {
		cache = "private, max-age=3600"
	}
	serveImageFile(w, r, img.Path, img.MediaType, cache)
}

// serveUpload answers /media/u/NAME with a member's uploaded image.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	s.serveUploadFile(w, r, mux.Vars(r)["name"])
}

func (s *Server) serveUploadFile(w http.ResponseWriter, r *http.Request, name string) {
	if s.cfg.Media.UploadDir == "" || !uploadName.MatchString(name) {
		http.Error(w, "no such image", http.StatusNotFound)
		return
	}
	path := filepath.Join(s.cfg.Media.UploadDir, name)
	mediaType := "image/jpeg"
	if filepath.Ext(name) == ".png" {
		mediaType = "image/png"
	}
	// An upload's name is never reused: it may be kept for a year.
	serveImageFile(w, r, path, mediaType, "public, max-age=31536000, immutable")
}

// serveImageFile writes an image file with its type, never to be sniffed
// or run as a document.
func serveImageFile(w http.ResponseWriter, r *http.Request, path, mediaType, cacheControl string) {
	file, err := os.Open(path)
	if err != nil {
		http.Error(w, "no such image", http.StatusNotFound)
		return
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil || !info.Mode().IsRegular() {
		http.Error(w, "no such image", http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", mediaType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", cacheControl)
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", info.ModTime(), file)
}
