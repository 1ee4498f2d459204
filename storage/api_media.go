package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// pendingMediaKept is how long an image uploaded through the client API
// waits for a status to carry it, as Mastodon keeps unattached media
// for a day.
const pendingMediaKept = 24 * time.Hour

// PendingMedia is an image a member uploaded through the client API that
// no status carries yet.
type PendingMedia struct {
	ID       string
	MemberID string
	Image    Attachment // its address here, type, size and description
}

// SavePendingMedia keeps an uploaded image (made by the site's upload
// path, an UploadURL) for the member to attach to a status later.
func (db *DB) SavePendingMedia(ctx context.Context, memberID string, image Attachment) (*PendingMedia, error) {
	checked, err := db.Site.checkImages([]Attachment{image})
	if err != nil {
		return nil, err
	}
	m := &PendingMedia{MemberID: memberID, Image: checked[0]}
	err = db.write(ctx, func(tx *Tx) error {
		m.ID = tx.newID()
		_, err := tx.ExecContext(ctx, `INSERT INTO api_media (id, member_id, url, media_type, width, height, description, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, memberID, m.Image.URL, m.Image.MediaType, m.Image.Width, m.Image.Height,
			m.Image.Alt, millis(tx.now))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("keep media of %s: %w", memberID, err)
	}
	return m, nil
}

// PendingMediaByID is the member's unattached image with the id; another
// member's, or one a status carries, is ENotFound.
func (db *DB) PendingMediaByID(ctx context.Context, memberID, id string) (*PendingMedia, error) {
	var m *PendingMedia
	err := db.read(ctx, func(tx *Tx) (err error) {
		m, err = tx.pendingMedia(ctx, memberID, id)
		return err
	})
	return m, err
}

// DescribeMedia changes the description of the member's unattached
// image.
func (db *DB) DescribeMedia(ctx context.Context, memberID, id, description string) (*PendingMedia, error) {
	description = strings.TrimSpace(description)
	if err := checkText("image description", description, MaxAltLength, true); err != nil {
		return nil, err
	}
	var m *PendingMedia
	err := db.write(ctx, func(tx *Tx) (err error) {
		if m, err = tx.pendingMedia(ctx, memberID, id); err != nil {
			return err
		}
		m.Image.Alt = description
		_, err = tx.ExecContext(ctx, `UPDATE api_media SET description = ? WHERE id = ?`, description, id)
		return err
	})
	return m, err
}

func (tx *Tx) pendingMedia(ctx context.Context, memberID, id string) (*PendingMedia, error) {
	m := &PendingMedia{ID: id, MemberID: memberID}
	err := tx.QueryRowContext(ctx, `SELECT url, media_type, width, height, description FROM api_media
		WHERE id = ? AND member_id = ?`, id, memberID).Scan(&m.Image.URL, &m.Image.MediaType, &m.Image.Width,
		&m.Image.Height, &m.Image.Alt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(ENotFound, "No media with the id %s.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find media %s: %w", id, err)
	}
	return m, nil
}

// takeMedia takes the author's unattached images with the ids, in that
// order, for a new post: they are its images now, no longer waiting.
func (tx *Tx) takeMedia(ctx context.Context, authorID string, ids []string) ([]Attachment, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var images []Attachment
	for _, id := range ids {
		m, err := tx.pendingMedia(ctx, authorID, id)
		if err != nil {
			return nil, Errorf(EInvalid, "No media with the id %s.", id)
		}
		images = append(images, m.Image)
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM api_media WHERE member_id = ? AND id IN (SELECT value FROM json_each(?))`,
		authorID, string(list)); err != nil {
		return nil, fmt.Errorf("take media: %w", err)
	}
	return images, nil
}

// attachImagesAndMedia keeps a new local post's images with it: those
// uploaded with it, then the author's unattached media named, checked
// together.
func (tx *Tx) attachImagesAndMedia(ctx context.Context, p *Post, images []Attachment, mediaIDs []string) error {
	if len(mediaIDs) > 0 {
		media, err := tx.takeMedia(ctx, p.AuthorID, mediaIDs)
		if err != nil {
			return err
		}
		if images, err = tx.db.Site.checkImages(append(images, media...)); err != nil {
			return err
		}
	}
	return tx.attachImages(ctx, p, images)
}
