package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html"
	"strings"
	"unicode/utf8"
)

// Profile field limits, as Mastodon's (app/models/account/field.rb):
// members here have up to four fields of at most 255 characters each;
// a remote account's fields are kept up to Mastodon's compatibility
// length, and up to maxRemoteFields of them.
const (
	MaxProfileFields      = 4
	MaxFieldLength        = 255
	maxRemoteFields       = 16
	maxRemoteFieldLength  = 2047
	fieldLinkRel          = `rel="me nofollow noopener noreferrer" target="_blank"`
	fieldValueLinkPattern = `<a href="%s" ` + fieldLinkRel + `>%s</a>`
)

// ProfileField is a name and a value shown on a profile (ActivityPub's
// PropertyValue attachment of an actor).
type ProfileField struct {
	Name      string // plain text
	Value     string // plain text as a member here wrote it; "" for a remote account
	ValueHTML string // what is shown and sent: web addresses linked; sanitized for a remote account
}

// Profile is what an actor's profile shows besides its name and
// picture.
type Profile struct {
	BioSource string // what a member wrote; "" for a remote account
	// BioMarkdown: BioSource is Markdown. A bio written before bios were
	// Markdown is plain text, and is shown as such.
	BioMarkdown bool
	BioHTML     string
	Fields      []ProfileField
	// Supporter: a member here who supports the instance and chose to
	// show the badge.
	Supporter bool
}

// ProfileOf returns the bio and fields of a member here or of a remote
// account.
func (db *DB) ProfileOf(ctx context.Context, actorID string) (*Profile, error) {
	p := &Profile{}
	err := db.read(ctx, func(tx *Tx) error {
		a, err := tx.actorWhere(ctx, "a.id = ?", actorID)
		if err != nil {
			return err
		}
		p.BioHTML = a.Summary
		if a.Local {
			if err := tx.memberBio(ctx, actorID, p); err != nil {
				return err
			}
		}
		p.Fields, err = tx.profileFields(ctx, actorID)
		return err
	})
	return p, err
}

// memberBio reads a member's bio; one written before bios were Markdown
// has no HTML stored and is shown as the text it was.
func (tx *Tx) memberBio(ctx context.Context, memberID string, p *Profile) error {
	err := tx.QueryRowContext(ctx, `SELECT bio, bio_html, supporter_badge = 1 AND `+supportedSQL("id", "?2")+`
		FROM members WHERE id = ?1`, memberID, millis(tx.now)).Scan(&p.BioSource, &p.BioHTML, &p.Supporter)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // a subwiki or the instance: no bio of a member
	}
	if err != nil {
		return fmt.Errorf("read bio of %s: %w", memberID, err)
	}
	p.BioMarkdown = p.BioHTML != ""
	p.BioHTML = bioHTML(p.BioSource, p.BioHTML)
	return nil
}

// bioHTML is what a member's bio shows: the stored rendering of its
// Markdown, or, for a bio written before bios were Markdown (none
// stored), the text as it was.
func bioHTML(source, rendered string) string {
	if rendered == "" {
		return TextToHTML(source)
	}
	return rendered
}

func (tx *Tx) profileFields(ctx context.Context, actorID string) ([]ProfileField, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name, value, value_html FROM profile_fields WHERE actor_id = ? ORDER BY position`, actorID)
	if err != nil {
		return nil, fmt.Errorf("read profile fields: %w", err)
	}
	defer rows.Close()
	var fields []ProfileField
	for rows.Next() {
		var f ProfileField
		if err := rows.Scan(&f.Name, &f.Value, &f.ValueHTML); err != nil {
			return nil, fmt.Errorf("read profile field: %w", err)
		}
		fields = append(fields, f)
	}
	return fields, rows.Err()
}

// replaceFields stores the fields of an actor in place of those it had.
func (tx *Tx) replaceFields(ctx context.Context, actorID string, fields []ProfileField) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM profile_fields WHERE actor_id = ?`, actorID); err != nil {
		return fmt.Errorf("clear profile fields: %w", err)
	}
	for i, f := range fields {
		_, err := tx.ExecContext(ctx, `INSERT INTO profile_fields (actor_id, position, name, value, value_html)
			VALUES (?, ?, ?, ?, ?)`, actorID, i, f.Name, f.Value, f.ValueHTML)
		if err != nil {
			return fmt.Errorf("store profile field: %w", err)
		}
	}
	return nil
}

// memberFields checks the fields a member filled in and renders their
// values; rows left empty are dropped.
func memberFields(in []ProfileField) ([]ProfileField, error) {
	var out []ProfileField
	for _, f := range in {
		name, value := strings.TrimSpace(f.Name), strings.TrimSpace(f.Value)
		if name == "" && value == "" {
			continue
		}
		if name == "" {
			return nil, Errorf(EInvalid, "Give each profile field a name.")
		}
		for _, err := range []error{
			checkText("field name", name, MaxFieldLength, false),
			checkText("field value", value, MaxFieldLength, false),
		} {
			if err != nil {
				return nil, err
			}
		}
		out = append(out, ProfileField{Name: name, Value: value, ValueHTML: fieldValueHTML(value)})
	}
	if len(out) > MaxProfileFields {
		return nil, Errorf(EInvalid, "A profile can have at most %d fields.", MaxProfileFields)
	}
	return out, nil
}

// fieldValueHTML is a field's text escaped, with its web addresses
// linked as Mastodon links them (rel="me", so that the linked page can
// confirm the account by linking back).
func fieldValueHTML(value string) string {
	var b strings.Builder
	for i, word := range strings.Split(value, " ") {
		if i > 0 {
			b.WriteByte(' ')
		}
		link, rest := splitTrailingPunctuation(word)
		if webURL(link) && (strings.HasPrefix(link, "http://") || strings.HasPrefix(link, "https://")) {
			fmt.Fprintf(&b, fieldValueLinkPattern, html.EscapeString(link), html.EscapeString(link))
			b.WriteString(html.EscapeString(rest))
			continue
		}
		b.WriteString(html.EscapeString(word))
	}
	return b.String()
}

// splitTrailingPunctuation parts a word from the punctuation that ends a
// sentence after a link: "https://a.example." links without the period.
func splitTrailingPunctuation(word string) (string, string) {
	trimmed := strings.TrimRight(word, ".,;:!?)")
	return trimmed, word[len(trimmed):]
}

// remoteFields keeps the fields of a remote account that can be shown:
// named, not longer than Mastodon accepts, the value sanitized.
func remoteFields(in []ProfileField) []ProfileField {
	var out []ProfileField
	for _, f := range in {
		if len(out) == maxRemoteFields {
			break
		}
		name := cleanLine(f.Name, maxRemoteFieldLength)
		if name == "" || utf8.RuneCountInString(f.ValueHTML) > maxRemoteFieldLength {
			continue
		}
		out = append(out, ProfileField{Name: name, ValueHTML: sanitizeHTML(f.ValueHTML)})
	}
	return out
}
