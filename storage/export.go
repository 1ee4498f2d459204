package storage

import (
	"context"
	"fmt"
	"time"
)

// The archive a member downloads of their own data (web/export.go) is
// read with these operations: the profile at once, everything else a
// page at a time, each page its own short read, so that an archive of
// any size is written without holding it in memory or holding a
// transaction open while the download goes at the member's pace.

// ExportProfile is the member's account and profile, as they set it.
type ExportProfile struct {
	Username                  string          `json:"username"`
	ActorURI                  string          `json:"actor_uri"`
	ProfileURL                string          `json:"profile_url"`
	DisplayName               string          `json:"display_name"`
	Email                     string          `json:"email"`
	Bio                       string          `json:"bio"`      // as written, in Markdown
	BioHTML                   string          `json:"bio_html"` // as shown
	AvatarURL                 string          `json:"avatar_url,omitempty"`
	HeaderURL                 string          `json:"header_url,omitempty"`
	Fields                    []ExportField   `json:"fields"`
	Admin                     bool            `json:"admin"`
	Moderates                 []string        `json:"moderates"` // names of the subwikis here the member moderates
	ManuallyApprovesFollowers bool            `json:"manually_approves_followers"`
	HideNetwork               bool            `json:"hide_network"`
	ShowOriginalHeadlines     bool            `json:"show_original_headlines"`
	MutedWords                []string        `json:"muted_words"`
	CreatedAt                 time.Time       `json:"created_at"`
	Deletion                  *ExportDeletion `json:"deletion,omitempty"`
}

// ExportField is a profile field.
type ExportField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ExportDeletion is a pending deletion of the account.
type ExportDeletion struct {
	RequestedAt time.Time `json:"requested_at"`
	DueAt       time.Time `json:"due_at"`
}

// ExportOfProfile returns the member's profile for their archive.
func (db *DB) ExportOfProfile(ctx context.Context, memberID string) (*ExportProfile, error) {
	var p *ExportProfile
	err := db.read(ctx, func(tx *Tx) error {
		m, err := tx.memberWhere(ctx, "id = ?", memberID)
		if err != nil {
			return err
		}
		p = &ExportProfile{Username: m.Username, ActorURI: db.Site.ActorURI(m.Username), ProfileURL: db.Site.ProfileURL(m.Username),
			DisplayName: m.DisplayName, Email: m.Email, Bio: m.Bio, AvatarURL: m.AvatarURL, HeaderURL: m.HeaderURL,
			Admin: m.IsAdmin, ManuallyApprovesFollowers: m.ManuallyApprovesFollowers, HideNetwork: m.HideNetwork,
			ShowOriginalHeadlines: m.ShowOriginalHeadlines, CreatedAt: m.CreatedAt,
			Fields: []ExportField{}, Moderates: []string{}, MutedWords: []string{}}
		if err := tx.QueryRowContext(ctx, `SELECT bio_html FROM members WHERE id = ?`, memberID).Scan(&p.BioHTML); err != nil {
			return fmt.Errorf("read bio: %w", err)
		}
		fields, err := tx.profileFields(ctx, memberID)
		if err != nil {
			return err
		}
		for _, f := range fields {
			p.Fields = append(p.Fields, ExportField{Name: f.Name, Value: f.Value})
		}
		if p.Moderates, err = tx.textColumn(ctx, `SELECT s.name FROM subwiki_moderators m JOIN subwikis s ON s.id = m.subwiki_id
			WHERE m.member_id = ? ORDER BY s.name`, memberID); err != nil {
			return err
		}
		if p.MutedWords, err = tx.textColumn(ctx, `SELECT word FROM muted_words WHERE member_id = ? ORDER BY word`, memberID); err != nil {
			return err
		}
		d, err := tx.accountDeletionWhere(ctx, "member_id = ? AND deleted_at IS NULL", memberID)
		if d != nil {
			p.Deletion = &ExportDeletion{RequestedAt: d.RequestedAt, DueAt: d.DueAt}
		}
		return err
	})
	return p, err
}

// ExportUploads lists the addresses of the images the member uploaded
// that are still in use: avatar, header and the images of their posts.
func (db *DB) ExportUploads(ctx context.Context, memberID string) ([]string, error) {
	var urls []string
	err := db.read(ctx, func(tx *Tx) (err error) {
		urls, err = tx.textColumn(ctx, `SELECT avatar_url FROM members WHERE id = ?1 AND avatar_url <> ''
			UNION SELECT header_url FROM members WHERE id = ?1 AND header_url <> ''
			UNION SELECT a.url FROM post_attachments a JOIN posts p ON p.id = a.post_id WHERE p.author_id = ?1 AND p.local = 1`, memberID)
		return err
	})
	var mine []string
	for _, u := range urls {
		if _, ok := db.Site.UploadName(u); ok {
			mine = append(mine, u)
		}
	}
	return mine, err
}
