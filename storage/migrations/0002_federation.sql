-- Federation: every ActivityPub actor (local and remote), follows, posts,
-- likes and boosts, the durable record of inbound activities, and the
-- deliveries the outbox expands into.

-- actors holds identity, addresses and keys of every actor. For a local
-- member the id equals members.id and the profile lives in members; for
-- remote actors the profile fields below are a cache of their document.
CREATE TABLE actors (
    id                TEXT PRIMARY KEY,
    uri               TEXT NOT NULL UNIQUE,
    kind              TEXT NOT NULL,              -- Person, Group, Application, Service, Organization
    local             INTEGER NOT NULL DEFAULT 0,
    username          TEXT NOT NULL,              -- preferredUsername
    host              TEXT NOT NULL,              -- host[:port] of the actor's server
    display_name      TEXT NOT NULL DEFAULT '',
    summary           TEXT NOT NULL DEFAULT '',   -- sanitized HTML
    icon_url          TEXT NOT NULL DEFAULT '',
    url               TEXT NOT NULL DEFAULT '',   -- profile page
    inbox             TEXT NOT NULL,
    shared_inbox      TEXT NOT NULL DEFAULT '',
    outbox            TEXT NOT NULL DEFAULT '',
    followers_uri     TEXT NOT NULL DEFAULT '',
    following_uri     TEXT NOT NULL DEFAULT '',
    manually_approves INTEGER NOT NULL DEFAULT 0,
    discoverable      INTEGER NOT NULL DEFAULT 0,
    published         INTEGER NOT NULL DEFAULT 0,
    key_id            TEXT NOT NULL,
    public_key_pem    TEXT NOT NULL,
    private_key_pem   TEXT NOT NULL DEFAULT '',   -- local actors only
    fetched_at        INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);

CREATE INDEX actors_handle ON actors (username, host);
CREATE INDEX actors_key ON actors (key_id);

-- Members choose who may follow them and who sees their network.
ALTER TABLE members ADD COLUMN manually_approves_followers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN hide_network INTEGER NOT NULL DEFAULT 0;

CREATE TABLE follows (
    id           TEXT PRIMARY KEY,
    follower_id  TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    followee_id  TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'accepted')),
    activity_uri TEXT NOT NULL,                   -- id of the Follow activity
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (follower_id, followee_id)
);

CREATE INDEX follows_followee ON follows (followee_id, state, id);
CREATE INDEX follows_activity ON follows (activity_uri);

-- posts are ordered by id, a ULID made from the publication time, so
-- feeds page by id without OFFSET.
CREATE TABLE posts (
    id             TEXT PRIMARY KEY,
    uri            TEXT NOT NULL UNIQUE,
    author_id      TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    local          INTEGER NOT NULL DEFAULT 0,
    source         TEXT NOT NULL DEFAULT '',      -- what a local author wrote
    content        TEXT NOT NULL,                 -- sanitized HTML
    url            TEXT NOT NULL DEFAULT '',
    visibility     TEXT NOT NULL CHECK (visibility IN ('public', 'unlisted', 'followers', 'direct')),
    in_reply_to    TEXT NOT NULL DEFAULT '',
    published      INTEGER NOT NULL,
    updated        INTEGER NOT NULL DEFAULT 0,
    like_count     INTEGER NOT NULL DEFAULT 0,
    announce_count INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL
);

CREATE INDEX posts_author ON posts (author_id, id);

-- tombstones remember deleted objects and actors, so that a late or
-- replayed Create does not bring them back.
CREATE TABLE tombstones (
    uri        TEXT PRIMARY KEY,
    deleted_at INTEGER NOT NULL
);

-- reactions are likes and boosts (Announce) of posts.
CREATE TABLE reactions (
    actor_id     TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    post_id      TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('like', 'announce')),
    activity_uri TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (actor_id, post_id, kind)
);

CREATE INDEX reactions_activity ON reactions (activity_uri);

-- inbox is the durable record of every accepted inbound activity: it is
-- written before the 202 and processed from here, so a crash after the
-- answer loses nothing.
CREATE TABLE inbox (
    id              TEXT PRIMARY KEY,
    activity_uri    TEXT NOT NULL UNIQUE,
    actor_uri       TEXT NOT NULL,
    type            TEXT NOT NULL,
    body            BLOB NOT NULL,
    received_at     INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    processed_at    INTEGER,
    last_error      TEXT NOT NULL DEFAULT ''
);

CREATE INDEX inbox_due ON inbox (next_attempt_at) WHERE processed_at IS NULL;

-- The outbox row keeps the activity it was expanded into, shared by all
-- of its deliveries.
ALTER TABLE outbox ADD COLUMN activity BLOB;

CREATE TABLE deliveries (
    id              TEXT PRIMARY KEY,
    outbox_id       TEXT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    inbox           TEXT NOT NULL,
    host            TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    delivered_at    INTEGER,
    dropped_at      INTEGER,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    UNIQUE (outbox_id, inbox)
);

CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE delivered_at IS NULL AND dropped_at IS NULL;

-- hosts tracks servers that fail: one failing for seven days is marked
-- unavailable and skipped until it answers again.
CREATE TABLE hosts (
    host          TEXT PRIMARY KEY,
    failing_since INTEGER,
    unavailable   INTEGER NOT NULL DEFAULT 0,
    last_success  INTEGER
);

-- instance_settings records facts about the instance that must not
-- change, such as the domain its ids were made with.
CREATE TABLE instance_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
