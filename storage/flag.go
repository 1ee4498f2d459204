package storage

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Flag categories: why a member flags an item.
const (
	FlagMisleadingHeadline = "misleading_headline"
	FlagFalseNews          = "false_news"
	FlagHate               = "hate"
	FlagHarassment         = "harassment"
	FlagSpam               = "spam"
	FlagOther              = "other"
)

// FlagCategories lists the categories in the order forms offer them.
var FlagCategories = []string{FlagMisleadingHeadline, FlagFalseNews, FlagHate, FlagHarassment, FlagSpam, FlagOther}

// FlagCategoryLabel is how a category is shown to people.
func FlagCategoryLabel(category string) string {
	switch category {
	case FlagMisleadingHeadline:
		return "Misleading headline"
	case FlagFalseNews:
		return "False or fabricated news"
	case FlagHate:
		return "Hate"
	case FlagHarassment:
		return "Harassment"
	case FlagSpam:
		return "Spam"
	}
	return "Other"
}

// Flag states.
const (
	FlagOpen      = "open"      // waiting for a moderator
	FlagDismissed = "dismissed" // a moderator saw nothing to act on
	FlagActioned  = "actioned"  // the item was removed, or its author banned or suspended
)

// MaxFlagComment is the longest comment a flag may carry.
const MaxFlagComment = 1000

// Flag is one report about one item: a post, a comment or an account.
type Flag struct {
	ID         string
	TargetURI  string // what is flagged
	PostID     string // when a post or comment is flagged
	AccountID  string // the account flagged, or the post's author
	SubwikiID  string // the queue: a local subwiki, "" for the instance's
	ReporterID string
	Reporter   *Actor // filled by the listing operations
	Category   string
	Comment    string
	Forwarded  bool   // sent on to the item's server
	Remote     bool   // reported by another server
	State      string // FlagOpen, FlagDismissed or FlagActioned
	CreatedAt  time.Time
	ResolvedAt time.Time

	activityURI string // a remote Flag's id

	Post    *Post  // the post flagged, filled by the listing operations when it still exists
	Account *Actor // the account flagged or the post's author, likewise
}

// FlagCreate is a member's flag: of a post (PostID) or of an account
// (AccountID), not both.
type FlagCreate struct {
	ReporterID string
	PostID     string
	AccountID  string
	Category   string
	Comment    string
	// Forward sends the flag on to the server the item comes from, when
	// it comes from another one.
	Forward bool
}

func (c *FlagCreate) check() error {
	known := false
	for _, k := range FlagCategories {
		known = known || c.Category == k
	}
	if !known {
		return Errorf(EInvalid, "Choose why you flag this.")
	}
	if (c.PostID == "") == (c.AccountID == "") {
		return Errorf(EInvalid, "Flag one post or one account.")
	}
	c.Comment = strings.TrimSpace(c.Comment)
	return checkText("comment", c.Comment, MaxFlagComment, true)
}

// flagQueue is the queue a flag about a post goes to: its subwiki's when
// that subwiki is here, the instance's ("") otherwise.
func (tx *Tx) flagQueue(ctx context.Context, p *Post) (string, error) {
	if p == nil || p.SubwikiID == "" {
		return "", nil
	}
	var local bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM subwikis WHERE id = ?)`, p.SubwikiID).Scan(&local)
	if err != nil {
		return "", fmt.Errorf("flag queue of %s: %w", p.ID, err)
	}
	if local {
		return p.SubwikiID, nil
	}
	return "", nil
}

// insertFlag stores a flag, in the queue its item belongs to.
func (tx *Tx) insertFlag(ctx context.Context, f *Flag) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO flags (id, target_uri, post_id, account_id, subwiki_id, reporter_id,
		category, comment, forwarded, activity_uri, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
		f.ID, f.TargetURI, nullable(f.PostID), nullable(f.AccountID), nullable(f.SubwikiID), nullable(f.ReporterID),
		f.Category, f.Comment, f.Forwarded, f.activityURI, millis(tx.now))
	if isUniqueViolation(err) {
		return Errorf(EConflict, "You have already flagged this; the moderators have your flag.")
	}
	if err != nil {
		return fmt.Errorf("insert flag %s: %w", f.ID, err)
	}
	f.State, f.CreatedAt = FlagOpen, tx.now
	return nil
}
