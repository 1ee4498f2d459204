-- Posts and comments the moderators removed. The post itself is deleted
-- (privacy first: nobody, not its author nor the moderators, reads it
-- here again) and tombstoned; this row keeps what its page still says:
-- who removed it, from which subwiki, and why.
CREATE TABLE removals (
    post_id    TEXT PRIMARY KEY,          -- the removed post's id here (its row is gone)
    uri        TEXT NOT NULL,             -- its ActivityPub id
    subwiki_id TEXT REFERENCES actors (id) ON DELETE SET NULL,
    remover_id TEXT REFERENCES actors (id) ON DELETE SET NULL,
    listed     INTEGER NOT NULL,          -- it was public or unlisted: its page may say it was removed
    reason     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX removals_by_uri ON removals (uri);
CREATE INDEX removals_subwiki ON removals (subwiki_id);
CREATE INDEX removals_remover ON removals (remover_id);

-- Deleting an actor sets the log's actor_id to NULL: without an index
-- that reads the whole log.
CREATE INDEX IF NOT EXISTS moderation_log_actor ON moderation_log (actor_id);
