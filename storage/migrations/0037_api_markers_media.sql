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

-- api_media: images a member uploaded through the client API that no
-- status carries yet. A status that attaches one takes it into
-- post_attachments and removes it here; one left unattached for a day
-- is pruned, and its file then goes with the unused uploads.
CREATE TABLE api_media (
    id          TEXT PRIMARY KEY,
    member_id   TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    url         TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX api_media_member ON api_media (member_id, created_at);
CREATE INDEX api_media_created ON api_media (created_at);
