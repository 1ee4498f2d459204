-- Email: password resets and the queue of mail to send.

-- A password reset link's token is kept only as its hash, so that a copy
-- of the database resets nobody's password. A token is good once, for
-- an hour; asking again voids the older ones.
CREATE TABLE password_resets (
    token_hash BLOB PRIMARY KEY,
    member_id  TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    voided_at  INTEGER
);

CREATE INDEX password_resets_member ON password_resets (member_id);
CREATE INDEX password_resets_expiry ON password_resets (expires_at);

-- Mail to a member, written in the transaction of the event it tells of
-- and sent by a worker, which deletes the row once the SMTP server has
-- taken the message. A mail whose member is gone goes with them. A mail
-- with expires_at (a reset link) is not sent after it; until then its
-- payload holds the link's token.
CREATE TABLE mail_outbox (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    payload         TEXT NOT NULL DEFAULT '{}',
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL DEFAULT 0, -- 0: never
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    parked_at       INTEGER
);

CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE parked_at IS NULL;
CREATE INDEX mail_outbox_member ON mail_outbox (member_id);
