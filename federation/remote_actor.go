package federation

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-fed/activity/streams/vocab"

	"github.com/tidings-social/tidings/storage"
)

// actorable is what Tidings reads of any actor type (Person, Group,
// Service, Application, Organization).
type actorable interface {
	vocab.Type
	GetActivityStreamsPreferredUsername() vocab.ActivityStreamsPreferredUsernameProperty
	GetActivityStreamsName() vocab.ActivityStreamsNameProperty
	GetActivityStreamsSummary() vocab.ActivityStreamsSummaryProperty
	GetActivityStreamsIcon() vocab.ActivityStreamsIconProperty
	GetActivityStreamsUrl() vocab.ActivityStreamsUrlProperty
	GetActivityStreamsInbox() vocab.ActivityStreamsInboxProperty
	GetActivityStreamsOutbox() vocab.ActivityStreamsOutboxProperty
	GetActivityStreamsFollowers() vocab.ActivityStreamsFollowersProperty
	GetActivityStreamsFollowing() vocab.ActivityStreamsFollowingProperty
	GetActivityStreamsPublished() vocab.ActivityStreamsPublishedProperty
	GetW3IDSecurityV1PublicKey() vocab.W3IDSecurityV1PublicKeyProperty
	GetTootDiscoverable() vocab.TootDiscoverableProperty
	GetUnknownProperties() map[string]any
}

// actorKinds are the types an actor may have.
var actorKinds = map[string]bool{
	storage.KindPerson: true, storage.KindGroup: true, storage.KindApplication: true,
	storage.KindService: true, storage.KindOrganization: true,
}

// isActor reports whether a value is an actor.
func isActor(t vocab.Type) bool {
	_, ok := t.(actorable)
	return ok && actorKinds[t.GetTypeName()]
}

// parseActor reads a remote actor document. keyID, when not empty, picks
// that key among several.
func parseActor(t vocab.Type, keyID string) (storage.RemoteActor, error) {
	a, ok := t.(actorable)
	if !ok || !actorKinds[t.GetTypeName()] {
		return storage.RemoteActor{}, fmt.Errorf("a %s is not an actor", t.GetTypeName())
	}
	r := storage.RemoteActor{
		URI:         idOf(a),
		Kind:        t.GetTypeName(),
		DisplayName: textOf(a.GetActivityStreamsName()),
		Summary:     textOf(a.GetActivityStreamsSummary()),
		IconURL:     iconURL(a.GetActivityStreamsIcon()),
		HeaderURL:   headerOf(t),
		URL:         firstRef(a.GetActivityStreamsUrl()).IRI,
		Inbox:       iriOfSingle(a.GetActivityStreamsInbox()),
		Outbox:      iriOfSingle(a.GetActivityStreamsOutbox()),
		Followers:   iriOfSingle(a.GetActivityStreamsFollowers()),
		Following:   iriOfSingle(a.GetActivityStreamsFollowing()),
		Published:   timeOf(a.GetActivityStreamsPublished()),
		Fields:      profileFieldsOf(t),
	}
	if p := a.GetActivityStreamsPreferredUsername(); p != nil && p.IsXMLSchemaString() {
		r.Username = p.GetXMLSchemaString()
	}
	if d := a.GetTootDiscoverable(); d != nil && d.IsXMLSchemaBoolean() {
		r.Discoverable = d.Get()
	}
	extra := a.GetUnknownProperties()
	if locked, ok := extra["manuallyApprovesFollowers"].(bool); ok {
		r.ManuallyApprovesFollowers = locked
	}
	if endpoints, ok := extra["endpoints"].(map[string]any); ok {
		r.SharedInbox, _ = endpoints["sharedInbox"].(string)
	}
	var err error
	r.KeyID, r.PublicKeyPEM, err = publicKeyOf(a, keyID)
	if err != nil {
		return storage.RemoteActor{}, err
	}
	return r, nil
}

// publicKeyOf picks the actor's key with the id (or the first one) and
// checks that the key names the actor as its owner.
func publicKeyOf(a actorable, keyID string) (id, pem string, err error) {
	keys := a.GetW3IDSecurityV1PublicKey()
	if keys == nil {
		return "", "", errors.New("the actor has no publicKey")
	}
	for it := keys.Begin(); it != keys.End(); it = it.Next() {
		if !it.IsW3IDSecurityV1PublicKey() {
			continue
		}
		key := it.Get()
		kid := idOf(key)
		if keyID != "" && kid != keyID {
			continue
		}
		if !sameHost(kid, idOf(a)) {
			// Else an actor could claim another server's key id, and
			// signatures made with that key would be taken as its own.
			return "", "", fmt.Errorf("the key id %q is not on the actor's server", kid)
		}
		if owner := key.GetW3IDSecurityV1Owner(); owner != nil && owner.IsIRI() && owner.GetIRI().String() != idOf(a) {
			return "", "", fmt.Errorf("the key %s is owned by %s, not by %s", kid, owner.GetIRI(), idOf(a))
		}
		pemProp := key.GetW3IDSecurityV1PublicKeyPem()
		if pemProp == nil || strings.TrimSpace(pemProp.Get()) == "" {
			return "", "", fmt.Errorf("the key %s has no publicKeyPem", kid)
		}
		return kid, pemProp.Get(), nil
	}
	if keyID != "" {
		return "", "", fmt.Errorf("the actor has no key %s", keyID)
	}
	return "", "", errors.New("the actor has no usable publicKey")
}

// iconURL reads an actor's picture: an Image (its url) or a bare link.
func iconURL(p vocab.ActivityStreamsIconProperty) string {
	if p == nil {
		return ""
	}
	for it := p.Begin(); it != p.End(); it = it.Next() {
		if it.IsIRI() {
			return it.GetIRI().String()
		}
		if it.IsActivityStreamsImage() {
			if u := firstRef(it.GetActivityStreamsImage().GetActivityStreamsUrl()).IRI; u != "" {
				return u
			}
		}
	}
	return ""
}
