-- Profiles: bios written in Markdown, profile fields, pinned posts.

-- The HTML of a member's bio, rendered from its Markdown source (bio)
-- when it is saved. Empty for bios written before bios were Markdown:
-- those are shown as the plain text they were written as.
ALTER TABLE members ADD COLUMN bio_html TEXT NOT NULL DEFAULT '';

-- Profile fields (Mastodon's PropertyValue attachments), of members here
-- and of remote accounts. value is the plain text a member typed ('' for
-- a remote account); value_html is what is shown and sent.
CREATE TABLE profile_fields (
    actor_id   TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    value      TEXT NOT NULL DEFAULT '',
    value_html TEXT NOT NULL,
    PRIMARY KEY (actor_id, position)
) WITHOUT ROWID;

-- The posts a member pinned to their profile (their featured
-- collection). A pin goes with its post.
CREATE TABLE pins (
    member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    post_id   TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    pinned_at INTEGER NOT NULL,
    PRIMARY KEY (member_id, post_id)
) WITHOUT ROWID;

CREATE INDEX pins_post ON pins (post_id);
