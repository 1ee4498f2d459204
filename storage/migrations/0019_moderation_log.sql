-- The moderation log: every action a moderator or admin takes (or a
-- remote server's moderator takes on content here), kept for good. The
-- log of a subwiki (subwiki_id set) is public; the instance's
-- (subwiki_id NULL) is shown to members.
CREATE TABLE moderation_log (
    id          TEXT PRIMARY KEY,       -- a ULID: the log's order
    subwiki_id  TEXT REFERENCES actors (id) ON DELETE SET NULL,
    actor_id    TEXT REFERENCES actors (id) ON DELETE SET NULL, -- who acted
    action      TEXT NOT NULL,          -- one of the Mod* constants
    target_uri  TEXT NOT NULL DEFAULT '', -- the post, account or domain acted on
    target_text TEXT NOT NULL DEFAULT '', -- what to show of it (a headline, a handle, a host)
    reason      TEXT NOT NULL DEFAULT '',
    until       INTEGER,                -- for bans and limits with an end
    created_at  INTEGER NOT NULL
);

CREATE INDEX moderation_log_subwiki ON moderation_log (subwiki_id, id);
CREATE INDEX moderation_log_actor ON moderation_log (actor_id);
