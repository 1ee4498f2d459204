package storage

import (
	"context"
	"encoding/json"
	"fmt"
)

// uploadNameLength is the length of the names uploads are kept under:
// 32 hex digits and ".jpg" or ".png".
const uploadNameLength = 36

// UnusedUploads returns those of the upload names given (the files under
// UploadURL) that nothing uses: no member's avatar or header, no image of
// a post, no image uploaded through the client API waiting for a status. Their files may go: they are left from a post refused after its
// images were made, a crash between the two, or a deletion by a path
// that did not remove them. An address is matched by its file's name,
// so that a change of the instance's address or scheme never makes a
// used file look unused; a name of another length is never unused.
func (db *DB) UnusedUploads(ctx context.Context, names []string) ([]string, error) {
	var asked []string
	for _, n := range names {
		if len(n) == uploadNameLength {
			asked = append(asked, n)
		}
	}
	if len(asked) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(asked)
	if err != nil {
		return nil, err
	}
	var unused []string
	err = db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT j.value FROM json_each(?) j
			WHERE NOT EXISTS (SELECT 1 FROM post_attachments a WHERE substr(a.url, -36) = j.value)
			AND NOT EXISTS (SELECT 1 FROM api_media u WHERE substr(u.url, -36) = j.value)
			AND NOT EXISTS (SELECT 1 FROM members m WHERE substr(m.avatar_url, -36) = j.value
				OR substr(m.header_url, -36) = j.value)`, string(list))
		if err != nil {
			return fmt.Errorf("find unused uploads: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				return fmt.Errorf("read unused upload: %w", err)
			}
			unused = append(unused, name)
		}
		return rows.Err()
	})
	return unused, err
}
