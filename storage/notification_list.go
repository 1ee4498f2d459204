package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// shownNoticeTemplate is the condition that the member may see the
// notice $n now. A notice of a post waits while the member may not see
// the post (a reply for its author's followers only shows once they
// follow); one without a post shows. A muted, blocked, blocking or
// suspended account's notices are hidden, but not a moderator's.
const shownNoticeTemplate = `($n.post_id IS NULL OR EXISTS (SELECT 1 FROM posts p WHERE p.id = $n.post_id AND $visible))
	AND ($n.actor_id IS NULL OR $n.kind IN ('lock', 'moderation') OR ($muted
		AND NOT EXISTS (SELECT 1 FROM member_suspensions ns WHERE ns.member_id = $n.actor_id)
		AND NOT EXISTS (SELECT 1 FROM blocks nb WHERE nb.blocker_id = $n.member_id AND nb.blocked_id = $n.actor_id)
		AND NOT EXISTS (SELECT 1 FROM blocks nb WHERE nb.blocker_id = $n.actor_id AND nb.blocked_id = $n.member_id)))`

// shownNoticeSQL is shownNoticeTemplate for the notices aliased n.
var shownNoticeSQL = strings.NewReplacer("$visible", visibleSQL("p", "n.member_id"),
	"$muted", notMutedSQL("n.member_id", "n.actor_id"), "$n", "n").Replace(shownNoticeTemplate)

// NotificationsPerPage is how many notices a page of them lists.
const NotificationsPerPage = 40

// NotificationPage is a page of a member's notices, newest first, and
// the same notices grouped as they are shown.
type NotificationPage struct {
	Notifications []*Notification
	Groups        []*NotificationGroup
	Next          string // the cursor (before) of the next, older page; "" on the last
}

const noticeColumns = `n.id, n.kind, coalesce(n.actor_id, ''), coalesce(n.post_id, ''), n.revision,
	n.subject_id, n.subject_kind, n.subject, n.reason, n.created_at, n.read_at IS NOT NULL`

// Notifications lists a page of the member's notices they may see,
// newest first, older than the cursor before ("" for the newest), and
// marks those listed read: the member has seen them. Read tells whether
// each was read before.
func (db *DB) Notifications(ctx context.Context, memberID, before string, limit int) (*NotificationPage, error) {
	if before == "" {
		before = "\uffff"
	}
	page := &NotificationPage{}
	err := db.write(ctx, func(tx *Tx) error {
		list, err := tx.notices(ctx, `n.member_id = ? AND n.id < ? AND `+shownNoticeSQL+` ORDER BY n.id DESC LIMIT ?`,
			memberID, before, limit+1)
		if err != nil {
			return err
		}
		page.Notifications = list
		if len(page.Notifications) > limit {
			page.Notifications = page.Notifications[:limit]
			page.Next = page.Notifications[limit-1].ID
		}
		return tx.markRead(ctx, memberID, page.Notifications)
	})
	if err != nil {
		return nil, fmt.Errorf("notifications of %s: %w", memberID, err)
	}
	page.Groups = GroupNotifications(page.Notifications)
	return page, nil
}

// loadNoticeRefs fills in the actors and posts the notices name (by
// their ids in refs), each read once.
func (tx *Tx) loadNoticeRefs(ctx context.Context, list []*Notification, refs map[*Notification][2]string) error {
	actors, posts := map[string]*Actor{}, map[string]*Post{}
	for _, n := range list {
		actorID, postID := refs[n][0], refs[n][1]
		if actorID != "" && actors[actorID] == nil {
			a, err := tx.actorWhere(ctx, "a.id = ?", actorID)
			if err != nil {
				return err
			}
			actors[actorID] = a
		}
		if postID != "" && posts[postID] == nil {
			p, err := tx.postWhere(ctx, "p.id = ?", postID)
			if err != nil {
				return err
			}
			posts[postID] = p
		}
		n.Actor, n.Post = actors[actorID], posts[postID]
	}
	return nil
}

// markRead marks the listed notices read.
func (tx *Tx) markRead(ctx context.Context, memberID string, list []*Notification) error {
	var unread []string
	for _, n := range list {
		if !n.Read {
			unread = append(unread, n.ID)
		}
	}
	if len(unread) == 0 {
		return nil
	}
	ids, err := json.Marshal(unread)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE notifications SET read_at = ? WHERE member_id = ? AND read_at IS NULL
		AND id IN (SELECT value FROM json_each(?))`, millis(tx.now), memberID, string(ids))
	if err != nil {
		return fmt.Errorf("mark notifications read: %w", err)
	}
	return nil
}

// MarkNotificationsRead marks read every notice the member may see, up
// to and including the one with the id upTo (the newest on the page
// they looked at; "" for all), so that one that came meanwhile stays
// new. Notices that wait for the member to see their post stay unread.
func (db *DB) MarkNotificationsRead(ctx context.Context, memberID, upTo string) error {
	if upTo == "" {
		upTo = "\uffff"
	}
	err := db.write(ctx, func(tx *Tx) error { return tx.markNotificationsRead(ctx, memberID, upTo) })
	if err != nil {
		return fmt.Errorf("mark notifications of %s read: %w", memberID, err)
	}
	return nil
}

// markNotificationsRead marks read the member's notices they may see up
// to and including the id upTo.
func (tx *Tx) markNotificationsRead(ctx context.Context, memberID, upTo string) error {
	_, err := tx.ExecContext(ctx, `UPDATE notifications AS n SET read_at = ?
		WHERE n.member_id = ? AND n.read_at IS NULL AND n.id <= ? AND `+shownNoticeSQL, millis(tx.now), memberID, upTo)
	return err
}

// UnreadNotifications counts the member's unread notices they may see.
func (db *DB) UnreadNotifications(ctx context.Context, memberID string) (int, error) {
	var n int
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, unreadNoticesQuery, memberID).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count unread notifications of %s: %w", memberID, err)
	}
	return n, nil
}

// unreadNoticesQuery counts a member's unread notices, in the index of
// unread ones.
var unreadNoticesQuery = `SELECT count(*) FROM notifications n WHERE n.member_id = ? AND n.read_at IS NULL AND ` + shownNoticeSQL
