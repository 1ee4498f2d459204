package federation

import (
	"context"
	"errors"
	"net/http"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// idProperty is the id of a document, or nil (no id) when s does not
// parse.
func idProperty(s string) vocab.JSONLDIdProperty {
	u := iriOf(s)
	if u == nil {
		return nil
	}
	p := streams.NewJSONLDIdProperty()
	p.Set(u)
	return p
}

// actorType is what every actor type of go-fed lets Tidings set.
type actorType interface {
	vocab.Type
	SetActivityStreamsPreferredUsername(vocab.ActivityStreamsPreferredUsernameProperty)
	SetActivityStreamsName(vocab.ActivityStreamsNameProperty)
	SetActivityStreamsSummary(vocab.ActivityStreamsSummaryProperty)
	SetActivityStreamsUrl(vocab.ActivityStreamsUrlProperty)
	SetActivityStreamsInbox(vocab.ActivityStreamsInboxProperty)
	SetActivityStreamsOutbox(vocab.ActivityStreamsOutboxProperty)
	SetActivityStreamsFollowers(vocab.ActivityStreamsFollowersProperty)
	SetActivityStreamsFollowing(vocab.ActivityStreamsFollowingProperty)
	SetActivityStreamsIcon(vocab.ActivityStreamsIconProperty)
	SetActivityStreamsPublished(vocab.ActivityStreamsPublishedProperty)
	SetW3IDSecurityV1PublicKey(vocab.W3IDSecurityV1PublicKeyProperty)
	SetTootDiscoverable(vocab.TootDiscoverableProperty)
}

// fillActor sets what every local actor document carries.
func fillActor(t actorType, a *storage.Actor, name, summaryHTML string) {
	t.SetJSONLDId(idProperty(a.URI))
	username := streams.NewActivityStreamsPreferredUsernameProperty()
	username.SetXMLSchemaString(a.Username)
	t.SetActivityStreamsPreferredUsername(username)
	if name != "" {
		p := streams.NewActivityStreamsNameProperty()
		p.AppendXMLSchemaString(name)
		t.SetActivityStreamsName(p)
	}
	summary := streams.NewActivityStreamsSummaryProperty()
	summary.AppendXMLSchemaString(summaryHTML)
	t.SetActivityStreamsSummary(summary)
	link := streams.NewActivityStreamsUrlProperty()
	appendIRIs(link, a.URL)
	t.SetActivityStreamsUrl(link)
	inbox := streams.NewActivityStreamsInboxProperty()
	setIRI(inbox, a.Inbox)
	t.SetActivityStreamsInbox(inbox)
	outbox := streams.NewActivityStreamsOutboxProperty()
	setIRI(outbox, a.Outbox)
	t.SetActivityStreamsOutbox(outbox)
	followers := streams.NewActivityStreamsFollowersProperty()
	setIRI(followers, a.Followers)
	t.SetActivityStreamsFollowers(followers)
	following := streams.NewActivityStreamsFollowingProperty()
	setIRI(following, a.Following)
	t.SetActivityStreamsFollowing(following)
	if !a.Published.IsZero() {
		published := streams.NewActivityStreamsPublishedProperty()
		published.Set(a.Published)
		t.SetActivityStreamsPublished(published)
	}
	setImages(t, a)
	discoverable := streams.NewTootDiscoverableProperty()
	discoverable.Set(a.Discoverable)
	t.SetTootDiscoverable(discoverable)

	key := streams.NewW3IDSecurityV1PublicKey()
	key.SetJSONLDId(idProperty(a.KeyID))
	owner := streams.NewW3IDSecurityV1OwnerProperty()
	setIRI(owner, a.URI)
	key.SetW3IDSecurityV1Owner(owner)
	pem := streams.NewW3IDSecurityV1PublicKeyPemProperty()
	pem.Set(a.PublicKeyPEM)
	key.SetW3IDSecurityV1PublicKeyPem(pem)
	keys := streams.NewW3IDSecurityV1PublicKeyProperty()
	keys.AppendW3IDSecurityV1PublicKey(key)
	t.SetW3IDSecurityV1PublicKey(keys)
}

// actorExtras are the actor fields go-fed's vocabulary lacks.
func actorExtras(a *storage.Actor) map[string]any {
	return map[string]any{
		"endpoints":                 map[string]any{"sharedInbox": a.SharedInbox},
		"manuallyApprovesFollowers": a.ManuallyApprovesFollowers,
		"indexable":                 false,
	}
}

// memberDocument is the Person document of an active local member.
func (f *Federator) memberDocument(ctx context.Context, username string) ([]byte, error) {
	d, err := f.memberEntry(ctx, username)
	if err != nil {
		return nil, err
	}
	return d.body, nil
}

// memberEntry is the member's Person document, from memory when it is
// current.
func (f *Federator) memberEntry(ctx context.Context, username string) (*cachedDocument, error) {
	return f.cachedDocument(ctx, "member "+username, 0, func(ctx context.Context) ([]byte, int, error) {
		return f.renderMember(ctx, username)
	})
}

// renderMember renders the Person document of an active local member; a
// suspended one's is not to be kept by other servers.
func (f *Federator) renderMember(ctx context.Context, username string) ([]byte, int, error) {
	m, err := f.db.MemberByUsername(ctx, username)
	if storage.ErrorCode(err) == storage.ENotFound {
		return nil, 0, f.deletedMember(ctx, username, err)
	}
	if err != nil {
		return nil, 0, err
	}
	if m.Status != storage.MemberActive {
		return nil, 0, storage.Errorf(storage.ENotFound, "No such member.")
	}
	a, err := f.db.ActorByID(ctx, m.ID)
	if err != nil {
		return nil, 0, err
	}
	if gone, err := f.suspended(ctx, a); err != nil || gone {
		if err != nil {
			return nil, 0, err
		}
		body, err := f.suspendedDocument(a)
		return body, 0, err
	}
	extra := actorExtras(a)
	bio, err := f.memberProfile(ctx, a, extra)
	if err != nil {
		return nil, 0, err
	}
	person := streams.NewActivityStreamsPerson()
	fillActor(person, a, m.DisplayName, bio)
	body, err := encode(person, extra)
	return body, actorMaxAge, err
}

// instanceDocument is the Application document of the instance actor.
func (f *Federator) instanceDocument(ctx context.Context) ([]byte, error) {
	a, err := f.db.InstanceActor(ctx)
	if err != nil {
		return nil, err
	}
	app := streams.NewActivityStreamsApplication()
	fillActor(app, a, f.cfg.InstanceName, "")
	return encode(app, actorExtras(a))
}

// serveMember answers GET /users/{name}: the Person for ActivityPub
// clients, a redirect to the profile page for browsers.
func (f *Federator) serveMember(w http.ResponseWriter, r *http.Request) {
	name := mux.Vars(r)["name"]
	if !WantsActivityJSON(r) {
		http.Redirect(w, r, "/@"+name, http.StatusSeeOther)
		return
	}
	f.ServeMemberDocument(w, r, name)
}

// ServeMemberDocument answers with the Person document of the member; the
// profile page at /@name uses it for ActivityPub clients.
func (f *Federator) ServeMemberDocument(w http.ResponseWriter, r *http.Request, username string) {
	d, err := f.memberEntry(r.Context(), username)
	f.answerCached(w, r, d, err)
}

func (f *Federator) serveInstanceActor(w http.ResponseWriter, r *http.Request) {
	d, err := f.cachedDocument(r.Context(), "instance actor", 0, func(ctx context.Context) ([]byte, int, error) {
		body, err := f.instanceDocument(ctx)
		return body, actorMaxAge, err
	})
	f.answerCached(w, r, d, err)
}

// answerCached writes a kept document, or the error as answer does; an
// error answer (404, 410) is not to be kept by other servers.
func (f *Federator) answerCached(w http.ResponseWriter, r *http.Request, d *cachedDocument, err error) {
	if err != nil {
		w.Header().Set("Cache-Control", "no-cache")
		f.answer(w, r, nil, err)
		return
	}
	f.serveCached(w, r, d, activityContentType)
}

// errGone is an object that was deleted; it is answered 410 Gone.
var errGone = errors.New("deleted")

// answer writes a document, or the error's status with a safe reason.
func (f *Federator) answer(w http.ResponseWriter, r *http.Request, body []byte, err error) {
	if errors.Is(err, errGone) {
		writeProblem(w, http.StatusGone, "deleted")
		return
	}
	if gone, ok := errors.AsType[*goneActor](err); ok {
		writeJSON(w, activityContentType, http.StatusGone, gone.body)
		return
	}
	switch storage.ErrorCode(err) {
	case "":
		writeJSON(w, activityContentType, http.StatusOK, body)
	case storage.ENotFound:
		writeProblem(w, http.StatusNotFound, "not found")

	case storage.EInternal:
		f.log.Error("federation request failed", "path", r.URL.Path, "err", err)
		writeProblem(w, http.StatusInternalServerError, "internal error")
	default:
		writeProblem(w, http.StatusBadRequest, storage.ErrorMessage(err))
	}
}
