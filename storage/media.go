package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The images a media address of this instance stands for.
const (
	MediaAvatar     = "avatar"     // an actor's icon
	MediaHeader     = "header"     // an actor's image, the header of their profile
	MediaAttachment = "attachment" // an image a post carries
)

// uploadsPath is where the images members upload are served.
const uploadsPath = "/media/u/"

// UploadURL is the address of an image a member uploaded, kept under
// the name.
func (s Site) UploadURL(name string) string { return s.Base() + uploadsPath + name }

// UploadName is the name of the uploaded image at the address, when the
// address is one of this instance's uploads.
func (s Site) UploadName(url string) (string, bool) {
	name, ok := strings.CutPrefix(url, s.Base()+uploadsPath)
	if !ok || name == "" || strings.ContainsAny(name, "/\\") || strings.HasPrefix(name, ".") {
		return "", false
	}
	return name, true
}

// MediaSource is the address of the image that a media address of this
// instance stands for: the avatar or header of the actor with the id, or
// the image at the position of the post with the id. An attachment is
// found only for a viewer ("" for a stranger) who may see its post, and
// shared says whether everyone may (so caches between may keep it). What
// no stored actor or post points to is not found: the media addresses
// serve nothing else.
func (db *DB) MediaSource(ctx context.Context, viewerID, kind, ownerID string, position int) (url string, shared bool, err error) {
	err = db.read(ctx, func(tx *Tx) error {
		switch kind {
		case MediaAvatar, MediaHeader:
			a, err := tx.actorWhere(ctx, "a.id = ?", ownerID)
			if err != nil {
				return err
			}
			url, shared = a.IconURL, true
			if kind == MediaHeader {
				url = a.HeaderURL
			}
			return nil
		case MediaAttachment:
			if err := tx.mustSee(ctx, viewerID, ownerID); err != nil {
				return err
			}
			var visibility string
			err := tx.QueryRowContext(ctx, `SELECT a.url, p.visibility FROM post_attachments a JOIN posts p ON p.id = a.post_id
				WHERE a.post_id = ? AND a.position = ?`, ownerID, position).Scan(&url, &visibility)
			if errors.Is(err, sql.ErrNoRows) {
				return Errorf(ENotFound, "No such image.")
			}
			shared = Listed(visibility)
			return err
		}
		return Errorf(ENotFound, "No such image.")
	})
	if err == nil && url == "" {
		return "", false, Errorf(ENotFound, "No such image.")
	}
	return url, shared, err
}

// SetProfileImage makes the uploaded image at url (an UploadURL, or ""
// for none) the member's avatar or header, tells their followers on
// other servers, and returns the address it replaces ("" for none),
// whose file the caller may remove: SaveProfile of one image.
func (db *DB) SetProfileImage(ctx context.Context, memberID, kind, url string) (replaced string, err error) {
	_, old, err := db.SaveProfile(ctx, memberID, ProfileUpdate{}, map[string]string{kind: url})
	if len(old) > 0 {
		replaced = old[0]
	}
	return replaced, err
}

// profileImageColumns are the members' columns of each kind of profile
// image.
var profileImageColumns = map[string]string{MediaAvatar: "avatar_url", MediaHeader: "header_url"}

// checkProfileImage refuses a kind of profile image there is not, and an
// image not uploaded here.
func (db *DB) checkProfileImage(kind, url string) error {
	if profileImageColumns[kind] == "" {
		return Errorf(EInvalid, "Unknown kind of profile image %q.", kind)
	}
	if _, ok := db.Site.UploadName(url); url != "" && !ok {
		return Errorf(EInvalid, "A profile image must be uploaded here.")
	}
	return nil
}

// setProfileImages sets the member's profile images of each kind in
// images (checked by checkProfileImage), and returns the addresses they
// replace.
func (tx *Tx) setProfileImages(ctx context.Context, m *Member, images map[string]string) ([]string, error) {
	var replaced []string
	for _, kind := range []string{MediaAvatar, MediaHeader} {
		url, ok := images[kind]
		if !ok {
			continue
		}
		column := profileImageColumns[kind]
		var old string
		if err := tx.QueryRowContext(ctx, `SELECT `+column+` FROM members WHERE id = ?`, m.ID).Scan(&old); err != nil {
			return nil, fmt.Errorf("read %s of %s: %w", kind, m.Username, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE members SET `+column+` = ?, updated_at = ? WHERE id = ?`,
			url, millis(tx.now), m.ID); err != nil {
			return nil, fmt.Errorf("set %s of %s: %w", kind, m.Username, err)
		}
		if old != "" && old != url {
			replaced = append(replaced, old)
		}
		if kind == MediaAvatar {
			m.AvatarURL = url
		} else {
			m.HeaderURL = url
		}
	}
	return replaced, nil
}

// setActorImage records a remote actor's header image.
func (tx *Tx) setActorImage(ctx context.Context, uri, imageURL string) error {
	if checkWebURL("header", imageURL) != nil {
		imageURL = ""
	}
	tx.forgetActor(uri)
	if _, err := tx.ExecContext(ctx, `UPDATE actors SET image_url = ? WHERE uri = ? AND local = 0`, imageURL, uri); err != nil {
		return fmt.Errorf("set header of %s: %w", uri, err)
	}
	return nil
}

// MediaVersion names one address of an image in its local URL, so that
// a changed avatar gets a new URL, and browsers may keep each for long.
func MediaVersion(remote string) string {
	sum := sha256.Sum256([]byte(remote))
	return hex.EncodeToString(sum[:8])
}

// MediaPath is the local URL of the image at remote, the path that
// MediaSource answers for: the avatar or header of the actor with the
// id, or an attachment of the post with the id at the position. It is
// "" when there is no image. The site's pages and the client API both
// show images by it, so that no remote server sees who looks.
func MediaPath(kind, ownerID string, position int, remote string) string {
	if remote == "" {
		return ""
	}
	if kind == MediaAttachment {
		return "/media/" + kind + "/" + ownerID + "/" + strconv.Itoa(position) + "/" + MediaVersion(remote)
	}
	return "/media/" + kind + "/" + ownerID + "/" + MediaVersion(remote)
}
