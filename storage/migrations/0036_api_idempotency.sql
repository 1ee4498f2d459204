-- api_idempotency_keys: the Idempotency-Key a member's app sent with a
-- new status through the client API, and the post it made, so that an
-- app sending the same status again (after a lost answer) gets the same
-- post back instead of a second one. A key counts for an hour.
CREATE TABLE api_idempotency_keys (
    member_id  TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    post_id    TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (member_id, key)
) WITHOUT ROWID;

-- Deleting a post finds its keys by this index.
CREATE INDEX api_idempotency_keys_post ON api_idempotency_keys (post_id);
