package storage

import (
	"context"
	"fmt"
	"strings"
)

// MaxAltLength is the longest description of an image a member may
// give, as Mastodon's limit on a media description.
const MaxAltLength = maxAltLength

// checkImages enforces what a member may attach to a post or a comment:
// at most MaxAttachments images uploaded here (JPEG or PNG, as the
// upload pipeline makes them), each with a description of at most
// MaxAltLength characters. It numbers them in order.
func (s Site) checkImages(images []Attachment) ([]Attachment, error) {
	if len(images) > MaxAttachments {
		return nil, Errorf(EInvalid, "A post can carry at most %d images.", MaxAttachments)
	}
	out := make([]Attachment, 0, len(images))
	for i, a := range images {
		if _, ok := s.UploadName(a.URL); !ok {
			return nil, Errorf(EInvalid, "An image of a post must be uploaded here.")
		}
		if a.MediaType != "image/jpeg" && a.MediaType != "image/png" {
			return nil, Errorf(EInvalid, "An uploaded image is a JPEG or a PNG.")
		}
		alt := strings.TrimSpace(a.Alt)
		if err := checkText("image description", alt, MaxAltLength, true); err != nil {
			return nil, err
		}
		a.Position, a.Alt = i, alt
		out = append(out, a)
	}
	return out, nil
}

// attachImages keeps a new local post's images with it.
func (tx *Tx) attachImages(ctx context.Context, p *Post, images []Attachment) error {
	if len(images) == 0 {
		return nil
	}
	if err := tx.addAttachments(ctx, p.ID, images); err != nil {
		return err
	}
	p.Attachments = cleanAttachments(images)
	return nil
}

// uploadsOf lists the addresses of the images of the post that were
// uploaded here, whose files go when the post goes.
func (tx *Tx) uploadsOf(ctx context.Context, postID string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT url FROM post_attachments WHERE post_id = ? ORDER BY position`, postID)
	if err != nil {
		return nil, fmt.Errorf("list images of %s: %w", postID, err)
	}
	defer rows.Close()
	var urls []string
	for rows.Next() {
		var url string
		if err := rows.Scan(&url); err != nil {
			return nil, fmt.Errorf("read image of %s: %w", postID, err)
		}
		if _, ok := tx.db.Site.UploadName(url); ok {
			urls = append(urls, url)
		}
	}
	return urls, rows.Err()
}

// imageCount is how many images the post carries.
func (tx *Tx) imageCount(ctx context.Context, postID string) (int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM post_attachments WHERE post_id = ?`, postID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count images of %s: %w", postID, err)
	}
	return n, nil
}
