package storage

// NotificationGroup is notices of one kind shown together: the likes
// (or boosts) of one post, or the new followers (or requests), among the
// notices of a page. Every other notice is a group of its own.
type NotificationGroup struct {
	Kind          string
	Notifications []*Notification // newest first; the first stands for the group
	Actors        []*Actor        // who did it, each once, newest first
}

// First is the group's newest notice, which names its post and time.
func (g *NotificationGroup) First() *Notification { return g.Notifications[0] }

// Unread reports whether any notice of the group was unread.
func (g *NotificationGroup) Unread() bool {
	for _, n := range g.Notifications {
		if !n.Read {
			return true
		}
	}
	return false
}

// groupKey is what notices of a group share, "" for a notice that is
// shown alone.
func groupKey(n *Notification) string {
	switch n.Kind {
	case NotifyLike, NotifyBoost:
		if n.Post != nil {
			return n.Kind + " " + n.Post.ID
		}
	case NotifyFollow, NotifyFollowRequest:
		return n.Kind
	}
	return ""
}

// GroupNotifications groups a page of notices, newest first: likes and
// boosts by post, follows and requests together, each group where its
// newest notice is.
func GroupNotifications(list []*Notification) []*NotificationGroup {
	var groups []*NotificationGroup
	byKey := map[string]*NotificationGroup{}
	for _, n := range list {
		key := groupKey(n)
		g := byKey[key]
		if key == "" || g == nil {
			g = &NotificationGroup{Kind: n.Kind}
			groups = append(groups, g)
			if key != "" {
				byKey[key] = g
			}
		}
		g.Notifications = append(g.Notifications, n)
		if n.Actor != nil && !hasActor(g.Actors, n.Actor.ID) {
			g.Actors = append(g.Actors, n.Actor)
		}
	}
	return groups
}

func hasActor(list []*Actor, id string) bool {
	for _, a := range list {
		if a.ID == id {
			return true
		}
	}
	return false
}
