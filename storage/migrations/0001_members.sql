-- Members of this instance, their sessions and invites, the instance's
-- secrets, sign-in failures for rate limiting, and the outbox.
-- Times are milliseconds since the Unix epoch (UTC); ids are ULIDs.

CREATE TABLE members (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    email         TEXT NOT NULL COLLATE NOCASE UNIQUE,
    display_name  TEXT NOT NULL,
    bio           TEXT NOT NULL DEFAULT '',
    avatar_url    TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    is_admin      INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL CHECK (status IN ('active', 'pending')),
    join_reason   TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE INDEX members_status ON members (status, id);

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    member_id  TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE INDEX sessions_member ON sessions (member_id);

CREATE TABLE invites (
    code       TEXT PRIMARY KEY,
    created_by TEXT REFERENCES members (id) ON DELETE CASCADE, -- NULL: made by an admin on the command line
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_by    TEXT REFERENCES members (id) ON DELETE SET NULL,
    used_at    INTEGER
);

CREATE INDEX invites_created_by ON invites (created_by, created_at);

CREATE TABLE sign_in_failures (
    id       INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    ip       TEXT NOT NULL,
    at       INTEGER NOT NULL
);

CREATE INDEX sign_in_failures_username ON sign_in_failures (username, at);
CREATE INDEX sign_in_failures_ip ON sign_in_failures (ip, at);

CREATE TABLE instance_secrets (
    name       TEXT PRIMARY KEY,
    value      BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

-- The transactional outbox: any change other servers must hear about
-- writes a row here in the same transaction as the change. The delivery
-- worker expands each row into deliveries and then sets processed_at.
CREATE TABLE outbox (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    actor_id     TEXT NOT NULL,
    payload      TEXT NOT NULL DEFAULT '{}',
    created_at   INTEGER NOT NULL,
    processed_at INTEGER
);

CREATE INDEX outbox_pending ON outbox (id) WHERE processed_at IS NULL;
