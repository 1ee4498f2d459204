package web

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// sweepBatch is how many uploaded files are asked about at once.
const sweepBatch = 500

// SweepUploads removes the uploaded files written before the time that
// nothing uses any more (storage's UnusedUploads), and uploads left
// half-written, and returns how many it removed. The time must leave
// room for a form being published: its images are written before the
// post that uses them.
func (s *Server) SweepUploads(ctx context.Context, before time.Time) (int, error) {
	dir := s.cfg.Media.UploadDir
	if dir == "" {
		return 0, nil
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("sweep uploads: %w", err)
	}
	removed := 0
	var names []string
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !e.Type().IsRegular() || !info.ModTime().Before(before) {
			continue
		}
		switch {
		case strings.HasPrefix(e.Name(), ".upload-"):
			if os.Remove(filepath.Join(dir, e.Name())) == nil {
				removed++
			}
		case uploadName.MatchString(e.Name()):
			names = append(names, e.Name())
		}
	}
	for len(names) > 0 && ctx.Err() == nil {
		batch := names[:min(sweepBatch, len(names))]
		names = names[len(batch):]
		unused, err := s.db.UnusedUploads(ctx, batch)
		if err != nil {
			return removed, fmt.Errorf("sweep uploads: %w", err)
		}
		for _, name := range unused {
			if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return removed, fmt.Errorf("sweep uploads: %w", err)
			}
			removed++
		}
	}
	return removed, nil
}
