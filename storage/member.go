package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MemberStatus says whether a member may use the instance yet.
type MemberStatus string

// Member statuses.
const (
	MemberActive  MemberStatus = "active"  // may sign in and take part
	MemberPending MemberStatus = "pending" // registered, waiting for an admin's approval
)

// Member is a person with an account on this instance.
type Member struct {
	ID          string
	Username    string
	Email       string
	DisplayName string
	Bio         string
	AvatarURL   string
	HeaderURL   string // the uploaded header image of the profile, "" for none
	IsAdmin     bool
	Status      MemberStatus
	JoinReason  string
	CreatedAt   time.Time
	UpdatedAt   time.Time

	// ManuallyApprovesFollowers makes follows wait for the member's approval.
	ManuallyApprovesFollowers bool
	// HideNetwork hides who the member follows and who follows them; the
	// counts stay public.
	HideNetwork bool
	// ShowOriginalHeadlines shows, beside a corrected headline, the one
	// first published.
	ShowOriginalHeadlines bool
}

// Limits on what a member may enter.
const (
	maxUsernameLength    = 30
	maxDisplayNameLength = 60
	maxBioLength         = 500
	maxURLLength         = 2000
	maxEmailLength       = 254
	maxJoinReasonLength  = 500
)

var usernamePattern = regexp.MustCompile(`^[a-z0-9_]+$`)

// reservedNames cannot be taken by members (or, later, subwikis): they
// name parts of the site or roles people would trust.
var reservedNames = map[string]bool{
	"about": true, "account": true, "accounts": true, "activitypub": true, "actor": true,
	"admin": true, "administrator": true, "api": true, "auth": true, "c": true,
	"feed": true, "healthz": true, "help": true, "home": true, "inbox": true,
	"instance": true, "invite": true, "invites": true, "login": true, "logout": true,
	"members": true, "moderator": true, "moderators": true, "mod": true, "new": true, "nodeinfo": true,
	"outbox": true, "postmaster": true, "root": true, "s": true, "search": true,
	"settings": true, "signin": true, "signout": true, "signup": true, "static": true,
	"staff": true, "subwiki": true, "subwikis": true, "support": true, "system": true,
	"tidings": true, "u": true, "user": true, "users": true, "webmaster": true,
	"well_known": true, "www": true,
}

// checkName enforces the fediverse rules for the names of members and
// subwikis; label says which ("username", "subwiki name").
func checkName(label, name string) error {
	switch {
	case name == "":
		return Errorf(EInvalid, "Choose a %s.", label)
	case len(name) > maxUsernameLength:
		return Errorf(EInvalid, "A %s can be at most %d characters long.", label, maxUsernameLength)
	case !usernamePattern.MatchString(name):
		return Errorf(EInvalid, "A %s may contain only lowercase letters a-z, digits and underscores.", label)
	case reservedNames[name]:
		return Errorf(EConflict, "The %s %q is reserved. Please choose another.", label, name)
	}
	return nil
}

// checkEmail accepts a bare address like name@example.org.
func checkEmail(email string) error {
	if email == "" {
		return Errorf(EInvalid, "Enter an email address.")
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || len(email) > maxEmailLength || !strings.Contains(email, "@") {
		return Errorf(EInvalid, "%q is not an email address like name@example.org.", email)
	}
	return nil
}

// checkText enforces a length limit and refuses control characters other
// than line breaks (allowed only where multiline is true).
func checkText(field, value string, limit int, multiline bool) error {
	if !utf8.ValidString(value) {
		return Errorf(EInvalid, "The %s is not valid text.", field)
	}
	if n := utf8.RuneCountInString(value); n > limit {
		return Errorf(EInvalid, "The %s can be at most %d characters long (it has %d).", field, limit, n)
	}
	for _, r := range value {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			return Errorf(EInvalid, "The %s contains a character that is not allowed.", field)
		}
	}
	return nil
}

// checkWebURL accepts an empty string or an absolute http(s) URL.
func checkWebURL(field, value string) error {
	if value == "" {
		return nil
	}
	u, err := url.Parse(value)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(value) > maxURLLength {
		return Errorf(EInvalid, "The %s must be a web address starting with https://.", field)
	}
	return nil
}

// MemberCreate is what it takes to create a member.
type MemberCreate struct {
	Username    string
	Email       string
	DisplayName string // the username when empty
	Password    string
	IsAdmin     bool
	JoinReason  string
}

