-- Flags: a member here, or an actor of another server, asks moderators
-- to look at a post, a comment or an account. One row per item flagged,
-- so that a remote Flag naming an account and two posts is three rows,
-- each in its item's queue.
CREATE TABLE flags (
    id            TEXT PRIMARY KEY,       -- a ULID
    target_uri    TEXT NOT NULL,          -- the post, comment or account flagged
    post_id       TEXT REFERENCES posts (id) ON DELETE SET NULL,
    account_id    TEXT REFERENCES actors (id) ON DELETE SET NULL, -- the account flagged, or the post's author
    subwiki_id    TEXT REFERENCES actors (id) ON DELETE SET NULL, -- the queue: a local subwiki, NULL the instance's
    reporter_id   TEXT REFERENCES actors (id) ON DELETE SET NULL, -- a member here or a remote actor
    category      TEXT NOT NULL,
    comment       TEXT NOT NULL DEFAULT '',
    forwarded     INTEGER NOT NULL DEFAULT 0, -- sent on to the item's server
    activity_uri  TEXT NOT NULL DEFAULT '', -- a remote Flag's id; '' for flags made here
    state         TEXT NOT NULL CHECK (state IN ('open', 'dismissed', 'actioned')),
    created_at    INTEGER NOT NULL,
    resolved_at   INTEGER
);

-- One open flag per member per item.
CREATE UNIQUE INDEX flags_open_by_member ON flags (reporter_id, target_uri)
    WHERE state = 'open' AND activity_uri = '';
-- A remote Flag delivered twice is stored once.
CREATE UNIQUE INDEX flags_remote ON flags (activity_uri, target_uri) WHERE activity_uri <> '';
CREATE INDEX flags_queue ON flags (subwiki_id, state, target_uri);
CREATE INDEX flags_post ON flags (post_id);
CREATE INDEX flags_account ON flags (account_id);
CREATE INDEX flags_target ON flags (target_uri, state);
CREATE INDEX flags_reporter ON flags (reporter_id, id);
