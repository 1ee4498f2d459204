-- Mutes and blocks. A member mutes accounts and subwikis (their posts
-- leave the member's feeds and notifications) and words (posts that
-- contain them leave the feeds). A block is a mute that also ends the
-- follows both ways and stops the blocked from seeing, following,
-- replying to or mentioning the blocker; remote accounts block our
-- members too, so a blocker is any actor.
CREATE TABLE mutes (
    member_id  TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    target_id  TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (member_id, target_id)
) WITHOUT ROWID;

CREATE INDEX mutes_target ON mutes (target_id);

CREATE TABLE blocks (
    blocker_id   TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    blocked_id   TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    activity_uri TEXT NOT NULL UNIQUE, -- the Block's id: ours, or the remote one
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
) WITHOUT ROWID;

CREATE INDEX blocks_blocked ON blocks (blocked_id, blocker_id);

CREATE TABLE muted_words (
    member_id  TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    word       TEXT NOT NULL, -- lower case
    created_at INTEGER NOT NULL,
    PRIMARY KEY (member_id, word)
) WITHOUT ROWID;
