package main

import (
	"testing"
	"time"
)

// asPublic is the collection that addresses everyone.
const asPublic = "https://www.w3.org/ns/activitystreams#Public"

// remoteAccount is an account on a hand-made server on loopback (a
// hostileServer) that serves its actor document and sends what a test
// writes, as Mastodon would: to say what our servers do with addressing
// that Tidings itself never sends, such as followers-only and direct
// posts.
type remoteAccount struct {
	t   *testing.T
	srv *hostileServer
	URI string
}

// newRemoteAccount starts the server of the account named name.
func newRemoteAccount(t *testing.T, name string) *remoteAccount {
	t.Helper()
	srv := startHostileServer(t)
	return &remoteAccount{t: t, srv: srv, URI: srv.actor(t, "Person", name, nil)}
}

// Followers is the id of the account's followers collection.
func (ra *remoteAccount) Followers() string { return ra.URI + "/followers" }

// ID makes the id of one of the account's objects or activities.
func (ra *remoteAccount) ID(path string) string { return ra.srv.URL + "/" + path }

// note is a Note of the account addressed to and cc, mentioning those
// in mentions.
func (ra *remoteAccount) note(id, content string, to, cc, mentions []string) map[string]any {
	tags := []any{}
	for _, uri := range mentions {
		tags = append(tags, map[string]any{"type": "Mention", "href": uri})
	}
	return map[string]any{
		"id": ra.ID(id), "type": "Note", "attributedTo": ra.URI, "content": content,
		"published": time.Now().UTC().Format(time.RFC3339), "to": to, "cc": cc, "tag": tags,
	}
}

// serve has the server answer fetches of a public object by anyone, as
// Mastodon does.
func (ra *remoteAccount) serve(object map[string]any) { ra.srv.put(ra.t, object) }

// activity wraps an object in an activity of the account, addressed as
// the object is.
func (ra *remoteAccount) activity(typ, id string, object any, to, cc []string) map[string]any {
	return map[string]any{"id": ra.ID(id), "type": typ, "actor": ra.URI, "object": object, "to": to, "cc": cc}
}

// send delivers an activity to the instance's shared inbox, signed by
// the account, and fails the test unless it is accepted.
func (ra *remoteAccount) send(inst *instance, activity map[string]any) {
	ra.t.Helper()
	ra.srv.send(ra.t, inst, activity)
}
