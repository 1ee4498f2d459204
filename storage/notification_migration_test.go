package storage

import (
	"context"
	"path/filepath"
	"testing"
)

// TestNotificationsMigrationKeepsNotices: the notices of a database made
// before migration 0027 (mentions and replies, read and unread) are all
// there after it, and the new kinds can be made.
func TestNotificationsMigrationKeepsNotices(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tidings.db")
	db, err := Open(ctx, path, testSite)
	if err != nil {
		t.Fatal(err)
	}
	alice, bob := mustCreateMember(t, db, "alice"), mustCreateMember(t, db, "bob")
	aliceActor, _ := db.ActorByID(ctx, alice.ID)
	post := discuss(t, db, bob, "", "Read this, alice", aliceActor)
	if _, err := db.Comment(ctx, CommentCreate{AuthorID: alice.ID, ParentID: post.ID, Text: "I did."}); err != nil {
		t.Fatal(err)
	}
	if _, err := noticeList(db.Notifications(ctx, alice.ID, "", 10)); err != nil { // alice reads hers
		t.Fatal(err)
	}
	// Put the table back as it was before 0027, with these rows.
	if _, err := db.writer.ExecContext(ctx, `
		DROP TRIGGER reactions_withdraw_notice;
		DROP TRIGGER follows_withdraw_notice;
		CREATE TABLE notifications_old (
			id         TEXT PRIMARY KEY,
			member_id  TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
			kind       TEXT NOT NULL CHECK (kind IN ('mention', 'reply')),
			actor_id   TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
			post_id    TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
			created_at INTEGER NOT NULL,
			read_at    INTEGER
		);
		INSERT INTO notifications_old SELECT id, member_id, kind, actor_id, post_id, created_at, read_at FROM notifications;
		DROP TABLE notifications;
		ALTER TABLE notifications_old RENAME TO notifications;
		CREATE INDEX notifications_member ON notifications (member_id, id);
		CREATE INDEX notifications_post ON notifications (post_id);
		CREATE INDEX notifications_actor ON notifications (actor_id);
		DELETE FROM schema_migrations WHERE version = 27;`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = Open(ctx, path, testSite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, _ := db.UnreadNotifications(ctx, bob.ID); n != 1 {
		t.Errorf("bob's unread reply after the migration: %d, want 1", n)
	}
	for _, who := range []struct {
		member *Member
		kind   string
		read   bool
	}{{alice, NotifyMention, true}, {bob, NotifyReply, false}} {
		list, err := noticeList(db.Notifications(ctx, who.member.ID, "", 10))
		if err != nil || len(list) != 1 || list[0].Kind != who.kind || list[0].Read != who.read || list[0].Post == nil {
			t.Errorf("%s's notices after the migration: %+v, %v", who.member.Username, list, err)
		}
	}
	if err := db.LikePost(ctx, alice.ID, post.ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.UnreadNotifications(ctx, bob.ID); n != 1 {
		t.Errorf("bob's unread after alice's like: %d, want 1", n)
	}
}
