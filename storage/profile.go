package storage

import (
	"context"
	"fmt"
	"strings"
)

// ProfileUpdate holds the profile fields a member changes; nil fields
// stay as they are.
type ProfileUpdate struct {
	DisplayName *string
	// Bio is Markdown, rendered with the same renderer as posts; the
	// handles it mentions that BioMentions resolves become links.
	Bio         *string
	BioMentions []Mention
	// Fields replaces the profile fields (empty rows are dropped).
	Fields                    *[]ProfileField
	AvatarURL                 *string
	ManuallyApprovesFollowers *bool
	HideNetwork               *bool
	ShowOriginalHeadlines     *bool
}

// UpdateProfile changes the public profile of the member with the id
// and tells their followers on other servers: SaveProfile without
// images.
func (db *DB) UpdateProfile(ctx context.Context, memberID string, upd ProfileUpdate) (*Member, error) {
	m, _, err := db.SaveProfile(ctx, memberID, upd, nil)
	return m, err
}

// SaveProfile changes the public profile of the member with the id and
// their profile images at once, all or nothing, and tells their
// followers on other servers. images holds, by kind (MediaAvatar,
// MediaHeader), the address of an image uploaded here (Site.UploadURL),
// or "" to remove the image. Turning off the approval of followers
// accepts the requests waiting. It returns the member as changed and the
// addresses of the images replaced, whose files the caller may remove.
func (db *DB) SaveProfile(ctx context.Context, memberID string, upd ProfileUpdate, images map[string]string) (*Member, []string, error) {
	for kind, url := range images {
		if err := db.checkProfileImage(kind, url); err != nil {
			return nil, nil, err
		}
	}
	var m *Member
	var replaced []string
	err := db.write(ctx, func(tx *Tx) (err error) {
		if m, err = tx.updateProfile(ctx, memberID, upd); err != nil {
			return err
		}
		if replaced, err = tx.setProfileImages(ctx, m, images); err != nil {
			return err
		}
		if m.Status != MemberActive {
			return nil
		}
		return tx.enqueue(ctx, EventUpdateActor, m.ID, m.ID, OutboxPayload{})
	})
	if err != nil {
		return nil, nil, err
	}
	return m, replaced, nil
}

// updateProfile applies the change to the member's profile, refusing a
// value out of bounds.
func (tx *Tx) updateProfile(ctx context.Context, memberID string, upd ProfileUpdate) (*Member, error) {
	m, err := tx.memberWhere(ctx, "id = ?", memberID)
	if err != nil {
		return nil, err
	}
	if upd.DisplayName != nil {
		m.DisplayName = strings.TrimSpace(*upd.DisplayName)
		if m.DisplayName == "" {
			m.DisplayName = m.Username
		}
	}
	var bioHTML *string
	if upd.Bio != nil {
		m.Bio = strings.TrimSpace(*upd.Bio)
		rendered := RenderMarkdown(m.Bio, upd.BioMentions)
		bioHTML = &rendered
	}
	if upd.AvatarURL != nil {
		m.AvatarURL = strings.TrimSpace(*upd.AvatarURL)
	}
	wasLocked := m.ManuallyApprovesFollowers
	if upd.ManuallyApprovesFollowers != nil {
		m.ManuallyApprovesFollowers = *upd.ManuallyApprovesFollowers
	}
	if upd.HideNetwork != nil {
		m.HideNetwork = *upd.HideNetwork
	}
	if upd.ShowOriginalHeadlines != nil {
		m.ShowOriginalHeadlines = *upd.ShowOriginalHeadlines
	}
	for _, err := range []error{
		checkText("display name", m.DisplayName, maxDisplayNameLength, false),
		checkText("bio", m.Bio, maxBioLength, true),
		checkWebURL("avatar address", m.AvatarURL),
	} {
		if err != nil {
			return nil, err
		}
	}
	if upd.Fields != nil {
		fields, err := memberFields(*upd.Fields)
		if err != nil {
			return nil, err
		}
		if err := tx.replaceFields(ctx, m.ID, fields); err != nil {
			return nil, err
		}
	}
	if bioHTML != nil {
		if _, err := tx.ExecContext(ctx, `UPDATE members SET bio_html = ? WHERE id = ?`, *bioHTML, m.ID); err != nil {
			return nil, fmt.Errorf("update bio of %s: %w", m.Username, err)
		}
	}
	m.UpdatedAt = tx.now
	_, err = tx.ExecContext(ctx, `UPDATE members SET display_name = ?, bio = ?, avatar_url = ?,
		manually_approves_followers = ?, hide_network = ?, show_original_headlines = ?, updated_at = ? WHERE id = ?`,
		m.DisplayName, m.Bio, m.AvatarURL, m.ManuallyApprovesFollowers, m.HideNetwork, m.ShowOriginalHeadlines,
		millis(tx.now), m.ID)
	if err != nil {
		return nil, fmt.Errorf("update profile of %s: %w", m.Username, err)
	}
	if wasLocked && !m.ManuallyApprovesFollowers {
		if err := tx.acceptPendingFollowers(ctx, m.ID); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// ChangePassword replaces a member's password after checking the current
// one, and ends every other session of the member, keeping only the one
// whose token is keepSession.
func (db *DB) ChangePassword(ctx context.Context, memberID, current, next, keepSession string) error {
	if err := checkPassword(next); err != nil {
		return err
	}
	var stored string
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT password_hash FROM members WHERE id = ?`, memberID).Scan(&stored)
	})
	if err != nil {
		return fmt.Errorf("read password of %s: %w", memberID, err)
	}
	ok, err := db.passwordMatches(ctx, stored, current)
	if err != nil {
		return err
	}
	if !ok {
		return Errorf(EForbidden, "The current password is not right.")
	}
	hash, err := db.hashPassword(ctx, next)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE members SET password_hash = ?, updated_at = ? WHERE id = ? AND password_hash = ?`,
			hash, millis(tx.now), memberID, stored)
		if err != nil {
			return fmt.Errorf("change password of %s: %w", memberID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Errorf(EConflict, "The password was changed at the same time elsewhere. Please try again.")
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE member_id = ? AND token_hash <> ?`,
			memberID, hashToken(keepSession))
		return err
	})
}
