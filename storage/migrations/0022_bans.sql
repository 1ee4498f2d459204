-- Bans from subwikis, suspensions of local members, and the instance's
-- rules.

-- A ban keeps an account (local or remote) from taking part in a
-- subwiki: ours (set by its moderators or an admin), or a remote group
-- whose moderators banned one of our members (set from their Block).
-- A lifted ban stays for the record; an expired one no longer applies.
CREATE TABLE subwiki_bans (
    id           TEXT PRIMARY KEY,
    subwiki_id   TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    account_id   TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    banned_by    TEXT REFERENCES actors (id) ON DELETE SET NULL,
    reason       TEXT NOT NULL DEFAULT '',
    until        INTEGER,                -- NULL: until lifted
    activity_uri TEXT NOT NULL DEFAULT '', -- the Block that carries it
    created_at   INTEGER NOT NULL,
    lifted_at    INTEGER
);

CREATE INDEX subwiki_bans_subwiki ON subwiki_bans (subwiki_id, account_id);
CREATE INDEX subwiki_bans_account ON subwiki_bans (account_id);
CREATE INDEX subwiki_bans_banned_by ON subwiki_bans (banned_by);

-- A suspended member cannot sign in, post, or be seen; the row goes when
-- an admin lifts the suspension (the log keeps the story).
CREATE TABLE member_suspensions (
    member_id    TEXT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    reason       TEXT NOT NULL DEFAULT '',
    suspended_by TEXT REFERENCES members (id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL
);

CREATE INDEX member_suspensions_by ON member_suspensions (suspended_by);

-- The instance's rules, in the order shown on sign-up and /about.
CREATE TABLE instance_rules (
    position INTEGER PRIMARY KEY,
    text     TEXT NOT NULL
);