// check validates c and fills defaults.
func (c *MemberCreate) check() error {
	c.DisplayName = strings.TrimSpace(c.DisplayName)
	if c.DisplayName == "" {
		c.DisplayName = c.Username
	}
	c.JoinReason = strings.TrimSpace(c.JoinReason)
	for _, err := range []error{
		checkName("username", c.Username),
		checkEmail(c.Email),
		checkText("display name", c.DisplayName, maxDisplayNameLength, false),
		checkPassword(c.Password),
		checkText("reason for joining", c.JoinReason, maxJoinReasonLength, true),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// CreateMember creates an active member, as an admin does from the
// command line; registration modes do not apply. It refuses a taken or
// reserved name with an EConflict error.
func (db *DB) CreateMember(ctx context.Context, c MemberCreate) (*Member, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	secrets, err := db.newMemberSecrets(ctx, c.Password)
	if err != nil {
		return nil, err
	}
	var m *Member
	err = db.write(ctx, func(tx *Tx) error {
		m, err = tx.insertMember(ctx, c, secrets, MemberActive)
		return err
	})
	return m, err
}

// memberSecrets are what a new member gets that take time to make, so
// they are made before the transaction: the password hash and the keys.
type memberSecrets struct {
	passwordHash string
	keys         keyPair
}

func (db *DB) newMemberSecrets(ctx context.Context, password string) (memberSecrets, error) {
	hash, err := db.hashPassword(ctx, password)
	if err != nil {
		return memberSecrets{}, err
	}
	keys, err := newKeyPair()
	if err != nil {
		return memberSecrets{}, err
	}
	return memberSecrets{passwordHash: hash, keys: keys}, nil
}

// insertMember stores a new member and their actor; c must have been
// checked.
func (tx *Tx) insertMember(ctx context.Context, c MemberCreate, secrets memberSecrets, status MemberStatus) (*Member, error) {
	m := &Member{
		ID:          tx.newID(),
		Username:    c.Username,
		Email:       c.Email,
		DisplayName: c.DisplayName,
		IsAdmin:     c.IsAdmin,
		Status:      status,
		JoinReason:  c.JoinReason,
		CreatedAt:   tx.now,
		UpdatedAt:   tx.now,
	}
	if err := tx.claimName(ctx, c.Username, "member", "username"); err != nil {
		return nil, err
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO members (id, username, email, display_name, password_hash, is_admin, status, join_reason, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.Username, m.Email, m.DisplayName, secrets.passwordHash, m.IsAdmin, m.Status, m.JoinReason,
		millis(tx.now), millis(tx.now))
	if isUniqueViolation(err) {
		return nil, tx.whichTaken(ctx, c)
	}
	if err != nil {
		return nil, fmt.Errorf("insert member %s: %w", c.Username, err)
	}
	site := tx.db.Site
	err = tx.insertLocalActor(ctx, m.ID, KindPerson, m.Username, site.ActorURI(m.Username), site.ProfileURL(m.Username), secrets.keys)
	if err != nil {
		return nil, err
	}
	if status == MemberActive {
		if err := tx.joinStarterSubwikis(ctx, m.ID); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// whichTaken explains a unique violation on members: the name was
// checked before, so it is the email address.
func (tx *Tx) whichTaken(ctx context.Context, c MemberCreate) error {
	return Errorf(EConflict, "An account with this email address exists already.")
}

// claimName takes a name in the namespace members and subwikis share,
// or says it is taken (label names the field, like "username").
func (tx *Tx) claimName(ctx context.Context, name, kind, label string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO handles (name, kind) VALUES (?, ?)`, name, kind)
	if isUniqueViolation(err) {
		return Errorf(EConflict, "The %s %q is taken. Please choose another.", label, name)
	}
	if err != nil {
		return fmt.Errorf("claim name %s: %w", name, err)
	}
	return nil
}

const memberColumns = `id, username, email, display_name, bio, avatar_url, is_admin, status, join_reason, created_at, updated_at,
	manually_approves_followers, hide_network, show_original_headlines, header_url`

// scanMember reads a row of memberColumns.
func scanMember(row interface{ Scan(...any) error }) (*Member, error) {
	var m Member
	var created, updated int64
	err := row.Scan(&m.ID, &m.Username, &m.Email, &m.DisplayName, &m.Bio, &m.AvatarURL,
		&m.IsAdmin, &m.Status, &m.JoinReason, &created, &updated, &m.ManuallyApprovesFollowers, &m.HideNetwork,
		&m.ShowOriginalHeadlines, &m.HeaderURL)
	if err != nil {
		return nil, err
	}
	m.CreatedAt, m.UpdatedAt = fromMillis(created), fromMillis(updated)
	return &m, nil
}

// memberWhere returns the one member matching the condition.
func (tx *Tx) memberWhere(ctx context.Context, cond string, arg any) (*Member, error) {
	m, err := scanMember(tx.QueryRowContext(ctx, `SELECT `+memberColumns+` FROM members WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(ENotFound, "No such member.")
	}
	if err != nil {
		return nil, fmt.Errorf("find member: %w", err)
	}
	return m, nil
}

// MemberByUsername returns the member with the name, pending or active.
func (db *DB) MemberByUsername(ctx context.Context, username string) (*Member, error) {
	var m *Member
	err := db.read(ctx, func(tx *Tx) (err error) {
		m, err = tx.memberWhere(ctx, "username = ?", username)
		return err
	})
	return m, err
}

// MemberByID returns the member with the id.
func (db *DB) MemberByID(ctx context.Context, id string) (*Member, error) {
	var m *Member
	err := db.read(ctx, func(tx *Tx) (err error) {
		m, err = tx.memberWhere(ctx, "id = ?", id)
		return err
	})
	return m, err
}

// membersWhere lists members matching cond, newest first.
func (tx *Tx) membersWhere(ctx context.Context, cond string, limit int, args ...any) ([]*Member, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+memberColumns+` FROM members WHERE `+cond+` ORDER BY id DESC LIMIT ?`,
		append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	defer rows.Close()
	var list []*Member
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, fmt.Errorf("list members: %w", err)
		}
		list = append(list, m)
	}
	return list, rows.Err()
}

// NewestMembers lists up to limit active members, newest first.
func (db *DB) NewestMembers(ctx context.Context, limit int) ([]*Member, error) {
	var list []*Member
	err := db.read(ctx, func(tx *Tx) (err error) {
		list, err = tx.membersWhere(ctx, "status = ?", limit, MemberActive)
		return err
	})
	return list, err
}

// CountMembers returns the number of active members.
func (db *DB) CountMembers(ctx context.Context) (int, error) {
	var n int
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM members WHERE status = ?`, MemberActive).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count members: %w", err)
	}
	return n, nil
}
