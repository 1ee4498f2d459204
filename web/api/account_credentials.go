package api

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// ProfileImages keeps the avatars and headers members upload. web
// implements it with the code of its settings page, so that an image
// set from an app is checked, resized and stored as one set there.
type ProfileImages interface {
	// StoreProfileImage checks the image in data, makes it an avatar or
	// header (kind storage.MediaAvatar or MediaHeader), keeps its file
	// and returns its address (storage's Site.UploadURL), which no
	// profile shows until storage's SaveProfile sets it. A file refused
	// is an EInvalid error saying why.
	StoreProfileImage(kind string, data []byte) (url string, err error)
	// RemoveUpload deletes the file of an uploaded image no profile
	// shows any more.
	RemoveUpload(url string)
	// UploadLimits are the largest file and image side taken.
	UploadLimits() (bytes int64, side int)
}

// roleOf is the caller's role as Mastodon names the default ones: an
// admin, or everyone (id -99).
func roleOf(m *storage.Member) *accountRole {
	if m.IsAdmin {
		return &accountRole{ID: "3", Name: "Admin", Permissions: "1", Highlighted: true}
	}
	return &accountRole{ID: "-99", Permissions: "0"}
}

// credentialAccount is the caller's own Account, with how they write
// (source) and their role.
func (a *API) credentialAccount(ctx context.Context, m *storage.Member) (account, error) {
	actor, err := a.db.ActorByID(ctx, m.ID)
	if err != nil {
		return account{}, err
	}
	cards, err := a.db.AccountCards(ctx, []string{m.ID})
	if err != nil {
		return account{}, err
	}
	card := cards[m.ID]
	if card == nil {
		return account{}, storage.Errorf(storage.ENotFound, "No such account.")
	}
	requests, err := a.db.FollowRequestCount(ctx, m.ID)
	if err != nil {
		return account{}, err
	}
	e := a.newAccount(actor, card)
	source := &accountSource{
		// A member's posts here are public: the compose screen's default.
		Privacy: "public", Language: "en", Note: card.BioSource, Fields: make([]accountField, 0, len(card.Fields)),
		FollowRequestsCount: requests, HideCollections: card.HideNetwork,
		Discoverable: actor.Discoverable, Indexable: actor.Discoverable, AttributionDomains: []string{},
	}
	for _, f := range card.Fields {
		source.Fields = append(source.Fields, accountField{Name: f.Name, Value: f.Value})
	}
	e.Source, e.Role = source, roleOf(m)
	return e, nil
}

// verifyCredentials answers GET /api/v1/accounts/verify_credentials:
// who the token acts for.
func (a *API) verifyCredentials(w http.ResponseWriter, r *http.Request, c *caller) {
	e, err := a.credentialAccount(r.Context(), c.Member)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// maxFieldRows bounds the fields_attributes rows read; storage refuses
// more than a profile may have.
const maxFieldRows = 16

// profileUpdate reads what update_credentials changes of the profile;
// changed is false when it names nothing.
func (a *API) profileUpdate(ctx context.Context, p params) (upd storage.ProfileUpdate, changed bool, err error) {
	if p.has("display_name") {
		name := p.string("display_name")
		upd.DisplayName, changed = &name, true
	}
	if p.has("note") {
		bio := p.string("note")
		upd.Bio, changed = &bio, true
		if a.fed != nil {
			upd.BioMentions = a.fed.ResolveMentions(ctx, bio)
		}
	}
	for name, target := range map[string]**bool{"locked": &upd.ManuallyApprovesFollowers, "hide_collections": &upd.HideNetwork} {
		value, given, err := p.boolean(name)
		if err != nil {
			return upd, false, err
		}
		if given {
			*target, changed = &value, true
		}
	}
	var fields []storage.ProfileField
	given := false
	for i := range maxFieldRows {
		key := fmt.Sprintf("fields_attributes[%d]", i)
		if !p.has(key+"[name]") && !p.has(key+"[value]") {
			continue
		}
		given = true
		fields = append(fields, storage.ProfileField{Name: p.string(key + "[name]"), Value: p.string(key + "[value]")})
	}
	if given {
		upd.Fields, changed = &fields, true
	}
	return upd, changed, nil
}

// updateCredentials answers PATCH /api/v1/accounts/update_credentials
// with the caller's account as changed: the profile and its images in
// one storage operation, the one /settings/profile and /settings/images
// call, with images checked and resized by the code of /settings/images.
// Everything sent is read and checked before anything is written, so a
// value refused is 422 with the reason and changes nothing. Tidings has
// no per-member default visibility, language or sensitivity: source[...]
// is taken and has no effect.
func (a *API) updateCredentials(w http.ResponseWriter, r *http.Request, c *caller) {
	ctx := r.Context()
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	images, err := a.uploadedImages(p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	upd, changed, err := a.profileUpdate(ctx, p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	stored, err := a.storeProfileImages(images)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if changed || len(stored) > 0 {
		_, replaced, err := a.db.SaveProfile(ctx, c.Member.ID, upd, stored)
		if err != nil {
			a.removeUploads(stored)
			a.fail(w, r, err)
			return
		}
		for _, url := range replaced {
			a.cfg.ProfileImages.RemoveUpload(url)
		}
	}
	m, err := a.db.MemberByID(ctx, c.Member.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	e, err := a.credentialAccount(ctx, m)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// storeProfileImages makes each image sent an avatar or header and keeps
// it, returning their addresses by kind; when one is refused, none is
// kept.
func (a *API) storeProfileImages(images map[string][]byte) (map[string]string, error) {
	if len(images) == 0 {
		return nil, nil
	}
	if a.cfg.ProfileImages == nil {
		return nil, storage.Errorf(storage.EInvalid, "This server takes no image uploads.")
	}
	stored := map[string]string{}
	for _, kind := range []string{storage.MediaAvatar, storage.MediaHeader} {
		data, ok := images[kind]
		if !ok {
			continue
		}
		url, err := a.cfg.ProfileImages.StoreProfileImage(kind, data)
		if err != nil {
			a.removeUploads(stored)
			return nil, err
		}
		stored[kind] = url
	}
	return stored, nil
}

// removeUploads deletes the files of images kept for a change that was
// refused.
func (a *API) removeUploads(stored map[string]string) {
	for _, url := range stored {
		a.cfg.ProfileImages.RemoveUpload(url)
	}
}

// uploadedImages reads the avatar and header files sent, up to the
// upload limit.
func (a *API) uploadedImages(p params) (map[string][]byte, error) {
	limit := int64(defaultUploadBytes)
	if a.cfg.ProfileImages != nil {
		limit, _ = a.cfg.ProfileImages.UploadLimits()
	}
	images := map[string][]byte{}
	for _, kind := range []string{storage.MediaAvatar, storage.MediaHeader} {
		fh := p.file(kind)
		if fh == nil {
			continue
		}
		if fh.Size > limit {
			return nil, storage.Errorf(storage.EInvalid, "The %s is larger than %d MiB.", kind, limit>>20)
		}
		f, err := fh.Open()
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", kind, err)
		}
		data, err := io.ReadAll(io.LimitReader(f, limit+1))
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", kind, err)
		}
		images[kind] = data
	}
	return images, nil
}
