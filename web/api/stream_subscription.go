package api

import (
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// Mastodon's stream names that Tidings serves. A list is a joined
// subwiki (see list.go), so the list stream is that subwiki's feed.
const (
	streamUser             = "user"
	streamUserNotification = "user:notification"
	streamPublic           = "public"
	streamPublicLocal      = "public:local"
	streamPublicRemote     = "public:remote"
	streamHashtag          = "hashtag"
	streamHashtagLocal     = "hashtag:local"
	streamList             = "list"
	// streamDirect carries conversations, which Tidings does not serve
	// yet: it is accepted and stays quiet, since masto.js ends every
	// subscription of a connection on an error message.
	streamDirect = "direct"
)

// subscription is one stream a connection is subscribed to: a name and,
// for hashtag and list, its tag or list id.
type subscription struct {
	Name string
	Tag  string
	List string
}

// key tells subscriptions apart: a stream is subscribed to once.
func (s subscription) key() string { return s.Name + "\x00" + s.Tag + "\x00" + s.List }

// names is the event's "stream" field, as Mastodon writes it: the name,
// and the tag or list id for those streams. masto.js drops an event
// whose field lacks a part of what it subscribed to.
func (s subscription) names() []string {
	switch {
	case s.Tag != "":
		return []string{s.Name, s.Tag}
	case s.List != "":
		return []string{s.Name, s.List}
	}
	return []string{s.Name}
}

// timeline is the timeline whose posts the subscription shows; false
// for a stream of notifications only.
func (s subscription) timeline() (storage.Stream, bool) {
	switch s.Name {
	case streamUser:
		return storage.Stream{Kind: storage.StreamHome}, true
	case streamPublic:
		return storage.Stream{Kind: storage.StreamPublic}, true
	case streamPublicLocal:
		return storage.Stream{Kind: storage.StreamPublic, Local: true}, true
	case streamPublicRemote:
		return storage.Stream{Kind: storage.StreamPublic, Remote: true}, true
	case streamHashtag:
		return storage.Stream{Kind: storage.StreamTag, Tag: s.Tag}, true
	case streamHashtagLocal:
		return storage.Stream{Kind: storage.StreamTag, Tag: s.Tag, Local: true}, true
	case streamList:
		return storage.Stream{Kind: storage.StreamSubwiki, SubwikiID: s.List}, true
	}
	return storage.Stream{}, false
}

// notifies reports whether the subscription carries the member's
// notifications.
func (s subscription) notifies() bool {
	return s.Name == streamUser || s.Name == streamUserNotification
}

// Mastodon's texts for a stream that cannot be subscribed to.
const (
	unknownStreamText = "Unknown stream type"
	noTagText         = "No tag for stream provided"
	noListText        = "No list for stream provided"
)

// parseSubscription reads a stream's name and its tag or list; a name
// Tidings does not serve, or a missing tag or list, is a requestError.
func parseSubscription(name, tag, list string) (subscription, error) {
	switch name {
	case streamUser, streamUserNotification, streamPublic, streamPublicLocal, streamPublicRemote, streamDirect:
		return subscription{Name: name}, nil
	case streamHashtag, streamHashtagLocal:
		// The tag stays as the client wrote it: the event's stream field
		// echoes it, and clients compare it with what they asked.
		if storage.NormalizeHashtag(tag) == "" {
			return subscription{}, &requestError{http.StatusBadRequest, noTagText}
		}
		return subscription{Name: name, Tag: tag}, nil
	case streamList:
		if list == "" {
			return subscription{}, &requestError{http.StatusBadRequest, noListText}
		}
		return subscription{Name: name, List: list}, nil
	}
	return subscription{}, &requestError{http.StatusBadRequest, unknownStreamText}
}
