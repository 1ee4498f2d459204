-- api_markers: where a member's apps last read a timeline (home or
-- notifications), so that another app, or the same one on another
-- device, starts there. version counts the changes, as Mastodon's does.
CREATE TABLE api_markers (
    member_id    TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    timeline     TEXT NOT NULL,
    last_read_id TEXT NOT NULL,
    version      INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (member_id, timeline)
) WITHOUT ROWID;
