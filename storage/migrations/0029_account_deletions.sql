-- A member's deletion of their own account. The row is kept for good:
-- while deleted_at is NULL the account is in its grace period and can be
-- taken back; once deleted, the row answers for the account: its name
-- stays taken (with the handles row) and its actor's address answers
-- 410 Gone. No foreign keys: the member's and actor's rows go.
CREATE TABLE account_deletions (
    member_id    TEXT PRIMARY KEY,          -- the member's id, which is their actor's
    username     TEXT NOT NULL UNIQUE,
    actor_uri    TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    due_at       INTEGER NOT NULL,          -- when the grace period ends
    deleted_at   INTEGER,                   -- when the content went
    delete_event TEXT NOT NULL DEFAULT '',  -- the outbox event of the actor's Delete
    forgotten_at INTEGER                    -- when the actor and its key went, the Delete delivered
);

CREATE INDEX account_deletions_due ON account_deletions (due_at) WHERE deleted_at IS NULL;
CREATE INDEX account_deletions_sent ON account_deletions (deleted_at) WHERE deleted_at IS NOT NULL AND forgotten_at IS NULL;

-- The inboxes the Delete of a deleted actor goes to, found before the
-- follows and reactions that name them are deleted with the account.
CREATE TABLE account_deletion_inboxes (
    member_id TEXT NOT NULL,
    inbox     TEXT NOT NULL,
    PRIMARY KEY (member_id, inbox)
) WITHOUT ROWID;
