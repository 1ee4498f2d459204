-- bookmarks: posts a member keeps for later through the client API.
-- Each has an id of its own, a ULID made when bookmarked, so that the
-- list pages newest bookmark first, whatever the posts' own ages, as
-- Mastodon's does. A post or member deleted takes its bookmarks along.
CREATE TABLE bookmarks (
    id         TEXT PRIMARY KEY,
    member_id  TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    post_id    TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    UNIQUE (member_id, post_id)
) WITHOUT ROWID;

CREATE INDEX bookmarks_member ON bookmarks (member_id, id);
CREATE INDEX bookmarks_post ON bookmarks (post_id);
