package storage

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Who may correct headlines.
const (
	EditableAnyone     = "anyone"     // any member whose account is old enough
	EditableMembers    = "members"    // members of the post's subwiki whose account is old enough
	EditableModerators = "moderators" // moderators of the post's subwiki
)

// EditableRules lists the rules, for validation.
var EditableRules = []string{EditableAnyone, EditableMembers, EditableModerators}

// CorrectionPolicy is an instance's rule for headline corrections; a
// subwiki may choose another rule for its posts.
type CorrectionPolicy struct {
	Who           string        // one of EditableRules
	MinAccountAge time.Duration // for anyone and members
	MaxPerHour    int           // headline edits (and proposals) a member may make in an hour
}

// DefaultCorrectionPolicy: subwiki members whose account is a day old,
// ten edits an hour.
var DefaultCorrectionPolicy = CorrectionPolicy{Who: EditableMembers, MinAccountAge: 24 * time.Hour, MaxPerHour: 10}

// Who decides on a correction of a post's headline.
const (
	AuthorityHere      = "here"   // this server: the post is ours, or in a subwiki of ours and its origin takes no corrections
	AuthorityOrigin    = "origin" // the post's origin (another Tidings): corrections are proposed to it
	AuthorityLocalOnly = "local"  // nobody takes corrections: a correction is kept here only
)

const maxReasonLength = 500

// HeadlineEdit is a correction of a post's headline, or a revert to an
// earlier one.
type HeadlineEdit struct {
	PostID       string
	EditorID     string // the actor: a member here, or someone elsewhere proposing it
	BaseRevision int    // the revision the edit was made against
	Headline     string // the new headline; ignored for a revert
	RevertTo     int    // a revision to restore, or 0
	Reason       string
	SourceURL    string
}

// check validates what an editor wrote.
func (e *HeadlineEdit) check() error {
	e.Reason = strings.TrimSpace(e.Reason)
	e.SourceURL = strings.TrimSpace(e.SourceURL)
	if e.Reason == "" {
		return Errorf(EInvalid, "Say why the headline should change.")
	}
	if err := checkText("reason", e.Reason, maxReasonLength, false); err != nil {
		return err
	}
	if err := checkWebURL("source", e.SourceURL); err != nil {
		return err
	}
	if e.RevertTo > 0 {
		return nil
	}
	var err error
	e.Headline, err = checkHeadline(e.Headline)
	return err
}

// correctionTarget is a post with what decides who may correct it.
type correctionTarget struct {
	post        *Post
	authority   string
	subwiki     *Subwiki // a subwiki of ours the post is in, or nil
	editableBy  string
	groupRemote bool // the post is in a remote group
}

// target loads a post for correction.
func (tx *Tx) target(ctx context.Context, postID string) (*correctionTarget, error) {
	p, err := tx.postWhere(ctx, "p.id = ?", postID)
	if err != nil {
		return nil, err
	}
	if p.Headline == "" {
		return nil, Errorf(EInvalid, "This post has no headline to correct.")
	}
	c := &correctionTarget{post: p, editableBy: tx.db.Corrections.Who}
	if p.SubwikiID != "" {
		s, err := tx.subwikiWhere(ctx, "id = ?", p.SubwikiID)
		switch ErrorCode(err) {
		case "":
			c.subwiki = s
			if s.EditableBy != "" {
				c.editableBy = s.EditableBy
			}
		case ENotFound:
			c.groupRemote = true
		default:
			return nil, err
		}
	}
	var history string
	if err := tx.QueryRowContext(ctx, `SELECT history_uri FROM posts WHERE id = ?`, p.ID).Scan(&history); err != nil {
		return nil, fmt.Errorf("history of %s: %w", p.URI, err)
	}
	switch {
	case p.Local:
		c.authority = AuthorityHere
	case history != "":
		c.authority = AuthorityOrigin
	case c.subwiki != nil && Listed(p.Visibility):
		// The subwiki relays the revision to all its followers, so it
		// decides only for posts everyone may see.
		c.authority = AuthorityHere
	default:
		c.authority = AuthorityLocalOnly
	}
	return c, nil
}

// CorrectionAuthority tells who decides on corrections of the post, for
// telling members before they edit.
func (db *DB) CorrectionAuthority(ctx context.Context, postID string) (string, error) {
	var authority string
	err := db.read(ctx, func(tx *Tx) error {
		c, err := tx.target(ctx, postID)
		if err != nil {
			return err
		}
		authority = c.authority
		return nil
	})
	return authority, err
}
