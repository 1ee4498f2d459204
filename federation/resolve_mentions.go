package federation

import (
	"context"
	"strings"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// Limits on resolving the handles a member mentions: each unknown
// remote handle costs a WebFinger and an actor fetch while the member
// waits for the post to be published.
const (
	maxMentions    = 20
	mentionTimeout = 10 * time.Second
)

// ResolveMentions finds the accounts the handles in a member's Markdown
// name: @name is a member or subwiki here, @name@host anyone. Handles
// that name nobody (or whose server does not answer in time) stay text.
// The site's forms and the client API both resolve mentions by it.
func (f *Federator) ResolveMentions(ctx context.Context, text string) []storage.Mention {
	ctx, cancel := context.WithTimeout(ctx, mentionTimeout)
	defer cancel()
	domain := f.cfg.Site.Domain
	var mentions []storage.Mention
	for _, handle := range storage.FindMentions(text) {
		if len(mentions) == maxMentions {
			break
		}
		user, host, remote := strings.Cut(handle, "@")
		if !remote || strings.EqualFold(host, domain) {
			host = domain
		}
		actor, err := f.ResolveHandle(ctx, user+"@"+host)
		if err != nil {
			continue
		}
		link := actor.URL
		if link == "" {
			link = actor.URI
		}
		mentions = append(mentions, storage.Mention{Handle: handle, URI: actor.URI, URL: link})
	}
	return mentions
}
