package storage

import (
	"context"
	"encoding/json"
	"fmt"
)

// NotificationFilter narrows the notices a client lists: Kinds are the
// kinds wanted (never empty: a client names what it can show), ActorID
// "" or the one account whose notices are wanted.
type NotificationFilter struct {
	Kinds   []string
	ActorID string
}

// NotificationList is one page of a member's notices that a client
// pages through with an IDPage, newest first.
type NotificationList struct {
	Notifications []*Notification
}

// NotificationsPage lists a page of the member's notices of the filter's
// kinds that they may see, as Notifications does for the site's page,
// but marks none read: a client says what it has read with a marker.
func (db *DB) NotificationsPage(ctx context.Context, memberID string, f NotificationFilter, page IDPage) (*NotificationList, error) {
	kinds, err := json.Marshal(f.Kinds)
	if err != nil {
		return nil, err
	}
	pageCond, pageArgs, orderLimit := page.clause("n.id")
	cond := `n.member_id = ? AND n.kind IN (SELECT value FROM json_each(?)) AND (? = '' OR n.actor_id = ?) AND `
	args := append([]any{memberID, string(kinds), f.ActorID, f.ActorID}, pageArgs...)
	list := &NotificationList{}
	err = db.read(ctx, func(tx *Tx) error {
		list.Notifications, err = tx.notices(ctx, cond+shownNoticeSQL+` AND `+pageCond+` `+orderLimit, args...)
		if err != nil {
			return err
		}
		return tx.withListedPosts(ctx, list.Notifications)
	})
	if err != nil {
		return nil, fmt.Errorf("notifications of %s: %w", memberID, err)
	}
	newestFirst(page, list.Notifications)
	return list, nil
}

// NotificationByID is the member's notice with the id if they may see it
// now; another's, or one waiting for its post, is ENotFound.
func (db *DB) NotificationByID(ctx context.Context, memberID, id string) (*Notification, error) {
	var found []*Notification
	err := db.read(ctx, func(tx *Tx) (err error) {
		found, err = tx.notices(ctx, `n.member_id = ? AND n.id = ? AND `+shownNoticeSQL, memberID, id)
		if err != nil {
			return err
		}
		return tx.withListedPosts(ctx, found)
	})
	if err != nil {
		return nil, fmt.Errorf("notification %s: %w", id, err)
	}
	if len(found) == 0 {
		return nil, Errorf(ENotFound, "No such notification.")
	}
	return found[0], nil
}

// withListedPosts reads the notices' posts again as a listing reads
// them, with their authors, subwikis and images, for showing in full.
func (tx *Tx) withListedPosts(ctx context.Context, list []*Notification) error {
	var ids []string
	for _, n := range list {
		if n.Post != nil {
			ids = append(ids, n.Post.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	idList, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	posts, err := tx.listedPosts(ctx, postsSelect+`WHERE p.id IN (SELECT value FROM json_each(?))`, string(idList))
	if err != nil {
		return err
	}
	byID := map[string]*Post{}
	for _, p := range posts {
		byID[p.ID] = p
	}
	for _, n := range list {
		if n.Post != nil && byID[n.Post.ID] != nil {
			n.Post = byID[n.Post.ID]
		}
	}
	return nil
}

// notices reads the notices matching cond (fixed in the code, with the
// alias n) with the actors and posts they name.
func (tx *Tx) notices(ctx context.Context, cond string, args ...any) ([]*Notification, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+noticeColumns+` FROM notifications n WHERE `+cond, args...)
	if err != nil {
		return nil, err
	}
	var list []*Notification
	refs := map[*Notification][2]string{}
	for rows.Next() {
		var n Notification
		var actorID, postID string
		var created int64
		if err := rows.Scan(&n.ID, &n.Kind, &actorID, &postID, &n.Revision, &n.SubjectID, &n.SubjectKind,
			&n.Subject, &n.Reason, &created, &n.Read); err != nil {
			rows.Close()
			return nil, err
		}
		n.CreatedAt = fromMillis(created)
		refs[&n] = [2]string{actorID, postID}
		list = append(list, &n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return list, tx.loadNoticeRefs(ctx, list, refs)
}

// DismissNotification removes the member's notice with the id; another's
// is ENotFound. A like or follow made again after it notifies again.
func (db *DB) DismissNotification(ctx context.Context, memberID, id string) error {
	return db.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM notifications WHERE member_id = ? AND id = ?`, memberID, id)
		if err != nil {
			return fmt.Errorf("dismiss notification %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return Errorf(ENotFound, "No such notification.")
		}
		return nil
	})
}

// ClearNotifications removes every notice of the member.
func (db *DB) ClearNotifications(ctx context.Context, memberID string) error {
	return db.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM notifications WHERE member_id = ?`, memberID); err != nil {
			return fmt.Errorf("clear notifications of %s: %w", memberID, err)
		}
		return nil
	})
}

// NotificationGroupKey is what the notice shares with others shown with
// it (the likes of one post, the new followers), "" for one shown alone.
func NotificationGroupKey(n *Notification) string { return groupKey(n) }
