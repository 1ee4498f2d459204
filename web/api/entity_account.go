package api

import (
	"context"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// account is Mastodon's Account entity (entities/Account.md): a member
// or a subwiki here, or a person or group on another server. Apps
// refuse an account without any of the fields that are not omitempty.
type account struct {
	ID              string         `json:"id"`
	Username        string         `json:"username"`
	Acct            string         `json:"acct"`
	DisplayName     string         `json:"display_name"`
	Locked          bool           `json:"locked"`
	Bot             bool           `json:"bot"`
	Discoverable    bool           `json:"discoverable"`
	Indexable       bool           `json:"indexable"`
	Group           bool           `json:"group"`
	CreatedAt       string         `json:"created_at"`
	Note            string         `json:"note"`
	URL             string         `json:"url"`
	URI             string         `json:"uri"`
	Avatar          string         `json:"avatar"`
	AvatarStatic    string         `json:"avatar_static"`
	Header          string         `json:"header"`
	HeaderStatic    string         `json:"header_static"`
	FollowersCount  int            `json:"followers_count"`
	FollowingCount  int            `json:"following_count"`
	StatusesCount   int            `json:"statuses_count"`
	LastStatusAt    *string        `json:"last_status_at"`
	HideCollections bool           `json:"hide_collections"`
	Noindex         bool           `json:"noindex"`
	Emojis          []struct{}     `json:"emojis"` // no custom emojis here
	Fields          []accountField `json:"fields"`

	// Source and Role make it a CredentialAccount: the caller's own.
	Source *accountSource `json:"source,omitempty"`
	Role   *accountRole   `json:"role,omitempty"`
}

// accountField is a profile field (entities/Account.md#Field): the value
// as HTML, never verified here.
type accountField struct {
	Name       string  `json:"name"`
	Value      string  `json:"value"`
	VerifiedAt *string `json:"verified_at"`
}

// The images an account without its own shows, as Mastodon never sends
// an empty avatar or header; web serves them from its static files.
const (
	defaultAvatarPath = "/static/avatar.png"
	defaultHeaderPath = "/static/header.png"
)

// apiTime is how Mastodon writes a moment: ISO 8601 in UTC with
// milliseconds.
func apiTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// accountEntity builds the Account of the actor.
func (a *API) accountEntity(ctx context.Context, actor *storage.Actor) (account, error) {
	list, err := a.accountEntities(ctx, []*storage.Actor{actor})
	if err != nil {
		return account{}, err
	}
	return list[0], nil
}

// accountEntities builds the Accounts of the actors, in their order,
// reading the counts, bios and fields of all of them at once.
func (a *API) accountEntities(ctx context.Context, actors []*storage.Actor) ([]account, error) {
	ids := make([]string, len(actors))
	for i, actor := range actors {
		ids[i] = actor.ID
	}
	cards, err := a.db.AccountCards(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]account, len(actors))
	for i, actor := range actors {
		card := cards[actor.ID]
		if card == nil {
			// Gone since it was read: shown without counts or bio.
			card = &storage.AccountCard{}
		}
		out[i] = a.newAccount(actor, card)
	}
	return out, nil
}

// newAccount is the Account of the actor with its card.
func (a *API) newAccount(actor *storage.Actor, card *storage.AccountCard) account {
	acct := actor.Username
	if !actor.Local {
		acct += "@" + actor.Host
	}
	e := account{
		ID: actor.ID, Username: actor.Username, Acct: acct, DisplayName: actor.DisplayName,
		Locked:       actor.ManuallyApprovesFollowers,
		Bot:          actor.Kind == storage.KindApplication || actor.Kind == storage.KindService,
		Discoverable: actor.Discoverable, Indexable: actor.Discoverable,
		Group:     actor.Kind == storage.KindGroup,
		CreatedAt: apiTime(accountCreated(actor)),
		Note:      card.BioHTML, URL: actor.URL, URI: actor.URI,
		Avatar:         a.imageURL(storage.MediaAvatar, actor.ID, actor.IconURL, defaultAvatarPath),
		Header:         a.imageURL(storage.MediaHeader, actor.ID, actor.HeaderURL, defaultHeaderPath),
		FollowersCount: card.Followers, FollowingCount: card.Following, StatusesCount: card.Statuses,
		HideCollections: card.HideNetwork,
		Emojis:          []struct{}{},
		Fields:          make([]accountField, 0, len(card.Fields)),
	}
	e.AvatarStatic, e.HeaderStatic = e.Avatar, e.Header
	if e.URL == "" {
		e.URL = actor.URI
	}
	if !card.LastStatus.IsZero() {
		day := card.LastStatus.UTC().Format(time.DateOnly) // Mastodon gives the day only
		e.LastStatusAt = &day
	}
	for _, f := range card.Fields {
		e.Fields = append(e.Fields, accountField{Name: f.Name, Value: f.ValueHTML})
	}
	return e
}

// accountCreated is when the account was made, as far as we know: a
// remote actor that does not say is dated from when we first saw it.
func accountCreated(actor *storage.Actor) time.Time {
	switch {
	case !actor.Published.IsZero():
		return actor.Published
	case !actor.FetchedAt.IsZero():
		return actor.FetchedAt
	}
	return actor.UpdatedAt
}

// imageURL is the absolute address of an actor's image through the
// site's media proxy, or of the default image when it has none.
func (a *API) imageURL(kind, actorID, remote, fallback string) string {
	if path := storage.MediaPath(kind, actorID, 0, remote); path != "" {
		return a.cfg.baseURL() + path
	}
	return a.cfg.baseURL() + fallback
}

// accountSource is what the caller's own account says of how they write
// (CredentialAccount's source): compose screens read it unguarded.
type accountSource struct {
	Privacy             string         `json:"privacy"`
	Sensitive           bool           `json:"sensitive"`
	Language            string         `json:"language"`
	Note                string         `json:"note"` // the bio as written, Markdown
	Fields              []accountField `json:"fields"`
	FollowRequestsCount int            `json:"follow_requests_count"`
	HideCollections     bool           `json:"hide_collections"`
	Discoverable        bool           `json:"discoverable"`
	Indexable           bool           `json:"indexable"`
	AttributionDomains  []string       `json:"attribution_domains"`
}

// accountRole is the caller's role on the instance (entities/Role.md).
type accountRole struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Color       string `json:"color"`
	Permissions string `json:"permissions"`
	Highlighted bool   `json:"highlighted"`
}
