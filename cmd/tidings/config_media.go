package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/tidings-social/tidings/federation"
	"github.com/tidings-social/tidings/web"
)

// MediaConfig is the [media] section: where images are kept, and how
// large they may be.
type MediaConfig struct {
	Dir            string `toml:"dir"`
	CacheDays      int    `toml:"cache_days"`
	MaxRemoteBytes int64  `toml:"max_remote_bytes"`
	MaxUploadBytes int64  `toml:"max_upload_bytes"`
	MaxUploadSide  int    `toml:"max_upload_side"`
}

// problems checks the [media] values.
func (m MediaConfig) problems() []problem {
	var ps []problem
	if m.CacheDays < 1 || m.CacheDays > 3650 {
		ps = append(ps, problem{"media.cache_days", fmt.Sprintf("%d must be between 1 and 3650", m.CacheDays)})
	}
	for _, size := range []struct {
		key string
		n   int64
	}{{"media.max_remote_bytes", m.MaxRemoteBytes}, {"media.max_upload_bytes", m.MaxUploadBytes}} {
		if size.n < 64<<10 || size.n > 256<<20 {
			ps = append(ps, problem{size.key, fmt.Sprintf("%d must be between 65536 (64 KiB) and 268435456 (256 MiB)", size.n)})
		}
	}
	if m.MaxUploadSide < 400 || m.MaxUploadSide > 16384 {
		ps = append(ps, problem{"media.max_upload_side", fmt.Sprintf("%d must be between 400 and 16384", m.MaxUploadSide)})
	}
	return ps
}

// mediaDir is where images are kept: [media] dir, or "media" beside the
// database.
func (c *Config) mediaDir() string {
	if c.Media.Dir != "" {
		return c.Media.Dir
	}
	return filepath.Join(filepath.Dir(c.Storage.Path), "media")
}

// mediaCache is the [media] section as the cache of remote images takes it.
func (c *Config) mediaCache() federation.MediaCacheConfig {
	return federation.MediaCacheConfig{
		Dir:      filepath.Join(c.mediaDir(), "cache"),
		MaxBytes: c.Media.MaxRemoteBytes,
		MaxAge:   time.Duration(c.Media.CacheDays) * 24 * time.Hour,
	}
}

// webMedia is the [media] section as the site takes it, with the cache.
func (c *Config) webMedia(cache *federation.MediaCache) web.MediaConfig {
	return web.MediaConfig{
		Cache:          cache,
		UploadDir:      filepath.Join(c.mediaDir(), "uploads"),
		MaxUploadBytes: c.Media.MaxUploadBytes,
		MaxUploadSide:  c.Media.MaxUploadSide,
	}
}
