package storage

import (
	"context"
	"fmt"
	"strings"
)

// MaxAttachments is how many images of a post are kept, as Mastodon
// keeps (Status::MEDIA_ATTACHMENTS_LIMIT); the rest are dropped.
const MaxAttachments = 4

// maxAltLength is the longest alt text kept, as Mastodon's limit on a
// media description.
const maxAltLength = 1500

// Attachment is an image a post carries: one a member uploaded here, or
// one a remote post names, shown from the local media cache, never
// straight from its server.
type Attachment struct {
	Position  int    // its place in the post, from 0
	URL       string // where its server keeps it: an UploadURL for a member's image
	MediaType string // as the post declares it, e.g. "image/jpeg"; the cache checks the bytes
	Alt       string // the text that describes it, "" when the author gave none
	// Width and Height are its size in pixels, 0 when unknown.
	Width, Height int
}

// imageTypes are the media types of the images shown: raster images
// browsers draw, never SVG, which may carry scripts.
var imageTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true}

// IsImageType reports whether a media type is one of the raster images
// Tidings shows (JPEG, PNG, GIF, WebP).
func IsImageType(mediaType string) bool { return imageTypes[strings.ToLower(mediaType)] }

// cleanAttachments keeps the first MaxAttachments images with web
// addresses, numbered in order.
func cleanAttachments(in []Attachment) []Attachment {
	var out []Attachment
	for _, a := range in {
		if len(out) == MaxAttachments {
			break
		}
		if a.URL == "" || checkWebURL("image", a.URL) != nil || (a.MediaType != "" && !IsImageType(a.MediaType)) {
			continue
		}
		out = append(out, Attachment{Position: len(out), URL: a.URL,
			MediaType: strings.ToLower(a.MediaType), Alt: cleanLine(a.Alt, maxAltLength),
			Width: max(a.Width, 0), Height: max(a.Height, 0)})
	}
	return out
}

// setAttachments replaces the images of a post with those given.
func (tx *Tx) setAttachments(ctx context.Context, postID string, attachments []Attachment) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM post_attachments WHERE post_id = ?`, postID); err != nil {
		return fmt.Errorf("clear attachments of %s: %w", postID, err)
	}
	return tx.addAttachments(ctx, postID, attachments)
}

// addAttachments gives a post that has none yet the images.
func (tx *Tx) addAttachments(ctx context.Context, postID string, attachments []Attachment) error {
	for _, a := range cleanAttachments(attachments) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO post_attachments (post_id, position, url, media_type, alt, width, height)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, postID, a.Position, a.URL, a.MediaType, a.Alt, a.Width, a.Height); err != nil {
			return fmt.Errorf("attach %s to %s: %w", a.URL, postID, err)
		}
	}
	return nil
}

// loadAttachments fills in the images of the posts listed.
func (tx *Tx) loadAttachments(ctx context.Context, posts []*Post) error {
	if len(posts) == 0 {
		return nil
	}
	byID := make(map[string]*Post, len(posts))
	args := make([]any, 0, len(posts))
	for _, p := range posts {
		byID[p.ID] = p
		args = append(args, p.ID)
	}
	rows, err := tx.QueryContext(ctx, `SELECT post_id, position, url, media_type, alt, width, height FROM post_attachments
		WHERE post_id IN (?`+strings.Repeat(", ?", len(args)-1)+`) ORDER BY post_id, position`, args...)
	if err != nil {
		return fmt.Errorf("list attachments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var postID string
		var a Attachment
		if err := rows.Scan(&postID, &a.Position, &a.URL, &a.MediaType, &a.Alt, &a.Width, &a.Height); err != nil {
			return fmt.Errorf("read attachment: %w", err)
		}
		if p := byID[postID]; p != nil {
			p.Attachments = append(p.Attachments, a)
		}
	}
	return rows.Err()
}
