package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Subwiki is a topic group of this instance: members post news into it
// and follow it; other servers see it as a Group actor.
type Subwiki struct {
	ID          string // the Group actor's id too
	Name        string
	Title       string
	Description string
	Rules       string
	MembersOnly bool   // joining needs a moderator's approval
	EditableBy  string // who may correct headlines here; "" follows the instance's rule
	CreatedBy   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Limits on subwikis.
const (
	maxTitleLength       = 100
	maxDescriptionLength = 1000
	maxRulesLength       = 5000
)

// SubwikiCreate is what it takes to create a subwiki.
type SubwikiCreate struct {
	Name        string
	Title       string
	Description string
	Rules       string
	MembersOnly bool
}

func (c *SubwikiCreate) check() error {
	c.Title = strings.TrimSpace(c.Title)
	c.Description = strings.TrimSpace(c.Description)
	c.Rules = strings.TrimSpace(c.Rules)
	if c.Title == "" {
		return Errorf(EInvalid, "Give the subwiki a title.")
	}
	for _, err := range []error{
		checkName("subwiki name", c.Name),
		checkText("title", c.Title, maxTitleLength, false),
		checkText("description", c.Description, maxDescriptionLength, true),
		checkText("rules", c.Rules, maxRulesLength, true),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// CreateSubwiki creates a subwiki with its Group actor. The creator (a
// member, or "" for an admin on the command line naming a moderator
// instead) becomes its first moderator and joins it.
func (db *DB) CreateSubwiki(ctx context.Context, c SubwikiCreate, moderatorID string) (*Subwiki, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	keys, err := newKeyPair()
	if err != nil {
		return nil, err
	}
	var s *Subwiki
	err = db.write(ctx, func(tx *Tx) error {
		mod, err := tx.memberWhere(ctx, "id = ?", moderatorID)
		if err != nil {
			return err
		}
		if mod.Status != MemberActive {
			return Errorf(EForbidden, "Only active members can create subwikis.")
		}
		if err := tx.claimName(ctx, c.Name, "subwiki", "name"); err != nil {
			return err
		}
		s = &Subwiki{ID: tx.newID(), Name: c.Name, Title: c.Title, Description: c.Description, Rules: c.Rules,
			MembersOnly: c.MembersOnly, CreatedBy: moderatorID, CreatedAt: tx.now, UpdatedAt: tx.now}
		uri := tx.db.Site.SubwikiURI(c.Name)
		if err := tx.insertLocalActor(ctx, s.ID, KindGroup, c.Name, uri, uri, keys); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE actors SET display_name = ?, summary = ?, manually_approves = ? WHERE id = ?`,
			c.Title, TextToHTML(c.Description), c.MembersOnly, s.ID); err != nil {
			return fmt.Errorf("describe group %s: %w", c.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO subwikis (id, name, title, description, rules, members_only, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.ID, s.Name, s.Title, s.Description, s.Rules, s.MembersOnly,
			moderatorID, millis(tx.now), millis(tx.now)); err != nil {
			return fmt.Errorf("insert subwiki %s: %w", c.Name, err)
		}
		if err := tx.addModerator(ctx, s.ID, moderatorID); err != nil {
			return err
		}
		_, err = tx.insertFollow(ctx, moderatorID, s.ID, FollowAccepted, "")
		return err
	})
	return s, err
}

const subwikiColumns = `id, name, title, description, rules, members_only, editable_by, coalesce(created_by, ''), created_at, updated_at`

func scanSubwiki(row interface{ Scan(...any) error }) (*Subwiki, error) {
	var s Subwiki
	var created, updated int64
	if err := row.Scan(&s.ID, &s.Name, &s.Title, &s.Description, &s.Rules, &s.MembersOnly, &s.EditableBy, &s.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	s.CreatedAt, s.UpdatedAt = fromMillis(created), fromMillis(updated)
	return &s, nil
}

func (tx *Tx) subwikiWhere(ctx context.Context, cond string, args ...any) (*Subwiki, error) {
	s, err := scanSubwiki(tx.QueryRowContext(ctx, `SELECT `+subwikiColumns+` FROM subwikis WHERE `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(ENotFound, "No such subwiki.")
	}
	if err != nil {
		return nil, fmt.Errorf("find subwiki: %w", err)
	}
	return s, nil
}

// SubwikiByName returns the local subwiki with the name.
func (db *DB) SubwikiByName(ctx context.Context, name string) (*Subwiki, error) {
	var s *Subwiki
	err := db.read(ctx, func(tx *Tx) (err error) {
		s, err = tx.subwikiWhere(ctx, "name = ?", name)
		return err
	})
	return s, err
}

// SubwikiByID returns the local subwiki with the (Group actor) id.
func (db *DB) SubwikiByID(ctx context.Context, id string) (*Subwiki, error) {
	var s *Subwiki
	err := db.read(ctx, func(tx *Tx) (err error) {
		s, err = tx.subwikiWhere(ctx, "id = ?", id)
		return err
	})
	return s, err
}

// SubwikiUpdate holds the fields moderators change; nil stays.
type SubwikiUpdate struct {
	Title       *string
	Description *string
	Rules       *string
	MembersOnly *bool
	EditableBy  *string // "" for the instance's rule, or one of EditableRules
}

// UpdateSubwiki changes a subwiki's description; only its moderators may.
// Followers on other servers hear of it.
func (db *DB) UpdateSubwiki(ctx context.Context, memberID, subwikiID string, upd SubwikiUpdate) (*Subwiki, error) {
	var s *Subwiki
	err := db.write(ctx, func(tx *Tx) (err error) {
		if s, err = tx.subwikiWhere(ctx, "id = ?", subwikiID); err != nil {
			return err
		}
		if err := tx.mustModerate(ctx, memberID, s.ID); err != nil {
			return err
		}
		c := SubwikiCreate{Name: s.Name, Title: s.Title, Description: s.Description, Rules: s.Rules, MembersOnly: s.MembersOnly}
		if upd.Title != nil {
			c.Title = *upd.Title
		}
		if upd.Description != nil {
			c.Description = *upd.Description
		}
		if upd.Rules != nil {
			c.Rules = *upd.Rules
		}
		if upd.MembersOnly != nil {
			c.MembersOnly = *upd.MembersOnly
		}
		if err := c.check(); err != nil {
			return err
		}
		if upd.EditableBy != nil {
			if *upd.EditableBy != "" && !slices.Contains(EditableRules, *upd.EditableBy) {
				return Errorf(EInvalid, "Who may correct headlines must be anyone, members or moderators.")
			}
			s.EditableBy = *upd.EditableBy
		}
		s.Title, s.Description, s.Rules, s.MembersOnly, s.UpdatedAt = c.Title, c.Description, c.Rules, c.MembersOnly, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE subwikis SET title = ?, description = ?, rules = ?, members_only = ?,
			editable_by = ?, updated_at = ? WHERE id = ?`,
			s.Title, s.Description, s.Rules, s.MembersOnly, s.EditableBy, millis(tx.now), s.ID); err != nil {
			return fmt.Errorf("update subwiki %s: %w", s.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE actors SET display_name = ?, summary = ?, manually_approves = ?, updated_at = ? WHERE id = ?`,
			s.Title, TextToHTML(s.Description), s.MembersOnly, millis(tx.now), s.ID); err != nil {
			return fmt.Errorf("describe group %s: %w", s.Name, err)
		}
		if !s.MembersOnly {
			if err := tx.acceptPendingFollowers(ctx, s.ID); err != nil {
				return err
			}
		}
		return tx.enqueue(ctx, EventUpdateActor, s.ID, s.ID, OutboxPayload{})
	})
	return s, err
}

// SubwikiFilter selects subwikis for the directory.
type SubwikiFilter struct {
	Query  string // words in the name, title or description
	Before string // name to page after (alphabetical)
	Limit  int
}

// SubwikiListing is a subwiki with its member count.
type SubwikiListing struct {
	Subwiki
	Members int
}

// Subwikis lists local subwikis alphabetically, filtered by the query.
func (db *DB) Subwikis(ctx context.Context, f SubwikiFilter) ([]*SubwikiListing, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	where, args := []string{"s.name > ?"}, []any{f.Before}
	for _, word := range strings.Fields(strings.ToLower(f.Query)) {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(word) + "%"
		where = append(where, `(s.name LIKE ? ESCAPE '\' OR lower(s.title) LIKE ? ESCAPE '\' OR lower(s.description) LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like)
	}
	var list []*SubwikiListing
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT s.id, s.name, s.title, s.description, s.rules, s.members_only, s.editable_by,
			coalesce(s.created_by, ''), s.created_at, s.updated_at,
			(SELECT count(*) FROM follows f WHERE f.followee_id = s.id AND f.state = 'accepted')
			FROM subwikis s WHERE `+strings.Join(where, " AND ")+` ORDER BY s.name LIMIT ?`, append(args, f.Limit)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var l SubwikiListing
			var created, updated int64
			if err := rows.Scan(&l.ID, &l.Name, &l.Title, &l.Description, &l.Rules, &l.MembersOnly, &l.EditableBy, &l.CreatedBy,
				&created, &updated, &l.Members); err != nil {
				return err
			}
			l.CreatedAt, l.UpdatedAt = fromMillis(created), fromMillis(updated)
			list = append(list, &l)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list subwikis: %w", err)
	}
	return list, nil
}

// joinStarterSubwikis makes a new member join the instance's starter
// subwikis (a members-only one gets a request); names that are not
// subwikis here are skipped.
func (tx *Tx) joinStarterSubwikis(ctx context.Context, memberID string) error {
	for _, name := range tx.db.StarterSubwikis {
		s, err := tx.subwikiWhere(ctx, "name = ?", name)
		if ErrorCode(err) == ENotFound {
			continue
		}
		if err != nil {
			return err
		}
		state := FollowAccepted
		if s.MembersOnly {
			state = FollowPending
		}
		if f, err := tx.followWhere(ctx, "follower_id = ? AND followee_id = ?", memberID, s.ID); err != nil || f != nil {
			if err != nil {
				return err
			}
			continue
		}
		if _, err := tx.insertFollow(ctx, memberID, s.ID, state, ""); err != nil {
			return err
		}
	}
	return nil
}
