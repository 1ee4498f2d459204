package storage

import "strings"

// Site is the public address of this instance, from which the ids of
// its actors, posts and activities are made. Ids are stored, so the
// domain must not change once the instance federates.
type Site struct {
	Scheme string // "https", or "http" for a local instance
	Domain string // host[:port]
}

// Base is the origin of every local id, like "https://news.example".
func (s Site) Base() string { return s.Scheme + "://" + s.Domain }

// Hostname is the domain without a port.
func (s Site) Hostname() string {
	if i := strings.LastIndex(s.Domain, ":"); i > 0 && !strings.HasSuffix(s.Domain, "]") {
		return s.Domain[:i]
	}
	return s.Domain
}

// ActorURI is the ActivityPub id of the member with the username.
func (s Site) ActorURI(username string) string { return s.Base() + "/users/" + username }

// ProfileURL is the web page of the member with the username.
func (s Site) ProfileURL(username string) string { return s.Base() + "/@" + username }

// SubwikiURI is the ActivityPub id of the subwiki with the name, which
// is also its web page.
func (s Site) SubwikiURI(name string) string { return s.Base() + "/s/" + name }

// InstanceActorURI is the id of the instance's own actor, which signs
// fetches and reports.
func (s Site) InstanceActorURI() string { return s.Base() + "/actor" }

// SharedInbox is the inbox for every actor of the instance.
func (s Site) SharedInbox() string { return s.Base() + "/inbox" }

// PostURI is the id of a local post.
func (s Site) PostURI(id string) string { return s.Base() + "/posts/" + id }

// ActivityURI is the id of an activity this instance sends.
func (s Site) ActivityURI(id string) string { return s.Base() + "/activities/" + id }

// IsLocal reports whether uri names something on this instance.
func (s Site) IsLocal(uri string) bool {
	return strings.HasPrefix(uri, s.Base()+"/")
}

// TagBase is where the pages of hashtags are: TagBase + tag.
func (s Site) TagBase() string { return s.Base() + "/tags/" }
