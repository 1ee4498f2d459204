-- Who may see a post (storage/visibility.go): the members a remote post
-- is addressed to or mentions, and feed indexes that carry visibility, so
-- that the home feed asks the rule without reading the posts table.

-- The actors here a post was addressed to (to, cc) or mentions: they may
-- see it whatever its visibility. Only members are recorded; rows go
-- with the post or the member.
CREATE TABLE post_recipients (
    post_id  TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, actor_id)
) WITHOUT ROWID;

CREATE INDEX post_recipients_actor ON post_recipients (actor_id);

-- What mentions named before this migration: the notified members.
INSERT OR IGNORE INTO post_recipients (post_id, actor_id)
    SELECT post_id, member_id FROM notifications WHERE kind = 'mention';

-- The indexes of 0005 again, each with every column the home feed reads
-- of a post (the rule's among them), so that they cover it: a page is
-- found in them alone, without reading the posts table.
DROP INDEX posts_feed;
DROP INDEX posts_author_feed;
DROP INDEX posts_subwiki_feed;
CREATE INDEX posts_feed ON posts (id, author_id, subwiki_id, visibility, kind)
    WHERE kind <> 'comment' AND visibility <> 'direct';
CREATE INDEX posts_author_feed ON posts (author_id, id, visibility, kind)
    WHERE kind <> 'comment' AND visibility <> 'direct';
CREATE INDEX posts_subwiki_feed ON posts (subwiki_id, id, author_id, visibility, kind)
    WHERE kind <> 'comment' AND visibility <> 'direct' AND subwiki_id IS NOT NULL;

-- A thread counts only the comments everyone may see, as Mastodon counts
-- replies.
UPDATE posts SET comment_count = (SELECT count(*) FROM posts c
        WHERE c.root_id = posts.id AND c.visibility IN ('public', 'unlisted'))
    WHERE id IN (SELECT root_id FROM posts WHERE root_id IS NOT NULL AND visibility IN ('followers', 'direct'));
