package api

import (
	"context"
	"slices"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// notification is Mastodon's Notification entity (entities/Notification.md).
type notification struct {
	ID        string  `json:"id"`
	Type      string  `json:"type"`
	GroupKey  string  `json:"group_key"`
	CreatedAt string  `json:"created_at"`
	Account   account `json:"account"`
	Status    *status `json:"status,omitempty"`
}

// notificationTypes names the kinds of notices the API shows as
// Mastodon's notification types. A reply is a mention, as in Mastodon; a
// correction or revert of one's headline is an update of the status.
// Locks, removals and approvals have no Mastodon type that fits (their
// notices name no account, or a post that is gone) and stay on the
// site's page.
var notificationTypes = map[string]string{
	storage.NotifyMention:       "mention",
	storage.NotifyReply:         "mention",
	storage.NotifyCorrection:    "update",
	storage.NotifyRevert:        "update",
	storage.NotifyFollow:        "follow",
	storage.NotifyFollowRequest: "follow_request",
	storage.NotifyLike:          "favourite",
	storage.NotifyBoost:         "reblog",
}

// noticeKinds are the kinds of notices of the Mastodon types asked for
// (all when types is empty) and not excluded. Unknown types are ignored,
// as Mastodon ignores them.
func noticeKinds(types, exclude []string) []string {
	want := map[string]bool{}
	for _, t := range types {
		want[t] = true
	}
	for _, t := range exclude {
		want[t] = false
	}
	kinds := []string{}
	for kind, name := range notificationTypes {
		if on, asked := want[name]; (len(types) == 0 && !asked) || on {
			kinds = append(kinds, kind)
		}
	}
	slices.Sort(kinds)
	return kinds
}

// notificationGroupKey is the notice's group_key: the likes of one post,
// or the new followers, share one; a notice shown alone has
// "ungrouped-" and its id, as Mastodon writes it.
func notificationGroupKey(n *storage.Notification) string {
	key := storage.NotificationGroupKey(n)
	if key == "" {
		return "ungrouped-" + n.ID
	}
	// The key starts with the notice's kind, which the type replaces.
	return strings.ReplaceAll(notificationTypes[n.Kind]+strings.TrimPrefix(key, n.Kind), " ", "-")
}

// notifications builds the Notification entities of a member's notices.
// A notice the API has no type for, or whose post or account cannot be
// shown, is left out.
func (a *API) notifications(ctx context.Context, memberID string, list []*storage.Notification) ([]notification, error) {
	out := []notification{}
	var actors []*storage.Actor
	var posts []*storage.Post
	var shown []*storage.Notification
	for _, n := range list {
		if notificationTypes[n.Kind] == "" || n.Actor == nil {
			continue
		}
		shown = append(shown, n)
		actors = append(actors, n.Actor)
		if n.Post != nil && n.Post.Author != nil {
			posts = append(posts, n.Post)
		}
	}
	accounts, err := a.accountEntities(ctx, actors)
	if err != nil {
		return nil, err
	}
	statuses, err := a.statuses(ctx, memberID, posts)
	if err != nil {
		return nil, err
	}
	byPost := map[string]*status{}
	for i := range statuses {
		byPost[statuses[i].ID] = &statuses[i]
	}
	for i, n := range shown {
		e := notification{ID: n.ID, Type: notificationTypes[n.Kind], GroupKey: notificationGroupKey(n),
			CreatedAt: apiTime(n.CreatedAt), Account: accounts[i]}
		if n.Post != nil {
			if e.Status = byPost[n.Post.ID]; e.Status == nil {
				continue
			}
		}
		out = append(out, e)
	}
	return out, nil
}
