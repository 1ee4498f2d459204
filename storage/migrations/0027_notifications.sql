-- Complete notifications: besides mentions and replies, a member hears
-- of corrections, reverts and locks of their headlines, new followers and
-- follow requests, likes and boosts, their account's approval, and a
-- moderator's removal of their post. Follows and approval concern no
-- post, so post_id may be NULL; SQLite changes neither a NOT NULL nor a
-- CHECK in place, so the table is made anew and the rows copied.
CREATE TABLE notifications_new (
    id           TEXT PRIMARY KEY,
    member_id    TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('mention', 'reply', 'correction', 'revert', 'lock', 'follow',
                     'follow_request', 'like', 'boost', 'approved', 'moderation')),
    actor_id     TEXT REFERENCES actors (id) ON DELETE CASCADE, -- who did it; NULL for the instance (approval)
    post_id      TEXT REFERENCES posts (id) ON DELETE CASCADE,  -- the post it concerns, while it exists
    revision     INTEGER NOT NULL DEFAULT 0,  -- corrections and reverts: the revision made
    subject_id   TEXT NOT NULL DEFAULT '',    -- removals: the removed post's id, kept after it is gone
    subject_kind TEXT NOT NULL DEFAULT '',    -- removals: the removed post's kind
    subject      TEXT NOT NULL DEFAULT '',    -- the headline (or words) the notice speaks of, as it was then
    reason       TEXT NOT NULL DEFAULT '',    -- why: a correction's, a lock's or a removal's reason
    created_at   INTEGER NOT NULL,
    read_at      INTEGER
);

INSERT INTO notifications_new (id, member_id, kind, actor_id, post_id, created_at, read_at)
    SELECT id, member_id, kind, actor_id, post_id, created_at, read_at FROM notifications;

DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;

-- The listing pages through a member's notices by id, and the unread
-- count (shown on every page) reads only the unread ones.
CREATE INDEX notifications_member ON notifications (member_id, id);
CREATE INDEX notifications_unread ON notifications (member_id, id) WHERE read_at IS NULL;
-- Deleting a post or an actor finds the notices that go with it.
CREATE INDEX notifications_post ON notifications (post_id) WHERE post_id IS NOT NULL;
CREATE INDEX notifications_actor ON notifications (actor_id) WHERE actor_id IS NOT NULL;

-- One notice a post for a mention or a reply (a reply that also names
-- its parent's author notifies them once); one for each liker or booster
-- of a post; one for each follower; one for each revision; one approval;
-- one for each removal. A redelivered activity finds its notice made.
CREATE UNIQUE INDEX notifications_once_a_post ON notifications (member_id, post_id)
    WHERE kind IN ('mention', 'reply');
CREATE UNIQUE INDEX notifications_once_an_actor ON notifications (member_id, kind, actor_id, coalesce(post_id, ''))
    WHERE kind IN ('like', 'boost', 'follow', 'follow_request');
CREATE UNIQUE INDEX notifications_once_a_revision ON notifications (member_id, post_id, revision)
    WHERE kind IN ('correction', 'revert');
CREATE UNIQUE INDEX notifications_once ON notifications (member_id, subject_id)
    WHERE kind IN ('approved', 'moderation');

-- An undone like or boost, and an ended follow or withdrawn request,
-- take their notice with them while it is unread, however they end
-- (Undo, unlike, unfollow, a block, a deleted account): a notice should
-- not tell of what no longer is. Read ones stay, as what happened.
CREATE TRIGGER reactions_withdraw_notice AFTER DELETE ON reactions BEGIN
    DELETE FROM notifications WHERE actor_id = OLD.actor_id AND post_id = OLD.post_id AND read_at IS NULL
        AND kind = CASE OLD.kind WHEN 'announce' THEN 'boost' ELSE OLD.kind END;
END;
CREATE TRIGGER follows_withdraw_notice AFTER DELETE ON follows BEGIN
    DELETE FROM notifications WHERE actor_id = OLD.follower_id AND member_id = OLD.followee_id AND read_at IS NULL
        AND kind IN ('follow', 'follow_request');
END;
