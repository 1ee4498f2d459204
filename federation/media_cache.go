package federation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// MediaCacheConfig configures the cache of remote images.
type MediaCacheConfig struct {
	Dir      string        // where the cached files are kept; made when missing
	MaxBytes int64         // the largest image fetched; 8 MiB when zero
	MaxAge   time.Duration // how long a file is served before it is fetched again; 7 days when zero
	// FailureAge is how long a failed fetch is remembered, during which
	// the image is not asked for again; 10 minutes when zero.
	FailureAge time.Duration
}

// MediaCache keeps copies of the images other servers host (attachments,
// avatars, headers), so that pages show them from this instance and the
// addresses of readers never reach those servers. A file is fetched on
// first request, kept for MaxAge, and fetched again after; Expire removes
// old files. It is safe for concurrent use.
type MediaCache struct {
	cfg    MediaCacheConfig
	client *Client

	mu       sync.Mutex
	inFlight map[string]*mediaFetch  // by file name: one fetch at a time per image
	failures map[string]mediaFailure // by file name: fetches that failed lately
}

// mediaFetch is a fetch under way, which other requests for the same
// image wait for.
type mediaFetch struct {
	done chan struct{}
	err  error
}

// CachedImage is an image on disk, ready to serve.
type CachedImage struct {
	Path      string
	MediaType string
	FetchedAt time.Time
}

// NewMediaCache makes the cache of remote images, fetched with the
// federator's client (which refuses private addresses unless allowed).
func (f *Federator) NewMediaCache(cfg MediaCacheConfig) (*MediaCache, error) {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 8 << 20
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = 7 * 24 * time.Hour
	}
	if cfg.FailureAge <= 0 {
		cfg.FailureAge = 10 * time.Minute
	}
	if err := os.MkdirAll(cfg.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("media cache: %w", err)
	}
	return &MediaCache{cfg: cfg, client: f.client, inFlight: map[string]*mediaFetch{},
		failures: map[string]mediaFailure{}}, nil
}

// Image returns the cached copy of the image at the remote address,
// fetching it when it is missing or older than MaxAge. A remote answer
// that is not a shown image (ErrNotImage), too large (ErrBodyTooLarge) or
// an error status (*StatusError) is returned as an error, and nothing is
// kept but the failure: for FailureAge the same error is returned
// without asking the remote server again, so that a broken image does
// not make every page view wait for it.
func (c *MediaCache) Image(ctx context.Context, remote string, now time.Time) (CachedImage, error) {
	name := cacheName(remote)
	if img, ok := c.fresh(name, now); ok {
		return img, nil
	}
	if err := c.failed(name, now); err != nil {
		return CachedImage{}, err
	}
	c.mu.Lock()
	call, running := c.inFlight[name]
	if !running {
		call = &mediaFetch{done: make(chan struct{})}
		c.inFlight[name] = call
	}
	c.mu.Unlock()
	if running {
		select {
		case <-call.done:
		case <-ctx.Done():
			return CachedImage{}, ctx.Err()
		}
	} else {
		// The fetch outlives a reader who gives up: the next one finds it.
		call.err = c.fetch(context.WithoutCancel(ctx), remote, name)
		c.mu.Lock()
		delete(c.inFlight, name)
		if call.err != nil {
			c.rememberFailure(name, call.err, now)
		}
		c.mu.Unlock()
		close(call.done)
	}
	if call.err != nil {
		return CachedImage{}, call.err
	}
	// Just fetched, it is fresh whatever the clock of the caller says.
	img, ok := c.open(name)
	if !ok {
		return CachedImage{}, fmt.Errorf("media cache: %s vanished after its fetch", name)
	}
	return img, nil
}

// fresh is the cached file with the name, if it is there and young.
func (c *MediaCache) fresh(name string, now time.Time) (CachedImage, bool) {
	img, ok := c.open(name)
	if !ok || now.Sub(img.FetchedAt) > c.cfg.MaxAge {
		return CachedImage{}, false
	}
	return img, true
}

// open is the cached file with the name, if it is there, with its type
// read from its first bytes (checked when it was fetched).
func (c *MediaCache) open(name string) (CachedImage, bool) {
	path := filepath.Join(c.cfg.Dir, name)
	file, err := os.Open(path)
	if err != nil {
		return CachedImage{}, false
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		return CachedImage{}, false
	}
	head := make([]byte, 512)
	n, _ := file.Read(head)
	return CachedImage{Path: path, MediaType: http.DetectContentType(head[:n]), FetchedAt: info.ModTime()}, true
}

// fetch downloads the image and puts it in place whole, or not at all.
func (c *MediaCache) fetch(ctx context.Context, remote, name string) error {
	body, _, err := c.client.GetImage(ctx, remote, c.cfg.MaxBytes)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(c.cfg.Dir, ".fetch-*")
	if err != nil {
		return fmt.Errorf("media cache: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(body); err != nil {
		tmp.Close()
		return fmt.Errorf("media cache: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("media cache: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(c.cfg.Dir, name)); err != nil {
		return fmt.Errorf("media cache: %w", err)
	}
	return nil
}

// Expire removes the cached files fetched before the time (and any
// fetch left half-written), and returns how many it removed. An image
// asked for again is fetched anew.
func (c *MediaCache) Expire(before time.Time) (int, error) {
	entries, err := os.ReadDir(c.cfg.Dir)
	if err != nil {
		return 0, fmt.Errorf("media cache: %w", err)
	}
	removed := 0
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !e.Type().IsRegular() || !info.ModTime().Before(before) {
			continue
		}
		if !isCacheName(e.Name()) && !strings.HasPrefix(e.Name(), ".fetch-") {
			continue // not the cache's: leave it
		}
		if err := os.Remove(filepath.Join(c.cfg.Dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("media cache: %w", err)
		}
		removed++
	}
	return removed, nil
}

// MaxAge is how long a cached image is served before it is fetched again.
func (c *MediaCache) MaxAge() time.Duration { return c.cfg.MaxAge }

// cacheName is the file a remote image is kept in: the hash of its
// address, so that no address can name a path.
func cacheName(remote string) string {
	sum := sha256.Sum256([]byte(remote))
	return hex.EncodeToString(sum[:])
}

// isCacheName reports whether a file name is one cacheName makes.
func isCacheName(name string) bool {
	if len(name) != sha256.Size*2 {
		return false
	}
	_, err := hex.DecodeString(name)
	return err == nil
}
